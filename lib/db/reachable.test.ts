import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { redactDatabaseUrl } from "@/lib/db/engine";
import { DatabaseUnreachableError, waitForDatabase } from "@/lib/db/reachable";
import { tempDir } from "@/tests/helpers/temp";

// At start, server.ts waits for the database: a few attempts with backoff, then a message naming
// DATABASE_URL without its password.

async function attempt(url: string) {
  const retries: string[] = [];
  const slept: number[] = [];
  const err = await waitForDatabase(url, {
    attempts: 4,
    firstDelayMs: 500,
    sleep: async (ms) => void slept.push(ms),
    onRetry: (m) => retries.push(m),
  }).catch((e) => e);
  return { err, retries, slept };
}

describe("waitForDatabase", () => {
  it("PostgreSQL not listening: retries with backoff, then names DATABASE_URL, never the password", async () => {
    const { err, retries, slept } = await attempt("postgresql://portcullis:s3cr%40t-pw@127.0.0.1:1/portcullis?sslmode=disable");
    expect(err).toBeInstanceOf(DatabaseUnreachableError);
    const where = "the database named by DATABASE_URL (postgresql://portcullis:***@127.0.0.1:1/portcullis?sslmode=disable)";
    expect(err.message).toBe(`cannot reach ${where} after 4 attempts: connect ECONNREFUSED 127.0.0.1:1`);
    expect(slept).toEqual([500, 1000, 2000]);
    expect(retries).toEqual([1, 2, 3].map((n) => `cannot reach ${where} (attempt ${n} of 4): connect ECONNREFUSED 127.0.0.1:1; retrying in ${[0.5, 1, 2][n - 1]}s`));
    for (const text of [err.message, ...retries]) expect(text).not.toMatch(/s3cr|%40t-pw/);
  });

  it("SQLite path that cannot be created: the same message, with the reason", async () => {
    const file = join(tempDir("reach"), "a-file");
    writeFileSync(file, "");
    const { err, retries } = await attempt(`file:${file}/sub/x.db`);
    expect(err.message).toMatch(new RegExp(`^cannot reach the database named by DATABASE_URL \\(file:${file}/sub/x.db\\) after 4 attempts: ENOTDIR`));
    expect(retries).toHaveLength(3);
  });

  it("succeeds at once when the database is there (SQLite, created 0600)", async () => {
    const { err, retries } = await attempt(`file:${join(tempDir("reach-ok"), "db", "x.db")}`);
    expect(err).toBeUndefined();
    expect(retries).toEqual([]);
  });
});

describe("waitForDatabase on PostgreSQL", () => {
  const pg = process.env.TEST_DATABASE_URL;
  if (!pg) {
    it.skip("PostgreSQL not configured (set TEST_DATABASE_URL)", () => {});
    return;
  }
  it("PostgreSQL: a database that does not exist fails at once (retrying cannot help)", async () => {
    const url = new URL(pg);
    url.pathname = "/pc_no_such_database";
    const { err, retries } = await attempt(url.toString());
    expect(err.message).toBe(`cannot use the database named by DATABASE_URL (${redactDatabaseUrl(url.toString())}): database "pc_no_such_database" does not exist`);
    expect(retries).toEqual([]);
  });

  it("PostgreSQL: reachable", async () => {
    expect((await attempt(pg)).err).toBeUndefined();
  });
});

describe("redactDatabaseUrl", () => {
  it.each([
    ["postgresql://u:pw@db:5432/x", "postgresql://u:***@db:5432/x"],
    ["postgres://u@db/x", "postgres://u@db/x"],
    ["file:./data/portcullis.db", "file:./data/portcullis.db"],
    ["postgresql://u:p w@[bad/x", "postgresql://… (not a valid URL)"],
  ])("%s -> %s", (url, want) => {
    expect(redactDatabaseUrl(url)).toBe(want);
  });
});
