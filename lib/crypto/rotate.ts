import type { Db } from "@/lib/db";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "@/lib/crypto/registry";
import { decryptSecret, encryptSecret, fingerprintOf, SecretError, type EncryptionKey } from "@/lib/crypto/secrets";

// Re-encrypts every registered encrypted column from the previous key to the current one, in
// one transaction: either every value moves or none does. Values already under the current key
// are checked (they must decrypt) and left alone, so running it again is a no-op.

export interface ColumnRotation {
  name: string;
  reencrypted: number;
  alreadyCurrent: number;
}

export class RotationError extends Error {}

export async function rotateEncryptionKey(
  client: Db,
  keys: { previous: EncryptionKey; current: EncryptionKey },
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<ColumnRotation[]> {
  const { previous, current } = keys;
  if (previous.fingerprint === current.fingerprint) {
    throw new RotationError("the previous key is the current ENCRYPTION_KEY: nothing to rotate");
  }
  return client.$transaction(
    async (tx) => {
      const out: ColumnRotation[] = [];
      for (const column of columns) {
        const result = { name: column.name, reencrypted: 0, alreadyCurrent: 0 };
        for (const { id, value } of await column.read(tx)) {
          if (value === null || value === "") continue;
          const context = column.context(id);
          const where = `${column.name} of ${id}`;
          const fingerprint = fingerprintOf(value);
          try {
            if (fingerprint === current.fingerprint) {
              decryptSecret(value, { keys: [current], context });
              result.alreadyCurrent++;
            } else if (fingerprint === previous.fingerprint) {
              const plain = decryptSecret(value, { keys: [previous], context });
              await column.write(tx, id, encryptSecret(plain, { key: current, context }));
              result.reencrypted++;
            } else {
              throw new SecretError(
                fingerprint
                  ? `encrypted with key ${fingerprint}, which is neither the previous key (${previous.fingerprint}) nor ENCRYPTION_KEY (${current.fingerprint})`
                  : "not an encrypted value",
              );
            }
          } catch (err) {
            if (!(err instanceof SecretError)) throw err;
            throw new RotationError(`${where}: ${err.message}; nothing was changed`);
          }
        }
        out.push(result);
      }
      return out;
    },
    { maxWait: 10_000, timeout: 30 * 60_000 },
  );
}
