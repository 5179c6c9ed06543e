import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { checkHealth } from "@/lib/health";
import { tempDir } from "@/tests/helpers/temp";

// The healthy case runs against real databases in tests/integration/health.test.ts.
const DOWN = { status: 503, body: { status: "degraded", database: "unavailable" } };

async function healthOf(url: string) {
  const client = createDb(url);
  try {
    return await checkHealth(client, 5000);
  } finally {
    await client.$disconnect().catch(() => {});
  }
}

describe("checkHealth with the database down", () => {
  it("PostgreSQL server not listening -> 503", async () => {
    expect(await healthOf("postgresql://postgres@127.0.0.1:1/none")).toEqual(DOWN);
  });

  it("SQLite file in a directory that does not exist -> 503", async () => {
    expect(await healthOf(`file:${join(tempDir("health"), "missing", "sub", "x.db")}`)).toEqual(DOWN);
  });

  it("SQLite path that is a directory -> 503", async () => {
    expect(await healthOf(`file:${tempDir("health-dir")}`)).toEqual(DOWN);
  });

  it("a database that does not answer -> 503 within the timeout", async () => {
    const hung = { $queryRawUnsafe: () => new Promise(() => {}) } as unknown as Db;
    const start = performance.now();
    expect(await checkHealth(hung, 100)).toEqual(DOWN);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("a database that answers -> 200", async () => {
    const fine = { $queryRawUnsafe: async () => [{ 1: 1 }] } as unknown as Db;
    expect(await checkHealth(fine, 100)).toEqual({ status: 200, body: { status: "ok", database: "ok" } });
  });
});
