import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { engineOf, sqlitePath } from "./engine";

// Applies the committed Prisma migrations without the Prisma CLI, so start-up needs no schema
// engine. Rows in `_prisma_migrations` match what `prisma migrate deploy` writes (checksum =
// sha256 of migration.sql), so `prisma migrate status` agrees. Each migration runs in one
// transaction; re-running is a no-op.

const PRISMA_ADVISORY_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  engine: "sqlite" | "postgresql";
  applied: string[];
  alreadyApplied: number;
}

export function migrationsDir(engine: "sqlite" | "postgresql", root = process.cwd()): string {
  return join(root, "prisma", engine === "sqlite" ? "sqlite/migrations" : "migrations");
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkChecksums(migrations: Migration[], applied: Map<string, string>) {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum && sum !== m.checksum) {
      throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
    }
  }
}

export async function migrate(url: string, root = process.cwd()): Promise<MigrateResult> {
  const engine = engineOf(url);
  const migrations = readMigrations(migrationsDir(engine, root));
  return engine === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

async function migrateSqlite(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { default: Database } = await import("better-sqlite3");
  const file = resolve(sqlitePath(url));
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied: string[] = [];
    let already = 0;
    // BEGIN IMMEDIATE serialises concurrent starters on the same file.
    const run = db.transaction(() => {
      const rows = db
        .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all() as { migration_name: string; checksum: string }[];
      const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      checkChecksums(migrations, done);
      for (const m of migrations) {
        if (done.has(m.name)) {
          already++;
          continue;
        }
        const id = randomUUID();
        db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(
          id,
          m.checksum,
          m.name,
          Date.now(),
        );
        db.exec(m.sql);
        db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(Date.now(), id);
        applied.push(m.name);
      }
    });
    run.immediate();
    return { engine: "sqlite", applied, alreadyApplied: already };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    checkChecksums(migrations, done);
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [
          id,
          m.checksum,
          m.name,
        ]);
        await client.query(m.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    return { engine: "postgresql", applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}
