import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Engine } from "@/lib/db/engine";
import { createDb } from "@/lib/db";
import { migrate, migrationsDir } from "@/lib/db/migrate";
import { describeEngine, describeEngines, scratchDatabases } from "../helpers/context";
import { execSql, rawSql } from "../helpers/database";
import { tempDir } from "../helpers/temp";

const run = promisify(execFile);
const ROOT = process.cwd();
const PRISMA_CLI = join(ROOT, "node_modules/prisma/build/index.js");
const OFFLINE = { PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };

/** Migration folders on disk, read independently of lib/db/migrate.ts. */
function migrationFolders(engine: Engine, root = ROOT) {
  const dir = join(root, "prisma", engine === "sqlite" ? "sqlite/migrations" : "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, checksum: createHash("sha256").update(readFileSync(join(dir, name, "migration.sql"))).digest("hex") }));
}

interface Model {
  columns: Map<string, { nullable: boolean }>;
  indexes: Set<string>; // "unique:a,b" / "index:a,b"
}

/** Models of prisma/schema.prisma: scalar columns (relations skipped) and declared indexes. */
function schemaModels(): Map<string, Model> {
  const text = readFileSync(join(ROOT, "prisma/schema.prisma"), "utf8");
  const names = new Set([...text.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]));
  const models = new Map<string, Model>();
  for (const m of text.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const model: Model = { columns: new Map(), indexes: new Set() };
    for (const raw of m[2].split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("//")) continue;
      const block = /^@@(unique|index)\(\[([^\]]+)\]/.exec(line);
      if (block) {
        model.indexes.add(`${block[1]}:${block[2].split(",").map((s) => s.trim()).join(",")}`);
        continue;
      }
      if (line.startsWith("@@")) continue;
      const [field, type] = line.split(/\s+/);
      if (names.has(type.replace(/[?[\]]/g, ""))) continue; // relation field
      model.columns.set(field, { nullable: type.endsWith("?") });
      if (/\s@unique\b/.test(line)) model.indexes.add(`unique:${field}`);
    }
    models.set(m[1], model);
  }
  return models;
}

/** The same shape, read from a migrated database. */
async function databaseModels(engine: Engine, url: string): Promise<Map<string, Model>> {
  const out = new Map<string, Model>();
  const model = (t: string) => out.get(t) ?? out.set(t, { columns: new Map(), indexes: new Set() }).get(t)!;
  if (engine === "sqlite") {
    const tables = await rawSql(url, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`);
    for (const { name } of tables as { name: string }[]) {
      for (const c of (await rawSql(url, `SELECT name, "notnull", pk FROM pragma_table_info(?)`, [name])) as { name: string; notnull: number; pk: number }[]) {
        model(name).columns.set(c.name, { nullable: c.notnull === 0 && c.pk === 0 });
      }
      // Partial indexes are hand-written (Prisma's schema cannot express them): checked apart.
      const idx = (await rawSql(url, `SELECT name, "unique" FROM pragma_index_list(?) WHERE origin = 'c' AND partial = 0`, [name])) as { name: string; unique: number }[];
      for (const i of idx) {
        const cols = (await rawSql(url, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [i.name])) as { name: string }[];
        model(name).indexes.add(`${i.unique ? "unique" : "index"}:${cols.map((c) => c.name).join(",")}`);
      }
    }
    return out;
  }
  const cols = (await rawSql(
    url,
    `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  )) as { table_name: string; column_name: string; is_nullable: string }[];
  for (const c of cols) model(c.table_name).columns.set(c.column_name, { nullable: c.is_nullable === "YES" });
  const idx = (await rawSql(
    url,
    `SELECT t.relname AS table_name, i.indisunique AS is_unique,
            string_agg(a.attname, ',' ORDER BY k.ord) AS cols
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND NOT i.indisprimary AND i.indpred IS NULL AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, c.relname, i.indisunique`,
  )) as { table_name: string; is_unique: boolean; cols: string }[];
  for (const i of idx) model(i.table_name).indexes.add(`${i.is_unique ? "unique" : "index"}:${i.cols}`);
  return out;
}

async function migrationRows(url: string) {
  const rows = await rawSql(url, `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
  return rows.map((r) => ({
    name: r.migration_name as string,
    checksum: r.checksum as string,
    finished: r.finished_at !== null,
    rolledBack: r.rolled_back_at !== null,
    steps: Number(r.applied_steps_count),
  }));
}

/** A copy of prisma/ under a temp root, so a test can add or edit migrations. */
function copyOfProject(): string {
  const root = tempDir("project");
  cpSync(join(ROOT, "prisma"), join(root, "prisma"), { recursive: true });
  return root;
}

describeEngines("migrations", (engine) => {
  const fresh = scratchDatabases(engine);
  const folders = migrationFolders(engine);

  it("has committed migrations for this engine", () => {
    expect(folders.length).toBeGreaterThan(0);
    expect(migrationsDir(engine)).toBe(join(ROOT, "prisma", engine === "sqlite" ? "sqlite/migrations" : "migrations"));
  });

  it("migrates a fresh database, then re-running is a no-op", async () => {
    const url = await fresh();
    expect(await migrate(url)).toEqual({ engine, applied: folders.map((f) => f.name), alreadyApplied: 0 });
    const rows = await migrationRows(url);
    expect(await migrate(url)).toEqual({ engine, applied: [], alreadyApplied: folders.length });
    expect(await migrationRows(url)).toEqual(rows);
  });

  it("records each migration as prisma migrate deploy does: sha256 checksum, finished, one step", async () => {
    const url = await fresh();
    await migrate(url);
    expect(await migrationRows(url)).toEqual(
      folders.map((f) => ({ name: f.name, checksum: f.checksum, finished: true, rolledBack: false, steps: 1 })),
    );
  });

  it("produces exactly the tables, columns, nullability and indexes of prisma/schema.prisma", async () => {
    const url = await fresh();
    await migrate(url);
    const want = schemaModels();
    const got = await databaseModels(engine, url);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [table, model] of want) {
      expect(Object.fromEntries(got.get(table)!.columns), `columns of ${table}`).toEqual(Object.fromEntries(model.columns));
      expect([...got.get(table)!.indexes].sort(), `indexes of ${table}`).toEqual([...model.indexes].sort());
    }
  });

  it("has the hand-written partial unique index: one pending review per subject", async () => {
    const url = await fresh();
    await migrate(url);
    const sql =
      engine === "sqlite"
        ? `SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND name = 'Review_one_pending_per_subject'`
        : `SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'Review_one_pending_per_subject'`;
    const [{ def }] = (await rawSql(url, sql)) as { def: string }[];
    expect(def.replace(/\s+/g, " ")).toMatch(/^CREATE UNIQUE INDEX "Review_one_pending_per_subject" ON (public\.)?"Review" ?(USING btree )?\("subjectType", "subjectId"\) WHERE \(?"?state"? = 'pending'/);
  });

  it("agrees with `prisma migrate status`", async () => {
    const url = await fresh();
    await migrate(url);
    const { stdout } = await run(process.execPath, [PRISMA_CLI, "migrate", "status", "--config", "tests/helpers/prisma.config.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE, DATABASE_URL: url },
    });
    expect(stdout).toContain(`${folders.length} migration${folders.length === 1 ? "" : "s"} found`);
    expect(stdout).toContain("Database schema is up to date!");
  });

  it("refuses a migration modified after it was applied, and changes nothing", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    const before = await migrationRows(url);
    const first = folders[0].name;
    appendFileSync(join(migrationsDir(engine, root), first, "migration.sql"), "\n-- edited later\n");
    await expect(migrate(url, root)).rejects.toThrow(`migration ${first} was modified after it was applied (checksum differs)`);
    expect(await migrationRows(url)).toEqual(before);
  });

  it("applies only a migration added later", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    const dir = join(migrationsDir(engine, root), "29991231000000_extra");
    mkdirSync(dir);
    writeFileSync(join(dir, "migration.sql"), `CREATE TABLE "Extra" ("id" TEXT NOT NULL PRIMARY KEY);\n`);
    expect(await migrate(url, root)).toEqual({ engine, applied: ["29991231000000_extra"], alreadyApplied: folders.length });
    expect(await rawSql(url, `SELECT count(*) AS n FROM "Extra"`)).toEqual([{ n: engine === "sqlite" ? 0 : "0" }]);
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    const dir = join(migrationsDir(engine, root), "29991231000000_broken");
    mkdirSync(dir);
    writeFileSync(join(dir, "migration.sql"), `CREATE TABLE "Partial" ("id" TEXT);\nINSERT INTO "NoSuchTable" VALUES (1);\n`);
    await expect(migrate(url, root)).rejects.toThrow(/NoSuchTable/);
    expect((await migrationRows(url)).map((r) => r.name)).toEqual(folders.map((f) => f.name));
    const partial =
      engine === "sqlite"
        ? await rawSql(url, `SELECT name FROM sqlite_master WHERE name = 'Partial'`)
        : await rawSql(url, `SELECT table_name FROM information_schema.tables WHERE table_name = 'Partial'`);
    expect(partial).toEqual([]);
  });

  it("two replicas migrating one fresh database at once apply each migration once (npm run db:migrate)", async () => {
    const url = await fresh();
    const dataDir = tempDir("migrate-data");
    const start = () =>
      run(join(ROOT, "node_modules/.bin/tsx"), ["scripts/migrate.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(32) },
      });
    const outputs = (await Promise.all([start(), start()])).map((r) => r.stdout.trim()).sort();
    expect(outputs).toEqual([
      `${engine}: applied ${folders.map((f) => f.name).join(", ")}`,
      `${engine}: up to date (${folders.length} migrations applied before)`,
    ]);
    expect((await migrationRows(url)).map((r) => r.name)).toEqual(folders.map((f) => f.name));
  });
});

const REBUILD = "20261202174629_foundation_hardening";
const T0 = "2026-11-30T10:00:00.000Z";

/** Rows of every table the app owns, keyed by table, in primary-key order. */
async function snapshot(url: string, tables: string[]) {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables) {
    const key = t === "Setting" ? "key" : t === "Lease" ? "name" : t === "AuditEvent" ? "seq" : "id";
    out[t] = await rawSql(url, `SELECT * FROM "${t}" ORDER BY "${key}"`);
  }
  return out;
}

/** `after` restricted to the columns `before` had (a migration may add columns). */
function sameColumns(before: Record<string, Record<string, unknown>[]>, after: Record<string, Record<string, unknown>[]>) {
  return Object.fromEntries(
    Object.entries(after).map(([t, rows]) => {
      const cols = before[t][0] ? Object.keys(before[t][0]) : [];
      return [t, rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c]])))];
    }),
  );
}

const FALSE = "false"; // a literal both engines read as boolean false (SQLite stores 0)

/** Users (people and a service account), tokens, failures, reviews, audit events, settings, a lease. */
async function seedFoundation(url: string) {
  const users = [
    ["u-admin", "human", "admin@test.local", "Admin", "admin", "hash-a", null],
    ["u-approver", "human", "approver@test.local", "Approver", "approver", "hash-b", "u-admin"],
    ["u-svc", "service", null, "svc-ci", "publisher", null, "u-admin"],
  ];
  for (const [id, kind, email, name, role, hash, by] of users) {
    await rawSql(
      url,
      `INSERT INTO "User" (id, kind, email, name, role, "passwordHash", disabled, "createdById", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ${FALSE}, ?, ?, ?)`,
      [id, kind, email, name, role, hash, by, T0, T0],
    );
  }
  for (const [id, userId] of [["t-1", "u-admin"], ["t-2", "u-approver"], ["t-3", "u-svc"], ["t-4", "u-svc"]]) {
    await rawSql(url, `INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash", "createdById", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      id,
      userId,
      `token ${id}`,
      `pc_${id}`,
      `hash-${id}`,
      "u-admin",
      T0,
    ]);
  }
  for (const id of ["f-1", "f-2"]) await rawSql(url, `INSERT INTO "LoginFailure" (id, email, at) VALUES (?, ?, ?)`, [id, "admin@test.local", T0]);
  await rawSql(url, `INSERT INTO "Review" (id, "subjectType", "subjectId", "subjectName", state, "submittedById", "submittedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`, [
    "r-1",
    "server",
    "s-1",
    "io.example/weather",
    "pending",
    "u-svc",
    T0,
  ]);
  for (const id of ["e-1", "e-2"]) {
    await rawSql(url, `INSERT INTO "AuditEvent" (id, stream, time, "actorType", "actorId", action, data) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      id,
      "console",
      T0,
      "user",
      "u-admin",
      "user.create",
      JSON.stringify({ n: id }),
    ]);
  }
  await rawSql(url, `INSERT INTO "Setting" (key, value, "updatedAt") VALUES (?, ?, ?)`, ["tokens.defaultDays", "90", T0]);
  await rawSql(url, `INSERT INTO "Lease" (name, holder, "expiresAt") VALUES (?, ?, ?)`, ["audit-sealer", "replica-1", T0]);
}
const FOUNDATION_TABLES = ["User", "ApiToken", "LoginFailure", "Review", "AuditEvent", "Setting", "Lease"];

/** A copy of prisma/ without the migrations from `from` on (so a test can apply them later). */
function projectBefore(engine: Engine, from: string): { root: string; restore(): void } {
  const root = copyOfProject();
  const dir = migrationsDir(engine, root);
  const later = readdirSync(dir).filter((n) => n >= from && !n.endsWith(".toml"));
  for (const n of later) rmSync(join(dir, n), { recursive: true });
  return { root, restore: () => later.forEach((n) => cpSync(join(migrationsDir(engine), n), join(dir, n), { recursive: true })) };
}

function addMigration(engine: Engine, root: string, name: string, sql: string) {
  const dir = join(migrationsDir(engine, root), name);
  mkdirSync(dir);
  writeFileSync(join(dir, "migration.sql"), sql);
}

describeEngines("migrations keep data", (engine) => {
  const fresh = scratchDatabases(engine);

  it(`${REBUILD} (which rebuilds User and LoginFailure on SQLite) keeps every row of every table`, async () => {
    const url = await fresh();
    const project = projectBefore(engine, REBUILD);
    await migrate(url, project.root);
    await seedFoundation(url);
    const before = await snapshot(url, FOUNDATION_TABLES);
    expect(before.ApiToken).toHaveLength(4);

    project.restore();
    const r = await migrate(url, project.root);
    expect(r.applied).toContain(REBUILD);
    expect(sameColumns(before, await snapshot(url, FOUNDATION_TABLES))).toEqual(before);
    // and the new columns got their defaults
    expect(await rawSql(url, `SELECT "sessionVersion" AS v, "mustChangePassword" AS m FROM "User" ORDER BY id`)).toEqual(
      [0, 1, 2].map(() => ({ v: 0, m: engine === "sqlite" ? 0 : false })),
    );
    expect(await rawSql(url, `SELECT DISTINCT address FROM "LoginFailure"`)).toEqual([{ address: "" }]);
    if (engine === "sqlite") {
      expect(await rawSql(url, `SELECT * FROM pragma_foreign_key_check`)).toEqual([]);
      // the database still enforces its foreign keys afterwards
      await expect(rawSql(url, `INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash") VALUES ('t-x', 'nobody', 'n', 'p', 'h')`)).rejects.toThrow(
        /FOREIGN KEY constraint failed/,
      );
    }
  });

  it("a later rebuild of User (name made optional) keeps users, tokens and sessions", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    await seedFoundation(url);
    for (const [id, userId] of [["sess-1", "u-admin"], ["sess-2", "u-approver"]]) {
      await rawSql(url, `INSERT INTO "UserSession" (id, "userId", "createdAt", "expiresAt", "lastSeenAt") VALUES (?, ?, ?, ?, ?)`, [id, userId, T0, T0, T0]);
    }
    const tables = [...FOUNDATION_TABLES, "UserSession"];
    const before = await snapshot(url, tables);
    const userColumns = (await rawSql(url, `SELECT * FROM "User" LIMIT 1`)).flatMap((r) => Object.keys(r));
    const cols = userColumns.map((c) => `"${c}"`).join(", ");
    // What `prisma migrate diff` writes for SQLite when a column becomes optional: a rebuild.
    const sql =
      engine === "sqlite"
        ? `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY, "kind" TEXT NOT NULL DEFAULT 'human', "email" TEXT, "name" TEXT,
    "role" TEXT NOT NULL, "passwordHash" TEXT, "disabled" BOOLEAN NOT NULL DEFAULT false, "ssoIssuer" TEXT,
    "ssoSubject" TEXT, "createdById" TEXT, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL, "lastLoginAt" DATETIME, "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_User" (${cols}) SELECT ${cols} FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "User_kind_createdAt_idx" ON "User"("kind", "createdAt");
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`
        : `ALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;
`;
    addMigration(engine, root, "29991231000000_user_name_optional", sql);
    expect((await migrate(url, root)).applied).toEqual(["29991231000000_user_name_optional"]);
    expect(await snapshot(url, tables)).toEqual(before);
  });
});

/** A copy of the project (prisma/, the test Prisma config, node_modules linked) for the Prisma CLI. */
function projectForCli(): string {
  const root = copyOfProject();
  mkdirSync(join(root, "tests/helpers"), { recursive: true });
  cpSync(join(ROOT, "tests/helpers/prisma.config.ts"), join(root, "tests/helpers/prisma.config.ts"));
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

async function prismaCli(root: string, url: string, args: string[]) {
  return run(process.execPath, [PRISMA_CLI, ...args, "--config", "tests/helpers/prisma.config.ts"], {
    cwd: root,
    env: { ...process.env, ...OFFLINE, DATABASE_URL: url },
  });
}

describeEngine("postgresql", "PostgreSQL migrations outside a transaction", () => {
  const engine: Engine = "postgresql";
  const fresh = scratchDatabases(engine);
  const concurrently = `CREATE INDEX CONCURRENTLY "AuditEvent_via_idx" ON "AuditEvent"("via");\nCREATE INDEX CONCURRENTLY "AuditEvent_credentialId_idx" ON "AuditEvent"("credentialId");\n`;
  const indexes = async (url: string) =>
    (await rawSql(url, `SELECT indexname FROM pg_indexes WHERE indexname IN ('AuditEvent_via_idx', 'AuditEvent_credentialId_idx') ORDER BY indexname`)).map(
      (r) => r.indexname,
    );

  it("CREATE INDEX CONCURRENTLY is refused inside a transaction (why the marker exists)", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    addMigration(engine, root, "29991231000000_audit_indexes", concurrently);
    await expect(migrate(url, root)).rejects.toThrow(/29991231000000_audit_indexes failed: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    expect(await indexes(url)).toEqual([]);
  });

  it("a migration marked `-- portcullis: no-transaction` runs statement by statement; prisma migrate status agrees", async () => {
    const url = await fresh();
    const root = projectForCli();
    await migrate(url, root);
    const sql = `-- portcullis: no-transaction\n-- a ; inside a comment, and 'a ; inside a string' below\n${concurrently}COMMENT ON INDEX "AuditEvent_via_idx" IS 'by via; for audit filters';\n`;
    addMigration(engine, root, "29991231000000_audit_indexes", sql);
    expect(await migrate(url, root)).toEqual({ engine, applied: ["29991231000000_audit_indexes"], alreadyApplied: migrationFolders(engine).length });
    expect(await indexes(url)).toEqual(["AuditEvent_credentialId_idx", "AuditEvent_via_idx"]);
    expect((await migrationRows(url)).at(-1)).toEqual({
      name: "29991231000000_audit_indexes",
      checksum: createHash("sha256").update(sql).digest("hex"),
      finished: true,
      rolledBack: false,
      steps: 1,
    });
    const { stdout } = await prismaCli(root, url, ["migrate", "status"]);
    expect(stdout).toContain("Database schema is up to date!");
    expect((await migrate(url, root)).applied).toEqual([]);
  });

  it("a no-transaction migration failing part-way blocks later runs until it is marked rolled back", async () => {
    const url = await fresh();
    const root = projectForCli();
    await migrate(url, root);
    const name = "29991231000000_audit_indexes";
    addMigration(engine, root, name, `-- portcullis: no-transaction\n${concurrently}CREATE INDEX CONCURRENTLY "x_idx" ON "NoSuchTable"("id");\n`);
    await expect(migrate(url, root)).rejects.toThrow(`migration ${name} failed outside a transaction (it may be partly applied): relation "NoSuchTable" does not exist`);
    expect(await indexes(url)).toEqual(["AuditEvent_credentialId_idx", "AuditEvent_via_idx"]);
    const row = (await rawSql(url, `SELECT finished_at, rolled_back_at, logs FROM "_prisma_migrations" WHERE migration_name = ?`, [name]))[0];
    expect(row).toEqual({ finished_at: null, rolled_back_at: null, logs: 'relation "NoSuchTable" does not exist' });
    // Prisma sees the same failed migration
    const status = await prismaCli(root, url, ["migrate", "status"]).catch((e) => e);
    expect(`${status.stderr}`).toContain(`Following migration have failed:\n${name}`);

    const refusal = `migration ${name} failed part-way outside a transaction and is recorded as unfinished; repair the database by hand, then mark it rolled back (\`npm run db:migrate -- --rolled-back ${name}\`) and start again`;
    await expect(migrate(url, root)).rejects.toThrow(refusal);

    // The operator repairs (here: the fixed migration is idempotent) and marks it rolled back.
    writeFileSync(
      join(migrationsDir(engine, root), name, "migration.sql"),
      `-- portcullis: no-transaction\n${concurrently.replaceAll("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS")}`,
    );
    const script = (args: string[]) =>
      run(join(ROOT, "node_modules/.bin/tsx"), ["scripts/migrate.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, DATA_DIR: tempDir("migrate-data"), AUTH_SECRET: "x".repeat(32) },
      });
    expect((await script(["--rolled-back", name])).stdout.trim()).toBe(`postgresql: marked ${name} as rolled back; the next run applies it again`);
    const again = await script(["--rolled-back", name]).catch((e) => e);
    expect([again.code, again.stderr.trim()]).toEqual([1, `no failed migration named ${name} to mark rolled back`]);
    expect((await migrate(url, root)).applied).toEqual([name]);
    expect((await migrationRows(url)).filter((r) => r.name === name).map((r) => [r.finished, r.rolledBack])).toEqual([
      [false, true],
      [true, false],
    ]);
    const { stdout } = await prismaCli(root, url, ["migrate", "status"]);
    expect(stdout).toContain("Database schema is up to date!");
  }, 120_000);
});

describeEngine("sqlite", "SQLite migrations: foreign key checks, whole-run rollback, no-transaction marker", () => {
  const engine: Engine = "sqlite";
  const fresh = scratchDatabases(engine);

  it("refuses a migration that leaves broken foreign keys, and changes nothing", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    await seedFoundation(url);
    const before = await snapshot(url, FOUNDATION_TABLES);
    const rowsBefore = await migrationRows(url);
    // A careless rebuild that copies only people: the service account's two tokens lose their owner.
    const [{ sql: ddl }] = (await rawSql(url, `SELECT sql FROM sqlite_master WHERE name = 'User'`)) as { sql: string }[];
    addMigration(
      engine,
      root,
      "29991231000000_lossy",
      `${ddl.replace('CREATE TABLE "User"', 'CREATE TABLE "new_User"')};
INSERT INTO "new_User" SELECT * FROM "User" WHERE kind = 'human';
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
`,
    );
    await expect(migrate(url, root)).rejects.toThrow(
      `migration 29991231000000_lossy would leave broken foreign keys (2 rows of "ApiToken" reference missing rows of "User"); nothing was applied`,
    );
    expect(await snapshot(url, FOUNDATION_TABLES)).toEqual(before);
    expect(await migrationRows(url)).toEqual(rowsBefore);
    expect(await rawSql(url, `SELECT sql FROM sqlite_master WHERE name = 'User'`)).toEqual([{ sql: expect.stringContaining('"id" TEXT NOT NULL PRIMARY KEY') }]);
    expect(await rawSql(url, `SELECT name FROM sqlite_master WHERE name = 'new_User'`)).toEqual([]);
  });

  it("a failing migration in a run rolls back the earlier ones of that run as well", async () => {
    const url = await fresh();
    const project = projectBefore(engine, REBUILD);
    await migrate(url, project.root);
    await seedFoundation(url);
    const before = await snapshot(url, FOUNDATION_TABLES);
    project.restore();
    addMigration(engine, project.root, "29991231000000_broken", `INSERT INTO "NoSuchTable" VALUES (1);
`);
    await expect(migrate(url, project.root)).rejects.toThrow(/29991231000000_broken failed: no such table: NoSuchTable/);
    expect(await snapshot(url, FOUNDATION_TABLES)).toEqual(before);
    expect((await migrationRows(url)).map((r) => r.name)).not.toContain(REBUILD);
  });

  it("SQLite runs a marked migration in the transaction anyway (all its DDL is transactional)", async () => {
    const url = await fresh();
    const root = copyOfProject();
    await migrate(url, root);
    addMigration(engine, root, "29991231000000_marked", `-- portcullis: no-transaction\nCREATE TABLE "Extra" ("id" TEXT);\nINSERT INTO "NoSuchTable" VALUES (1);\n`);
    await expect(migrate(url, root)).rejects.toThrow(/NoSuchTable/);
    expect(await rawSql(url, `SELECT name FROM sqlite_master WHERE name = 'Extra'`)).toEqual([]);
  });
});

describe("SQLite files are private to the server's user", () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  it("migrate creates the folder 0700 and the database 0600; -wal and -shm are 0600 while in use", async () => {
    const dir = join(tempDir("modes"), "data", "nested");
    const file = join(dir, "portcullis.db");
    await migrate(`file:${file}`);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, ".."))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const client = createDb(`file:${file}`);
    try {
      await client.setting.create({ data: { key: "k", value: 1 } });
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      await client.$disconnect();
    }
  });

  it("the app's client creates a missing database file 0600 (MIGRATE_ON_START=false)", async () => {
    const dir = tempDir("modes-client");
    const file = join(dir, "fresh.db");
    const client = createDb(`file:${file}`);
    try {
      await client.$queryRawUnsafe("SELECT 1");
      expect(mode(file)).toBe(0o600);
    } finally {
      await client.$disconnect();
    }
  });

  it("tightens a database file and companions left world-readable by an earlier version", async () => {
    const dir = tempDir("modes-old");
    const file = join(dir, "old.db");
    await execSql(`file:${file}`, `CREATE TABLE t (x)`);
    chmodSync(file, 0o644);
    await migrate(`file:${file}`);
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    const client = createDb(`file:${file}`);
    await client.$disconnect();
    expect(mode(file)).toBe(0o600);
  });
});

describe("prisma schema files", () => {
  it("the derived SQLite schema is current (scripts/prisma-generate.mjs --check)", async () => {
    await expect(run(process.execPath, ["scripts/prisma-generate.mjs", "--check"], { cwd: ROOT })).resolves.toBeTruthy();
  });

  it("--check fails with a clear message when the SQLite schema is stale", async () => {
    const root = tempDir("generate");
    mkdirSync(join(root, "scripts"));
    mkdirSync(join(root, "prisma/sqlite"), { recursive: true });
    cpSync(join(ROOT, "scripts/prisma-generate.mjs"), join(root, "scripts/prisma-generate.mjs"));
    cpSync(join(ROOT, "prisma/schema.prisma"), join(root, "prisma/schema.prisma"));
    writeFileSync(join(root, "prisma/sqlite/schema.prisma"), readFileSync(join(ROOT, "prisma/sqlite/schema.prisma"), "utf8") + "\n// drift\n");
    const err = await run(process.execPath, ["scripts/prisma-generate.mjs", "--check"], { cwd: root }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain("prisma/sqlite/schema.prisma is stale: run `node scripts/prisma-generate.mjs`");
  });

  it("the schema has no change that lacks a migration (snapshots match the schemas)", () => {
    expect(readFileSync(join(ROOT, "prisma/snapshots/postgresql.prisma"), "utf8")).toBe(readFileSync(join(ROOT, "prisma/schema.prisma"), "utf8"));
    expect(readFileSync(join(ROOT, "prisma/snapshots/sqlite.prisma"), "utf8")).toBe(readFileSync(join(ROOT, "prisma/sqlite/schema.prisma"), "utf8"));
  });
});
