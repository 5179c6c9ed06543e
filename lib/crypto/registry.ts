import type { Tx } from "@/lib/db";

// Every column that holds values encrypted with lib/crypto/secrets.ts, so that
// `npm run keys:rotate-encryption` re-encrypts all of them. A feature that stores an encrypted
// value adds its column here, e.g. (issue 10):
//
//   {
//     name: "Gateway.credential",
//     read: (tx) => tx.gateway.findMany({ select: { id: true, credential: true } })
//       .then((rows) => rows.map((r) => ({ id: r.id, value: r.credential }))),
//     write: (tx, id, value) => tx.gateway.update({ where: { id }, data: { credential: value } }).then(() => {}),
//     context: (id) => `Gateway.credential:${id}`,
//   },
//
// and encrypts with the same context: encryptSecret(plain, { context: `Gateway.credential:${id}` }).

export interface EncryptedColumn {
  /** "<Model>.<field>", for messages. */
  name: string;
  /** Every row's stored value (null when the row has none). */
  read(tx: Tx): Promise<{ id: string; value: string | null }[]>;
  write(tx: Tx, id: string, value: string): Promise<void>;
  /** The context the row's value is encrypted with (binds it to its row). */
  context(id: string): string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    name: "SnapshotCredential.secret",
    read: (tx) => tx.snapshotCredential.findMany({ select: { serverId: true, secret: true } }).then((rows) => rows.map((r) => ({ id: r.serverId, value: r.secret }))),
    write: (tx, id, value) => tx.snapshotCredential.update({ where: { serverId: id }, data: { secret: value } }).then(() => {}),
    context: (id) => `SnapshotCredential.secret:${id}`,
  },
  {
    name: "SigningKey.privateJwk",
    read: (tx) => tx.signingKey.findMany({ select: { id: true, privateJwk: true } }).then((rows) => rows.map((r) => ({ id: r.id, value: r.privateJwk }))),
    write: (tx, id, value) => tx.signingKey.update({ where: { id }, data: { privateJwk: value } }).then(() => {}),
    context: (id) => `SigningKey.privateJwk:${id}`,
  },
];
