import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import type { EncryptedColumn } from "@/lib/crypto/registry";
import { rotateEncryptionKey } from "@/lib/crypto/rotate";
import { decryptSecret, encryptionKey, encryptSecret, fingerprintOf } from "@/lib/crypto/secrets";
import { describeEngines, useTestDatabase } from "@/tests/helpers/context";

// The rotation is proven on a fixture column (encrypted values kept in Setting rows), so the
// tests control every value; the registered columns (SnapshotCredential.secret) run in the script test.

const PREFIX = "test.secret.";
const fixture: EncryptedColumn = {
  name: "Setting.value (test fixture)",
  read: async (tx) =>
    (await tx.setting.findMany({ where: { key: { startsWith: PREFIX } }, orderBy: { key: "asc" } })).map((r) => ({
      id: r.key,
      value: (r.value as { secret: string | null }).secret,
    })),
  write: async (tx, id, value) => {
    await tx.setting.update({ where: { key: id }, data: { value: { secret: value } } });
  },
  context: (id) => `Setting.value:${id}`,
};
/** A second column, to show the rotation covers every registered column in one transaction. */
const second: EncryptedColumn = { ...fixture, name: "second", read: async (tx) => (await fixture.read(tx)).filter((r) => r.id.endsWith("-b")) };

const newKey = () => encryptionKey(randomBytes(32).toString("base64"));
const stored = async () =>
  Object.fromEntries(
    (await db().setting.findMany({ where: { key: { startsWith: PREFIX } }, orderBy: { key: "asc" } })).map((r) => [r.key, (r.value as { secret: string | null }).secret]),
  );

async function put(entries: Record<string, string | null>) {
  await db().setting.deleteMany({ where: { key: { startsWith: PREFIX } } });
  for (const [key, secret] of Object.entries(entries)) await db().setting.create({ data: { key, value: { secret } } });
}

describeEngines("rotating ENCRYPTION_KEY", (engine) => {
  useTestDatabase(engine, { seed: false });

  it("re-encrypts every value from the previous key to the current one; running it again changes nothing", async () => {
    const previous = newKey();
    const current = newKey();
    const plain = { [`${PREFIX}1-a`]: "credential one", [`${PREFIX}2-a`]: "credential two ✓", [`${PREFIX}3-b`]: "three" };
    await put({
      ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, encryptSecret(v, { key: previous, context: `Setting.value:${k}` })])),
      [`${PREFIX}4-a`]: null,
    });

    expect(await rotateEncryptionKey(db(), { previous, current }, [fixture])).toEqual([{ name: fixture.name, reencrypted: 3, alreadyCurrent: 0 }]);
    const after = await stored();
    for (const [k, v] of Object.entries(plain)) {
      expect(fingerprintOf(after[k]!)).toBe(current.fingerprint);
      expect(decryptSecret(after[k]!, { keys: [current], context: `Setting.value:${k}` })).toBe(v);
      expect(() => decryptSecret(after[k]!, { keys: [previous], context: `Setting.value:${k}` })).toThrow(/not among the keys given/);
    }
    expect(after[`${PREFIX}4-a`]).toBeNull();

    expect(await rotateEncryptionKey(db(), { previous, current }, [fixture])).toEqual([{ name: fixture.name, reencrypted: 0, alreadyCurrent: 3 }]);
    expect(await stored()).toEqual(after);
  });

  it("a value under neither key stops the rotation, names the row, and nothing changes (one transaction, every column)", async () => {
    const previous = newKey();
    const current = newKey();
    const stranger = newKey();
    await put({
      [`${PREFIX}1-a`]: encryptSecret("one", { key: previous, context: `Setting.value:${PREFIX}1-a` }),
      [`${PREFIX}2-b`]: encryptSecret("two", { key: previous, context: `Setting.value:${PREFIX}2-b` }),
      [`${PREFIX}3-c`]: encryptSecret("three", { key: stranger, context: `Setting.value:${PREFIX}3-c` }),
    });
    const before = await stored();
    await expect(rotateEncryptionKey(db(), { previous, current }, [second, fixture])).rejects.toThrow(
      `Setting.value (test fixture) of ${PREFIX}3-c: encrypted with key ${stranger.fingerprint}, which is neither the previous key (${previous.fingerprint}) nor ENCRYPTION_KEY (${current.fingerprint}); nothing was changed`,
    );
    expect(await stored()).toEqual(before);
  });

  it("a value moved to another row does not decrypt there: refused, nothing changes", async () => {
    const previous = newKey();
    const current = newKey();
    const moved = encryptSecret("one", { key: previous, context: `Setting.value:${PREFIX}elsewhere` });
    await put({ [`${PREFIX}1-a`]: moved });
    await expect(rotateEncryptionKey(db(), { previous, current }, [fixture])).rejects.toThrow(
      `Setting.value (test fixture) of ${PREFIX}1-a: encrypted value with key ${previous.fingerprint} does not authenticate: it was altered, or belongs to another record; nothing was changed`,
    );
    expect(await stored()).toEqual({ [`${PREFIX}1-a`]: moved });
  });

  it("refuses the current key as the previous one", async () => {
    const k = newKey();
    await expect(rotateEncryptionKey(db(), { previous: k, current: k }, [fixture])).rejects.toThrow("the previous key is the current ENCRYPTION_KEY: nothing to rotate");
  });
});

describeEngines("npm run keys:rotate-encryption", (engine) => {
  const ctx = useTestDatabase(engine, { seed: false });
  const script = async (extraEnv: Record<string, string>, args: string[] = []) => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    return promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/rotate-encryption-key.ts", ...args], {
      env: { ...process.env, DATABASE_URL: ctx.url, ENCRYPTION_KEY: current, ...extraEnv },
    }).then(
      (r) => ({ code: 0, out: r.stdout.trim(), err: r.stderr.trim() }),
      (e) => ({ code: e.code as number, out: `${e.stdout}`.trim(), err: `${e.stderr}`.trim() }),
    );
  };
  const current = randomBytes(32).toString("base64");

  it("needs the previous key, from ENCRYPTION_KEY_PREVIOUS or a file", async () => {
    expect(await script({})).toEqual({ code: 1, out: "", err: "give the previous key: ENCRYPTION_KEY_PREVIOUS=<key> or --previous-key-file <file>" });
    expect(await script({}, ["--previous-key-file", "/nonexistent/key"])).toMatchObject({ code: 1, err: expect.stringMatching(/^cannot read the previous key from \/nonexistent\/key: ENOENT/) });
  }, 60_000);

  it("runs over the registered columns and says so", async () => {
    const previous = randomBytes(32).toString("base64");
    const r = await script({ ENCRYPTION_KEY_PREVIOUS: previous });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `SnapshotCredential.secret: 0 re-encrypted, 0 already under the current key\nSigningKey.privateJwk: 0 re-encrypted, 0 already under the current key\ndone: key ${encryptionKey(previous).fingerprint} -> ${encryptionKey(current).fingerprint}`,
    );
  }, 60_000);
});
