import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { Engine } from "@/lib/db/engine";
import { tempDir } from "./temp";

// Scratch databases for integration tests: SQLite is a file in a fresh temp directory;
// PostgreSQL is a new database on the server TEST_DATABASE_URL names, dropped afterwards.
// Destructive work is refused anywhere but this machine.

export const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Throws unless the PostgreSQL URL points at this machine. */
export function assertLocalDatabase(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("TEST_DATABASE_URL is not a URL");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new Error(`TEST_DATABASE_URL must be postgres:// or postgresql://, not ${parsed.protocol}`);
  }
  // libpq lets `?host=` override the authority; both must be local (or a Unix socket path).
  const hosts = [parsed.hostname, parsed.searchParams.get("host") ?? ""].filter(Boolean);
  if (hosts.length === 0) throw new Error("refusing to use a database URL without a host");
  for (const h of hosts) {
    if (!h.startsWith("/") && !LOCAL_HOSTS.has(h.toLowerCase())) {
      throw new Error(`refusing to create or drop databases on ${h}: tests only run against localhost, 127.0.0.1 or ::1`);
    }
  }
  return parsed;
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL?.trim() || undefined;
}

/** The engines this run covers: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function enginesUnderTest(): Engine[] {
  return testDatabaseUrl() ? ["sqlite", "postgresql"] : ["sqlite"];
}

export interface ScratchDatabase {
  engine: Engine;
  url: string;
  drop(): Promise<void>;
}

async function adminClient(server: URL): Promise<pg.Client> {
  // Connect to the named database; fall back to `postgres` when it does not exist (yet).
  for (const dbName of [server.pathname.slice(1) || "postgres", "postgres"]) {
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    const client = new pg.Client({ connectionString: u.toString() });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      if ((err as { code?: string }).code !== "3D000" || dbName === "postgres") throw err;
    }
  }
  throw new Error("unreachable");
}

const SCRATCH_PREFIX = "pc_test_";

export async function createScratchDatabase(engine: Engine): Promise<ScratchDatabase> {
  if (engine === "sqlite") {
    const dir = tempDir("sqlite");
    const file = join(dir, "test.db");
    return {
      engine,
      url: `file:${file}`,
      async drop() {
        const real = resolve(dirname(file));
        if (!real.startsWith(resolve(inject("tempRoot")))) throw new Error(`refusing to delete ${real}: not under this run's temp root`);
        if (existsSync(real)) rmSync(real, { recursive: true, force: true });
      },
    };
  }
  const raw = testDatabaseUrl();
  if (!raw) throw new Error("PostgreSQL not configured (set TEST_DATABASE_URL)");
  const server = assertLocalDatabase(raw);
  const name = `${SCRATCH_PREFIX}${inject("runId")}_${randomBytes(4).toString("hex")}`;
  const admin = await adminClient(server);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    engine,
    url: u.toString(),
    async drop() {
      const c = await adminClient(assertLocalDatabase(raw));
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Drops the scratch databases of one run that are still there (a file's afterAll failed). */
export async function dropScratchDatabasesOfRun(runId: string): Promise<void> {
  const raw = testDatabaseUrl();
  if (!raw || !/^[0-9a-f]+$/.test(runId)) return;
  const c = await adminClient(assertLocalDatabase(raw));
  try {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${SCRATCH_PREFIX}${runId}_%`]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** Runs raw SQL against the scratch database, bypassing Prisma (tampering, triggers). */
export async function rawSql(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(url.slice("file:".length));
    try {
      db.pragma("busy_timeout = 10000");
      const stmt = db.prepare(sql);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // pg uses $1.. placeholders; the tests write `?` for both engines.
    let i = 0;
    const text = sql.replace(/\?/g, () => `$${++i}`);
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Executes several statements (DDL such as triggers) on either engine. */
export async function execSql(url: string, sql: string): Promise<void> {
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(url.slice("file:".length));
    try {
      db.pragma("busy_timeout = 10000");
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Makes every insert into the audit store fail until the returned function is called, to prove
 * that a change and its audit event commit together (or not at all).
 */
export async function breakAuditInserts(url: string): Promise<() => Promise<void>> {
  if (url.startsWith("file:")) {
    await execSql(url, `CREATE TRIGGER "test_audit_down" BEFORE INSERT ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit store down'); END;`);
    return () => execSql(url, `DROP TRIGGER IF EXISTS "test_audit_down";`);
  }
  await execSql(
    url,
    `CREATE OR REPLACE FUNCTION test_audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$;
     CREATE TRIGGER "test_audit_down" BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION test_audit_down();`,
  );
  return () => execSql(url, `DROP TRIGGER IF EXISTS "test_audit_down" ON "AuditEvent"; DROP FUNCTION IF EXISTS test_audit_down();`);
}
