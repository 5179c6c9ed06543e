import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { configuredKeys, decryptSecret, encryptionKey, encryptSecret, fingerprintOf, isEncryptedSecret, SecretError } from "@/lib/crypto/secrets";

const newKey = () => encryptionKey(randomBytes(32).toString("base64"));

describe("encryptSecret / decryptSecret", () => {
  afterEach(() => resetEnvCache());

  it.each(["gw-credential-0123456789", "", "ünïcødé 🔑", "x".repeat(10_000)])("round trip of %j", (plain) => {
    const k = newKey();
    const stored = encryptSecret(plain, { key: k });
    expect(stored).toMatch(/^pcenc:v1:[0-9a-f]{16}:[A-Za-z0-9_-]+$/);
    expect(fingerprintOf(stored)).toBe(k.fingerprint);
    expect(isEncryptedSecret(stored)).toBe(true);
    expect(decryptSecret(stored, { keys: [k] })).toBe(plain);
  });

  it("a fresh IV each time: the same plaintext never encrypts the same way twice", () => {
    const k = newKey();
    expect(encryptSecret("same", { key: k })).not.toBe(encryptSecret("same", { key: k }));
  });

  it("uses ENCRYPTION_KEY by default and decrypts ENCRYPTION_KEY_PREVIOUS values too", () => {
    const old = randomBytes(32).toString("base64");
    vi.stubEnv("ENCRYPTION_KEY", old);
    resetEnvCache();
    const underOld = encryptSecret("s3cret");
    vi.stubEnv("ENCRYPTION_KEY", randomBytes(32).toString("base64"));
    resetEnvCache();
    expect(() => decryptSecret(underOld)).toThrow(SecretError);
    vi.stubEnv("ENCRYPTION_KEY_PREVIOUS", old);
    resetEnvCache();
    expect(configuredKeys()).toHaveLength(2);
    expect(decryptSecret(underOld)).toBe("s3cret");
    expect(fingerprintOf(encryptSecret("new"))).toBe(configuredKeys()[0].fingerprint);
  });

  it("the wrong key is refused with a message naming both fingerprints and what to do", () => {
    const a = newKey();
    const b = newKey();
    const stored = encryptSecret("s3cret", { key: a });
    expect(() => decryptSecret(stored, { keys: [b] })).toThrow(
      `encrypted with key ${a.fingerprint}, which is not among the keys given (${b.fingerprint}): set ENCRYPTION_KEY_PREVIOUS to the key it was encrypted with, then run \`npm run keys:rotate-encryption\``,
    );
  });

  it("a key with the right fingerprint but altered data, or another record's context, does not decrypt", () => {
    const k = newKey();
    const stored = encryptSecret("s3cret", { key: k, context: "Gateway.credential:g1" });
    const msg = `encrypted value with key ${k.fingerprint} does not authenticate: it was altered, or belongs to another record`;
    expect(() => decryptSecret(stored, { keys: [k], context: "Gateway.credential:g2" })).toThrow(msg);
    expect(() => decryptSecret(stored, { keys: [k] })).toThrow(msg);
    const data = Buffer.from(stored.split(":")[3], "base64url");
    data[20] ^= 1;
    expect(() => decryptSecret(`${stored.split(":").slice(0, 3).join(":")}:${data.toString("base64url")}`, { keys: [k], context: "Gateway.credential:g1" })).toThrow(msg);
    expect(decryptSecret(stored, { keys: [k], context: "Gateway.credential:g1" })).toBe("s3cret");
  });

  it.each(["plain text", "pcenc:v2:0123456789abcdef:AAAA", "pcenc:v1:nothex:AAAA", "pcenc:v1:0123456789abcdef:"])("refuses %j as not an encrypted value", (v) => {
    expect(() => decryptSecret(v, { keys: [newKey()] })).toThrow("not an encrypted value (expected pcenc:v1:<key>:<data>)");
    expect(isEncryptedSecret(v)).toBe(false);
  });

  it("refuses a truncated value", () => {
    const k = newKey();
    expect(() => decryptSecret(`pcenc:v1:${k.fingerprint}:AAAA`, { keys: [k] })).toThrow(`encrypted value with key ${k.fingerprint} is truncated`);
  });

  it("keys: 32 bytes of base64 or base64url; the fingerprint is stable and does not reveal the key", () => {
    const raw = randomBytes(32);
    const a = encryptionKey(raw.toString("base64"));
    const b = encryptionKey(raw.toString("base64url"));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(raw.toString("hex")).not.toContain(a.fingerprint);
    expect(() => encryptionKey("short", "ENCRYPTION_KEY_PREVIOUS")).toThrow("ENCRYPTION_KEY_PREVIOUS must be 32 bytes, base64 encoded");
  });
});
