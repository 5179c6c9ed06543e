// Prisma CLI configuration for tests (`prisma migrate status` against scratch databases): the
// project's prisma.config.ts, with a pool that lets the CLI exit as soon as it is done.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "";
const sqlite = url.startsWith("file:");
const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "prisma", sqlite ? "sqlite/schema.prisma" : "schema.prisma"),
  migrations: { path: path.join(root, "prisma", sqlite ? "sqlite/migrations" : "migrations") },
  async adapter() {
    if (sqlite) {
      const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
      return new PrismaBetterSQLite3({ url: url.slice("file:".length) });
    }
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: url, idleTimeoutMillis: 50 });
  },
});
