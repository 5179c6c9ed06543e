import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { Engine } from "@/lib/db/engine";
import { migrate, migrationsDir } from "@/lib/db/migrate";
import { describeEngines } from "../helpers/context";
import { createScratchDatabase, rawSql, type ScratchDatabase } from "../helpers/database";
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
      const idx = (await rawSql(url, `SELECT name, "unique" FROM pragma_index_list(?) WHERE origin = 'c'`, [name])) as { name: string; unique: number }[];
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
      WHERE n.nspname = 'public' AND NOT i.indisprimary AND t.relname <> '_prisma_migrations'
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
  const scratches: ScratchDatabase[] = [];
  const fresh = async () => {
    const s = await createScratchDatabase(engine);
    scratches.push(s);
    return s.url;
  };
  afterAll(async () => {
    for (const s of scratches) await s.drop();
  });
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
