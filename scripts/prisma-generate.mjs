// Derives the SQLite schema from the PostgreSQL one and generates both Prisma clients, offline.
// `--check` only verifies that prisma/sqlite/schema.prisma is current (used by tests).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pgSchema = join(root, "prisma/schema.prisma");
const sqliteSchema = join(root, "prisma/sqlite/schema.prisma");

export function deriveSqliteSchema(source) {
  const out = source
    .replace('provider = "postgresql"', 'provider = "sqlite"')
    .replace('output     = "../lib/generated/pg"', 'output     = "../../lib/generated/sqlite"')
    .replace(
      /^\/\/ The one schema:.*\n\/\/.*\n/m,
      "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs: do not edit.\n",
    );
  if (!out.includes('provider = "sqlite"') || !out.includes("generated/sqlite")) {
    throw new Error("prisma-generate: could not derive the SQLite schema (provider/output lines changed?)");
  }
  return out;
}

const derived = deriveSqliteSchema(readFileSync(pgSchema, "utf8"));
if (process.argv.includes("--check")) {
  const current = existsSync(sqliteSchema) ? readFileSync(sqliteSchema, "utf8") : "";
  if (current !== derived) {
    console.error("prisma/sqlite/schema.prisma is stale: run `node scripts/prisma-generate.mjs`");
    process.exit(1);
  }
  process.exit(0);
}

mkdirSync(dirname(sqliteSchema), { recursive: true });
writeFileSync(sqliteSchema, derived);

// Setting these to any existing path stops the CLI from downloading engine binaries.
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/false",
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
  DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/portcullis.db",
};
const prisma = join(root, "node_modules/prisma/build/index.js");
for (const schema of [pgSchema, sqliteSchema]) {
  execFileSync(process.execPath, [prisma, "generate", "--no-hints", "--schema", schema], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
