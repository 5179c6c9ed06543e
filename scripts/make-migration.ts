// Makes a new migration for both engines from prisma/schema.prisma:
//   npm run db:make-migration -- <name>
// Each engine: `prisma migrate diff` compares the schema as of the last migration (kept in
// prisma/snapshots/) with the current one; a non-empty diff becomes
// prisma/{,sqlite/}migrations/<ts>_<name>/migration.sql and the snapshot moves on. The diff runs
// against a throwaway database that first gets the committed migrations (so they are known to
// apply). PostgreSQL needs MAKE_MIGRATION_PG_URL (a server where a scratch database may be created).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, migrationsDir } from "../lib/db/migrate";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:make-migration -- <name>");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const root = process.cwd();

const snapshot = (engine: string) => join(root, "prisma/snapshots", `${engine}.prisma`);

function diff(url: string, engine: "sqlite" | "postgresql", schema: string): string {
  const out = join(mkdtempSync(join(tmpdir(), "pc-diff-")), "diff.sql");
  const args = ["node_modules/prisma/build/index.js", "migrate", "diff", "--script", "-o", out];
  const from = snapshot(engine);
  args.push(...(existsSync(from) ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", schema);
  execFileSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
      PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
    },
  });
  return readFileSync(out, "utf8");
}

function save(engine: "sqlite" | "postgresql", sql: string, schema: string) {
  const meaningful = sql.split("\n").some((l) => l.trim() && !l.trim().startsWith("--"));
  if (!meaningful) {
    console.log(`${engine}: schema unchanged, no migration`);
    return;
  }
  const dir = join(migrationsDir(engine, root), `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  mkdirSync(join(root, "prisma/snapshots"), { recursive: true });
  copyFileSync(join(root, schema), snapshot(engine));
  console.log(`${engine}: wrote ${dir}/migration.sql`);
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), "pc-mig-"));
  const sqliteUrl = `file:${join(tmp, "scratch.db")}`;
  await migrate(sqliteUrl, root);
  save("sqlite", diff(sqliteUrl, "sqlite", "prisma/sqlite/schema.prisma"), "prisma/sqlite/schema.prisma");
  rmSync(tmp, { recursive: true, force: true });

  const server = process.env.MAKE_MIGRATION_PG_URL;
  if (!server) {
    console.error("MAKE_MIGRATION_PG_URL is not set: the PostgreSQL migration was not made");
    process.exit(1);
  }
  const { default: pg } = await import("pg");
  const scratch = `pc_scratch_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  try {
    const u = new URL(server);
    u.pathname = `/${scratch}`;
    await migrate(u.toString(), root);
    save("postgresql", diff(u.toString(), "postgresql", "prisma/schema.prisma"), "prisma/schema.prisma");
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
