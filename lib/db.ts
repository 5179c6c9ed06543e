import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/pg/client";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { engineOf, sqlitePath, type Engine } from "@/lib/db/engine";
import { protectSqliteFile } from "@/lib/db/sqlite-file";

// One Prisma client, created on first use (so `next build` needs no database) and cached on
// globalThis (so dev reloads and the custom server share it). The app is typed against the
// PostgreSQL client; the SQLite client has the same models and is cast once, here.

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends" | "$use">;

const holder = globalThis as unknown as { __portcullisDb?: { url: string; client: Db } };

/** Secret columns are omitted unless a query asks for them explicitly. */
const omit = {
  user: { passwordHash: true },
  apiToken: { tokenHash: true },
  snapshotCredential: { secret: true },
  agent: { exchangeSecretHash: true },
  signingKey: { privateJwk: true },
} as const;

export function createDb(url: string): Db {
  const engine = engineOf(url);
  if (engine === "sqlite") {
    // better-sqlite3 loads its native module only when a connection opens; the file and its
    // file is created here first, private to this user (0600; migrate.ts makes the folder 0700).
    const adapter = new PrismaBetterSQLite3({ url: protectSqliteFile(sqlitePath(url)), timeout: 10_000 });
    return new SqliteClient({ adapter, omit }) as unknown as Db;
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), omit });
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL?.trim() || "file:./data/portcullis.db";
}

export function databaseEngine(): Engine {
  return engineOf(databaseUrl());
}

/** The process-wide client. */
export function db(): Db {
  const url = databaseUrl();
  if (!holder.__portcullisDb || holder.__portcullisDb.url !== url) {
    holder.__portcullisDb = { url, client: createDb(url) };
  }
  return holder.__portcullisDb.client;
}

/**
 * Serialises transactions that check-then-insert on the same key where the schema cannot hold a
 * unique constraint. On PostgreSQL: a transaction-scoped advisory lock. SQLite runs one write
 * transaction at a time already.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  if (databaseEngine() === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }
}
