import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, chainHash, GENESIS_HASH, hashedFields, type ChainedFields } from "@/lib/audit/chain";

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
});

describe("chainHash", () => {
  const event: ChainedFields = {
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
    chainSeq: 1n,
  };

  it("is sha256(prev_hash || canonical JSON of the stored fields), written out by hand", () => {
    const canonical =
      '{"action":"user.create","actorId":"u1","actorLabel":"admin@example.com","actorType":"user",' +
      '"after":{"email":"new@example.com","role":"auditor"},"before":null,"chainSeq":"1","data":null,' +
      '"id":"evt1","sourceEventId":null,"stream":"console","targetId":"u2","targetLabel":"new@example.com",' +
      '"targetType":"user","time":"2026-01-01T00:00:00.000Z"}';
    expect(canonicalJson(hashedFields(event))).toBe(canonical);
    expect(GENESIS_HASH).toBe("0".repeat(64));
    expect(chainHash(GENESIS_HASH, event)).toBe(createHash("sha256").update(GENESIS_HASH + canonical).digest("hex"));
  });

  it.each([
    ["actorLabel", { actorLabel: "someone@else" }],
    ["action", { action: "user.delete" }],
    ["time", { time: new Date("2026-01-01T00:00:00.001Z") }],
    ["after", { after: { role: "admin", email: "new@example.com" } }],
    ["before", { before: {} }],
    ["chainSeq", { chainSeq: 2n }],
    ["stream", { stream: "gw-1" }],
    ["sourceEventId", { sourceEventId: "g-1" }],
  ])("changes when %s changes", (_field, change) => {
    expect(chainHash(GENESIS_HASH, { ...event, ...change })).not.toBe(chainHash(GENESIS_HASH, event));
  });

  it("changes with the previous hash", () => {
    expect(chainHash("f".repeat(64), event)).not.toBe(chainHash(GENESIS_HASH, event));
  });

  it("treats missing JSON as null, so a round trip through the database hashes the same", () => {
    expect(chainHash(GENESIS_HASH, { ...event, data: undefined })).toBe(chainHash(GENESIS_HASH, event));
  });
});
