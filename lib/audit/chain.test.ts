import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CanonicalError,
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  HASHED_FIELD_NAMES,
  hashedFields,
  MAX_DEPTH,
  type ChainedFields,
} from "@/lib/audit/chain";
import { auditKeyId, keyring, parseRetiredKeys } from "@/lib/audit/keys";

describe("canonicalJson", () => {
  it.each([
    [null, "null"],
    [undefined, "null"],
    [true, "true"],
    [0, "0"],
    [-0, "0"],
    [1.5, "1.5"],
    [Number.NaN, "null"],
    ["a\"b\\c\n", '"a\\"b\\\\c\\n"'],
    ["é ✓", '"é ✓"'],
    [12345678901234567890n, '"12345678901234567890"'],
    [new Date("2026-01-02T03:04:05.678Z"), '"2026-01-02T03:04:05.678Z"'],
    [[], "[]"],
    [{}, "{}"],
    [[3, 1, 2], "[3,1,2]"],
    [[undefined, null], "[null,null]"],
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ b: { d: [{ z: 1, y: 2 }], c: null }, a: undefined }, '{"b":{"c":null,"d":[{"y":2,"z":1}]}}'],
    [{ B: 1, a: 2, _: 3, "10": 4, "9": 5 }, '{"10":4,"9":5,"B":1,"_":3,"a":2}'],
  ])("canonical form %# is %s", (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("does not depend on key insertion order, and matches JSON.parse", () => {
    const a = { x: { k1: 1, k2: [1, { q: 1, p: 2 }] }, y: "s" };
    const b = { y: "s", x: { k2: [1, { p: 2, q: 1 }], k1: 1 } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(JSON.parse(canonicalJson(a))).toEqual(a);
  });

  const nested = (levels: number, wrap: (v: unknown) => unknown) => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = wrap(v);
    return v;
  };

  it(`accepts ${MAX_DEPTH} levels of nesting and refuses one more with a CanonicalError`, () => {
    expect(canonicalJson(nested(MAX_DEPTH, (v) => [v]))).toBe(`${"[".repeat(MAX_DEPTH)}1${"]".repeat(MAX_DEPTH)}`);
    expect(() => canonicalJson(nested(MAX_DEPTH + 1, (v) => [v]))).toThrow(new CanonicalError(`nested deeper than ${MAX_DEPTH} levels`));
  });

  it("refuses 4,000 levels of nesting with a CanonicalError, not a stack overflow", () => {
    expect(() => canonicalJson(nested(4000, (v) => ({ a: v })))).toThrow(CanonicalError);
    // JSON itself copes with it: the limit is ours, so the event can be set aside, not lost
    expect(() => JSON.parse(JSON.stringify(nested(4000, (v) => ({ a: v }))))).not.toThrow();
  });

  it.each([
    ["a function", () => 1, "a function has no JSON form"],
    ["a symbol", Symbol("s"), "a symbol has no JSON form"],
    ["an invalid date", new Date(Number.NaN), "an invalid date has no JSON form"],
  ])("refuses %s", (_what, value, message) => {
    expect(() => canonicalJson({ v: value })).toThrow(new CanonicalError(message));
  });
});

describe("audit keys", () => {
  const KEY = "k".repeat(43);

  it("a key's id is the first 16 hex digits of sha256('portcullis-audit-key-id:' + key)", () => {
    expect(auditKeyId(KEY)).toBe(createHash("sha256").update(`portcullis-audit-key-id:${KEY}`).digest("hex").slice(0, 16));
    expect(auditKeyId(KEY)).toMatch(/^[0-9a-f]{16}$/);
    expect(auditKeyId(KEY)).not.toBe(auditKeyId(`${KEY}x`));
  });

  it("the keyring seals with the current key and verifies with current and retired ones", () => {
    const ring = keyring(KEY, parseRetiredKeys(" old-one-key-old-one-key-old-one-key ,, older-key-older-key-older-key-xx "));
    expect(ring.current).toEqual({ id: auditKeyId(KEY), key: KEY });
    expect([...ring.byId.values()].sort()).toEqual([KEY, "old-one-key-old-one-key-old-one-key", "older-key-older-key-older-key-xx"].sort());
    expect(ring.byId.get(auditKeyId("older-key-older-key-older-key-xx"))).toBe("older-key-older-key-older-key-xx");
    expect(parseRetiredKeys(undefined)).toEqual([]);
  });
});

describe("chainHash", () => {
  const KEY = "test-audit-key-0123456789-0123456789-abcdef";
  const event: ChainedFields = {
    seq: 7n,
    id: "evt1",
    stream: "console",
    sourceEventId: null,
    time: new Date("2026-01-01T00:00:00.000Z"),
    actorType: "user",
    actorId: "u1",
    actorLabel: "admin@example.com",
    action: "user.create",
    targetType: "user",
    targetId: "u2",
    targetLabel: "new@example.com",
    before: null,
    after: { role: "auditor", email: "new@example.com" },
    data: null,
    via: "token",
    credentialId: "tok1",
    credentialLabel: "pcl_abcdefgh",
    clientAddress: "203.0.113.9",
    userAgent: "curl/8.5.0",
    chainSeq: 1n,
    keyId: "00112233aabbccdd",
  };

  const CANONICAL =
    '{"action":"user.create","actorId":"u1","actorLabel":"admin@example.com","actorType":"user",' +
    '"after":{"email":"new@example.com","role":"auditor"},"before":null,"chainSeq":"1",' +
    '"clientAddress":"203.0.113.9","credentialId":"tok1","credentialLabel":"pcl_abcdefgh","data":null,' +
    '"id":"evt1","keyId":"00112233aabbccdd","seq":"7","sourceEventId":null,"stream":"console",' +
    '"targetId":"u2","targetLabel":"new@example.com","targetType":"user","time":"2026-01-01T00:00:00.000Z",' +
    '"userAgent":"curl/8.5.0","via":"token"}';

  it("is HMAC-SHA256(key, prev_hash || canonical JSON of the stored fields), written out by hand", () => {
    expect(canonicalJson(hashedFields(event))).toBe(CANONICAL);
    expect(GENESIS_HASH).toBe("0".repeat(64));
    expect(chainHash(KEY, GENESIS_HASH, event)).toBe(createHmac("sha256", KEY).update(GENESIS_HASH + CANONICAL).digest("hex"));
    // pinned, so a change to the hashed fields or their form cannot pass unnoticed
    expect(chainHash(KEY, GENESIS_HASH, event)).toBe("9bdbea421489c77381599164f5bcffc50fb8c40934cb48671fade19f2bfdf050");
  });

  it("covers exactly these fields", () => {
    expect([...HASHED_FIELD_NAMES].sort()).toEqual(
      [
        "action", "actorId", "actorLabel", "actorType", "after", "before", "chainSeq", "clientAddress", "credentialId",
        "credentialLabel", "data", "id", "keyId", "seq", "sourceEventId", "stream", "targetId", "targetLabel", "targetType",
        "time", "userAgent", "via",
      ].sort(),
    );
  });

  it("is not the plain sha256 of the same input: without the key nobody can recompute it", () => {
    expect(chainHash(KEY, GENESIS_HASH, event)).not.toBe(createHash("sha256").update(GENESIS_HASH + CANONICAL).digest("hex"));
    expect(chainHash(`${KEY}!`, GENESIS_HASH, event)).not.toBe(chainHash(KEY, GENESIS_HASH, event));
  });

  it.each([
    ["seq (list order)", { seq: 8n }],
    ["actorLabel", { actorLabel: "someone@else" }],
    ["action", { action: "user.delete" }],
    ["time", { time: new Date("2026-01-01T00:00:00.001Z") }],
    ["after", { after: { role: "admin", email: "new@example.com" } }],
    ["before", { before: {} }],
    ["chainSeq", { chainSeq: 2n }],
    ["stream", { stream: "gw-1" }],
    ["sourceEventId", { sourceEventId: "g-1" }],
    ["via", { via: "session" }],
    ["credentialId", { credentialId: "tok2" }],
    ["credentialLabel", { credentialLabel: null }],
    ["clientAddress", { clientAddress: "198.51.100.1" }],
    ["userAgent", { userAgent: "Mozilla/5.0" }],
    ["keyId", { keyId: "ffffffffffffffff" }],
  ])("changes when %s changes", (_field, change) => {
    expect(chainHash(KEY, GENESIS_HASH, { ...event, ...change })).not.toBe(chainHash(KEY, GENESIS_HASH, event));
  });

  it("changes with the previous hash", () => {
    expect(chainHash(KEY, "f".repeat(64), event)).not.toBe(chainHash(KEY, GENESIS_HASH, event));
  });

  it("treats missing JSON as null, so a round trip through the database hashes the same", () => {
    expect(chainHash(KEY, GENESIS_HASH, { ...event, data: undefined })).toBe(chainHash(KEY, GENESIS_HASH, event));
  });

  it("throws a CanonicalError for an event nested too deeply", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 4000; i++) deep = { a: deep };
    expect(() => chainHash(KEY, GENESIS_HASH, { ...event, data: deep })).toThrow(CanonicalError);
  });
});
