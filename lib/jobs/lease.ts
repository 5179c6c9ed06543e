import { db, databaseEngine, type Tx } from "@/lib/db";

// A lease row per background job, so that among several console replicas only one runs it.
// The holder renews before expiry; a crashed holder's lease simply runs out.
//
// Leases are timed by the DATABASE's clock, never by a replica's: two replicas whose clocks
// disagree would otherwise both believe they hold the lease (a fast clock sees a live lease as
// expired; a slow one writes an expiry already in the past). On SQLite, Prisma stores DateTime as
// text like `2026-01-02T03:04:05.678+00:00`; the SQL below writes that same form and compares
// through julianday(), which reads any form SQLite understands. On PostgreSQL the column is a
// `timestamp` without time zone holding UTC, so `now()` is taken in UTC.

export class LeaseLostError extends Error {
  constructor(name: string, holder: string) {
    super(`lease ${name} is no longer held by ${holder}`);
    this.name = "LeaseLostError";
  }
}

const PG_NOW = `(now() AT TIME ZONE 'UTC')`;

/** Takes the lease (or renews it for its holder) for `ttlMs` from now, by the database's clock. */
export async function acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
  const ms = Math.max(0, Math.round(ttlMs));
  // One atomic upsert: a new lease, a renewal by its holder, or a takeover of an expired one.
  const rows =
    databaseEngine() === "postgresql"
      ? await db().$queryRawUnsafe<{ holder: string }[]>(
          `INSERT INTO "Lease" ("name", "holder", "expiresAt") VALUES ($1, $2, ${PG_NOW} + $3 * interval '1 millisecond')
           ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
           WHERE "Lease"."holder" = EXCLUDED."holder" OR "Lease"."expiresAt" <= ${PG_NOW}
           RETURNING "holder"`,
          name,
          holder,
          ms,
        )
      : await db().$queryRawUnsafe<{ holder: string }[]>(
          `INSERT INTO "Lease" ("name", "holder", "expiresAt") VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', ?))
           ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt"
           WHERE "Lease"."holder" = excluded."holder" OR julianday("Lease"."expiresAt") <= julianday('now')
           RETURNING "holder"`,
          name,
          holder,
          `+${(ms / 1000).toFixed(3)} seconds`,
        );
  return rows.length === 1;
}

/**
 * Inside a transaction: throws LeaseLostError unless `holder` still holds the lease and it has
 * not expired (database clock). On PostgreSQL the lease row stays locked (FOR UPDATE) until the
 * transaction ends, so nobody can take the lease over while the work it guards commits; on
 * SQLite the no-op UPDATE takes the database's write lock for the same effect.
 */
export async function assertLeaseHeld(tx: Tx, name: string, holder: string): Promise<void> {
  const held =
    databaseEngine() === "postgresql"
      ? (
          await tx.$queryRawUnsafe<{ name: string }[]>(
            `SELECT "name" FROM "Lease" WHERE "name" = $1 AND "holder" = $2 AND "expiresAt" > ${PG_NOW} FOR UPDATE`,
            name,
            holder,
          )
        ).length === 1
      : (await tx.$executeRawUnsafe(
          `UPDATE "Lease" SET "holder" = "holder" WHERE "name" = ? AND "holder" = ? AND julianday("expiresAt") > julianday('now')`,
          name,
          holder,
        )) === 1;
  if (!held) throw new LeaseLostError(name, holder);
}

export async function releaseLease(name: string, holder: string): Promise<void> {
  await db().lease.deleteMany({ where: { name, holder } });
}

/** The database's current time (one clock for every replica's schedules and records). */
export async function databaseNow(client: Tx = db()): Promise<Date> {
  if (databaseEngine() === "postgresql") {
    const [row] = await client.$queryRawUnsafe<{ now: string }[]>(
      `SELECT to_char(${PG_NOW}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "now"`,
    );
    return new Date(row.now);
  }
  const [row] = await client.$queryRawUnsafe<{ now: string }[]>(`SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "now"`);
  return new Date(row.now);
}
