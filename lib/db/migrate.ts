import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { engineOf, sqlitePath } from "./engine";
import { prepareSqliteFile, tightenSqliteFiles } from "./sqlite-file";
import { splitStatements } from "./sql-split";

// Applies the committed Prisma migrations without the Prisma CLI, so start-up needs no schema
// engine. Rows in `_prisma_migrations` match what `prisma migrate deploy` writes (checksum =
// sha256 of migration.sql), so `prisma migrate status` agrees; re-running is a no-op.
//
// SQLite: the pending migrations run in one IMMEDIATE transaction (which also serialises
// replicas starting on the same file), with foreign keys switched off on the connection first:
// inside a transaction `PRAGMA foreign_keys=OFF` is ignored, and a table rebuild (create
// new_X, copy, DROP X, rename) would otherwise cascade its DROP into every child table.
// `PRAGMA foreign_key_check` runs after each migration; any violation rolls everything back.
//
// PostgreSQL: each migration runs in its own transaction under Prisma's advisory lock. A
// migration whose first line is `-- portcullis: no-transaction` runs statement by statement
// outside a transaction instead (for `CREATE INDEX CONCURRENTLY` on big tables); if it fails
// part-way its row stays unfinished and later runs refuse to continue until someone repairs the
// database and marks it rolled back (`npm run db:migrate -- --rolled-back <name>`, what
// `prisma migrate resolve --rolled-back` does, without Prisma's schema engine), as
// `prisma migrate deploy` does.

const PRISMA_ADVISORY_LOCK = 72707369;
export const NO_TRANSACTION_MARKER = "-- portcullis: no-transaction";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
  /** PostgreSQL only: run outside a transaction (first line `-- portcullis: no-transaction`). */
  noTransaction: boolean;
}

export interface MigrateResult {
  engine: "sqlite" | "postgresql";
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished: boolean | number;
  rolled_back: boolean | number;
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
      const firstLine = sql.split(/\r?\n/, 1)[0].trim();
      return {
        name,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
        noTransaction: firstLine === NO_TRANSACTION_MARKER,
      };
    });
}

const ROWS_SQL = `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM "_prisma_migrations"`;

/** The applied migrations (name -> checksum), after refusing edited or half-applied ones. */
function appliedSet(migrations: Migration[], rows: MigrationRow[]): Map<string, string> {
  const failed = rows.find((r) => !r.finished && !r.rolled_back);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed part-way outside a transaction and is recorded as unfinished; ` +
        `repair the database by hand, then mark it rolled back (\`npm run db:migrate -- --rolled-back ${failed.migration_name}\`) and start again`,
    );
  }
  const applied = new Map(rows.filter((r) => r.finished && !r.rolled_back).map((r) => [r.migration_name, r.checksum]));
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum && sum !== m.checksum) {
      throw new MigrationError(`migration ${m.name} was modified after it was applied (checksum differs)`);
    }
  }
  return applied;
}

export async function migrate(url: string, root = process.cwd()): Promise<MigrateResult> {
  const engine = engineOf(url);
  const migrations = readMigrations(migrationsDir(engine, root));
  return engine === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

interface FkViolation {
  table: string;
  rowid: number | bigint | null;
  parent: string;
  fkid: number;
}

/** "3 rows of "ApiToken" reference missing rows of "User"", one clause per (child, parent). */
function describeViolations(violations: FkViolation[]): string {
  const groups = new Map<string, number>();
  for (const v of violations) {
    const key = `"${v.table}" reference missing rows of "${v.parent}"`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([what, n]) => `${n} row${n === 1 ? "" : "s"} of ${what}`).join("; ");
}

async function migrateSqlite(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { default: Database } = await import("better-sqlite3");
  const file = prepareSqliteFile(sqlitePath(url));
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    tightenSqliteFiles(file);
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    // Outside the transaction, or SQLite ignores it (see the header).
    db.pragma("foreign_keys = OFF");
    if (db.pragma("foreign_keys", { simple: true }) !== 0) throw new MigrationError("could not switch SQLite foreign keys off for migrating");
    try {
      const applied: string[] = [];
      let already = 0;
      const run = db.transaction(() => {
        const done = appliedSet(migrations, db.prepare(ROWS_SQL).all() as MigrationRow[]);
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
          try {
            db.exec(m.sql);
          } catch (err) {
            throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
          }
          const violations = db.pragma("foreign_key_check") as FkViolation[];
          if (violations.length > 0) {
            throw new MigrationError(
              `migration ${m.name} would leave broken foreign keys (${describeViolations(violations)}); nothing was applied`,
            );
          }
          db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(Date.now(), id);
          applied.push(m.name);
        }
      });
      // BEGIN IMMEDIATE serialises concurrent starters on the same file.
      run.immediate();
      return { engine: "sqlite", applied, alreadyApplied: already };
    } finally {
      db.pragma("foreign_keys = ON");
    }
  } finally {
    db.close();
    tightenSqliteFiles(file);
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
    const done = appliedSet(migrations, (await client.query<MigrationRow>(ROWS_SQL)).rows);
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      const id = randomUUID();
      const record = () =>
        client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [id, m.checksum, m.name]);
      const finish = () =>
        client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      if (m.noTransaction) {
        // The row goes in first and stays unfinished if a statement fails, so the next run stops.
        await record();
        try {
          for (const statement of splitStatements(m.sql)) await client.query(statement);
        } catch (err) {
          const message = (err as Error).message;
          await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]).catch(() => {});
          throw new MigrationError(`migration ${m.name} failed outside a transaction (it may be partly applied): ${message}`);
        }
        await finish();
      } else {
        await client.query("BEGIN");
        try {
          await record();
          await client.query(m.sql);
          await finish();
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
        }
      }
      applied.push(m.name);
    }
    return { engine: "postgresql", applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

/**
 * Marks a failed (unfinished) migration as rolled back, so the next run applies it afresh; what
 * `prisma migrate resolve --rolled-back` does. Returns false when no such failed migration exists.
 */
export async function markRolledBack(url: string, name: string): Promise<boolean> {
  const sql = `UPDATE "_prisma_migrations" SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = ? AND finished_at IS NULL AND rolled_back_at IS NULL`;
  if (engineOf(url) === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(prepareSqliteFile(sqlitePath(url)));
    try {
      return db.prepare(sql.replace("CURRENT_TIMESTAMP", "?")).run(Date.now(), name).changes > 0;
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return ((await client.query(sql.replace("?", "$1"), [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
