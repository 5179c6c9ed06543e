// Shared by the benchmarks: autocannon runs, waiting for a server, and the result line (req/s,
// p50/p99, and the ratio to the baseline measured in the same run).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";

export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

export function load(url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

export async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${url} within ${ms / 1000}s`);
}

export function row(name, r, base, width = 34) {
  const rps = r.requests.average;
  const ratio = base ? ` ratio ${(rps / base.requests.average).toFixed(3)}` : "";
  console.log(
    `${name.padEnd(width)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  non-2xx ${r.non2xx}${ratio}`,
  );
}

/**
 * Runs a benchmark on the embedded SQLite database (a file in a temp dir), then on a scratch
 * PostgreSQL database when BENCH_PG_URL or TEST_DATABASE_URL names a server; `run(label, url, dir)`.
 */
export async function forEachEngine(prefix, run) {
  const dir = mkdtempSync(join(tmpdir(), `pc-bench-${prefix}-`));
  try {
    await run("SQLite", `file:${join(dir, `${prefix}.db`)}`, dir);
    const pgServer = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL;
    if (!pgServer) {
      console.log("\nPostgreSQL: skipped (set BENCH_PG_URL or TEST_DATABASE_URL to a server where a scratch database may be created)");
      return;
    }
    const name = `pc_bench_${prefix}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgServer });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgServer);
    url.pathname = `/${name}`;
    try {
      await run("PostgreSQL", url.toString(), dir);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
