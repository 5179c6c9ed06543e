import { afterEach, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import type { Db } from "@/lib/db";
import { describeEngines, useTestDatabase } from "../helpers/context";

// GET /api/health through the real route: the database named by DATABASE_URL, up or down.

const holder = globalThis as unknown as { __portcullisDb?: { url: string; client: Db } };

/** Points the app's client at another URL for one test, closing the client it replaces. */
async function useDatabaseUrl(url: string) {
  await holder.__portcullisDb?.client.$disconnect().catch(() => {});
  delete holder.__portcullisDb;
  process.env.DATABASE_URL = url;
}

describeEngines("health", (engine) => {
  const ctx = useTestDatabase(engine, { seed: false });
  afterEach(async () => useDatabaseUrl(ctx.url));

  it("GET /api/health -> 200 {status: ok, database: ok}, not cached", async () => {
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("with the database down -> 503, quickly, revealing nothing else", async () => {
    await useDatabaseUrl(engine === "sqlite" ? "file:/nonexistent-portcullis-dir/sub/portcullis.db" : "postgresql://postgres@127.0.0.1:1/none");
    const start = performance.now();
    const res = await GET();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "degraded", database: "unavailable" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
