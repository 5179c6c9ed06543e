// Prisma CLI configuration (used by scripts/make-migration.mjs, `prisma migrate status`).
// The engine is chosen from DATABASE_URL; both run through driver adapters, so the CLI needs no
// downloaded engine binaries (see docs/database.md).
import path from "node:path";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./data/portcullis.db";
const sqlite = url.startsWith("file:");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", sqlite ? "sqlite/schema.prisma" : "schema.prisma"),
  migrations: { path: path.join("prisma", sqlite ? "sqlite/migrations" : "migrations") },
  async adapter() {
    if (sqlite) {
      const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
      return new PrismaBetterSQLite3({ url: url.slice("file:".length) });
    }
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: url });
  },
});
