// `npm run keys:rotate-encryption`: re-encrypts every stored credential from the previous
// encryption key to the current ENCRYPTION_KEY, in one transaction (docs/operations.md).
//   ENCRYPTION_KEY_PREVIOUS=<old key> npm run keys:rotate-encryption
//   npm run keys:rotate-encryption -- --previous-key-file <file holding the old key>
// A key is never taken from the command line itself (process lists and shell history show it).
import { readFileSync } from "node:fs";
import { db } from "@/lib/db";
import { env, EnvError } from "@/lib/env";
import { ENCRYPTED_COLUMNS } from "@/lib/crypto/registry";
import { RotationError, rotateEncryptionKey } from "@/lib/crypto/rotate";
import { encryptionKey, SecretError } from "@/lib/crypto/secrets";

function previousKeyText(): string {
  const flag = process.argv.indexOf("--previous-key-file");
  if (flag !== -1) {
    const file = process.argv[flag + 1];
    if (!file) throw new RotationError("--previous-key-file needs a file name");
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new RotationError(`cannot read the previous key from ${file}: ${(err as Error).message}`);
    }
  }
  const fromEnv = process.env.ENCRYPTION_KEY_PREVIOUS?.trim();
  if (fromEnv) return fromEnv;
  throw new RotationError("give the previous key: ENCRYPTION_KEY_PREVIOUS=<key> or --previous-key-file <file>");
}

try {
  const e = env();
  const previous = encryptionKey(previousKeyText(), "the previous key");
  const current = encryptionKey(e.ENCRYPTION_KEY);
  const results = await rotateEncryptionKey(db(), { previous, current });
  if (ENCRYPTED_COLUMNS.length === 0) console.log("no encrypted columns are registered yet: nothing to re-encrypt");
  for (const r of results) console.log(`${r.name}: ${r.reencrypted} re-encrypted, ${r.alreadyCurrent} already under the current key`);
  console.log(`done: key ${previous.fingerprint} -> ${current.fingerprint}`);
  await db().$disconnect();
} catch (err) {
  const known = err instanceof EnvError || err instanceof RotationError || err instanceof SecretError;
  console.error(known ? (err as Error).message : `rotation failed: ${(err as Error).message}`);
  process.exit(1);
}
