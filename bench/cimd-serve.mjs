// Hosted Client ID Metadata Documents under load (`npm run bench`, after the registry benchmark).
// Seeds 1,000 published agents (bench/seed-agents.ts), starts the console (server.ts, production
// build) and measures GET /oauth/clients/<slug> at 100 connections, the requests rotating over
// every slug as a fleet of authorization servers would, beside a bare Node http server answering
// the same bytes with the same content-type, ETag and cache-control (fetched from the console
// first), in the same run:
//   200  a plain fetch of the document
//   304  a revalidation (If-None-Match with the document's ETag)
// The bare server runs in a process of its own, as the console does (autocannon has this one).
// Both are warmed up before they are measured. Figures: requests/s, latency avg/p50/p99, bytes
// per response; ratios console / bare for requests/s and p99. SQLite always; PostgreSQL too when
// BENCH_PG_URL (or TEST_DATABASE_URL) names a server where a scratch database may be created.
// Goal: >= 0.8x the bare server's requests/s and a p99 <= 1.5x its p99 (reported, not enforced).
// BENCH_SECONDS (per run, default 5), BENCH_WARMUP_SECONDS (default 3), BENCH_AGENTS (1,000),
// BENCH_CIMD_CONNECTIONS (100).
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { DURATION, forEachEngine, waitFor } from "./lib.mjs";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CIMD_CONNECTIONS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PORT = 3484;
const BASE_PORT = 3485;
const GOAL_RPS = 0.8;
const GOAL_P99 = 1.5;

// The slugs, named as bench/seed-agents.ts names them.
const TEAMS = ["payments", "support", "search", "ops", "data", "security", "sales", "hr"];
const SLUGS = Array.from({ length: AGENTS }, (_, i) => `${TEAMS[i % TEAMS.length]}-agent-${i}`);

// The baseline: a map from path to bytes and ETag, answering the same response Portcullis does
// (its header list, security headers included, copied from a real answer), nothing else.
const BARE = `
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
const { headers, docs } = JSON.parse(readFileSync(process.env.BARE_DOCS, "utf8"));
const byPath = new Map(docs.map(([path, body, etag]) => [path, { body: Buffer.from(body), etag }]));
const common = headers;
createServer((req, res) => {
  const d = byPath.get(req.url);
  if (!d) return void res.writeHead(404, { "cache-control": "no-store" }).end();
  if (req.headers["if-none-match"] === d.etag) return void res.writeHead(304, { etag: d.etag, ...common }).end();
  res.writeHead(200, { "content-type": "application/json", "content-length": d.body.length, etag: d.etag, ...common }).end(d.body);
}).listen(Number(process.env.BARE_PORT), "127.0.0.1");
`;

function load(port, requests, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration, requests }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

/** Answers that are not the expected status (200 or 304), plus errors and timeouts. */
function unexpected(r, status) {
  const bucket = `${String(status)[0]}xx`;
  const answered = ["1xx", "2xx", "3xx", "4xx", "5xx"].reduce((n, k) => n + (k === bucket ? 0 : r[k]), 0);
  return answered + r.errors + r.timeouts;
}

function row(name, r, status, base) {
  const rps = r.requests.average;
  const perResponse = r.throughput.average / Math.max(rps, 1);
  const ratios = base ? `  ratio ${(rps / base.requests.average).toFixed(3)}  p99 ratio ${(r.latency.p99 / Math.max(base.latency.p99, 1)).toFixed(2)}` : "";
  console.log(
    `${name.padEnd(46)} ${rps.toFixed(0).padStart(7)} req/s  avg ${r.latency.average.toFixed(2).padStart(6)} ms  p50 ${String(r.latency.p50).padStart(3)} ms  p99 ${String(r.latency.p99).padStart(3)} ms  ${perResponse.toFixed(0).padStart(4)} B/resp  unexpected ${unexpected(r, status)}${ratios}`,
  );
}

function goals(label, r, base) {
  const rps = r.requests.average / base.requests.average;
  const p99 = r.latency.p99 / Math.max(base.latency.p99, 1);
  const verdict = (ok) => (ok ? "met" : "MISSED");
  console.log(
    `  goals ${label}: req/s ${rps.toFixed(2)}x (>= ${GOAL_RPS}x: ${verdict(rps >= GOAL_RPS)}), p99 ${p99.toFixed(2)}x (<= ${GOAL_P99}x: ${verdict(p99 <= GOAL_P99)})`,
  );
}

function stop(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function runEngine(label, databaseUrl, dir) {
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, PORT: String(PORT), LOG_LEVEL: "silent" };
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/seed-agents.ts", String(AGENTS)], { env, stdio: "inherit" });
  const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], { env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  let bare;
  let up = false;
  // A console that dies while starting fails the run at once, not after waitFor's ten minutes.
  const died = new Promise((_, reject) => server.once("exit", (code) => up || reject(new Error(`server.ts exited (${code}) before answering`))));
  died.catch(() => {});
  try {
    await Promise.race([waitFor(`http://127.0.0.1:${PORT}/api/health`, 600_000), died]);
    up = true;
    // What the console serves, slug by slug: the baseline answers exactly these bytes.
    const docs = [];
    let headers;
    for (const slug of SLUGS) {
      const path = `/oauth/clients/${slug}`;
      const res = await fetch(`http://127.0.0.1:${PORT}${path}`);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      const etag = res.headers.get("etag");
      // Every header but those that differ per response or per connection.
      headers ??= Object.fromEntries([...res.headers].filter(([k]) => !["etag", "content-length", "content-type", "date", "connection", "keep-alive"].includes(k)));
      if (!etag || !res.headers.get("content-type")?.startsWith("application/json")) throw new Error(`${path}: no ETag or not JSON`);
      docs.push([path, await res.text(), etag]);
    }
    const revalidated = await fetch(`http://127.0.0.1:${PORT}${docs[0][0]}`, { headers: { "if-none-match": docs[0][2] } });
    if (revalidated.status !== 304) throw new Error(`If-None-Match: ${revalidated.status}, not 304`);
    const docsFile = join(dir, `bare-${label}.json`);
    writeFileSync(docsFile, JSON.stringify({ headers, docs }));
    bare = spawn(process.execPath, ["--input-type=module", "-e", BARE], {
      env: { ...process.env, BARE_DOCS: docsFile, BARE_PORT: String(BASE_PORT) },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitFor(`http://127.0.0.1:${BASE_PORT}${docs[0][0]}`, 10_000);
    const same = await fetch(`http://127.0.0.1:${BASE_PORT}${docs[0][0]}`);
    if ((await same.text()) !== docs[0][1] || same.headers.get("etag") !== docs[0][2]) throw new Error("the bare server answers other bytes");

    const fetches = docs.map(([path]) => ({ method: "GET", path }));
    const revalidations = docs.map(([path, , etag]) => ({ method: "GET", path, headers: { "if-none-match": etag } }));
    const sizes = docs.map(([, body]) => Buffer.byteLength(body));
    console.log(
      `\n${label}: ${AGENTS} published agents (documents ${Math.min(...sizes)}–${Math.max(...sizes)} B), requests rotating over every slug, ` +
        `${DURATION}s per run after ${WARMUP}s of warm-up, ${CONNECTIONS} connections`,
    );
    for (const [name, status, requests] of [
      ["GET", 200, fetches],
      ["If-None-Match", 304, revalidations],
    ]) {
      if (WARMUP > 0) {
        await load(BASE_PORT, requests, WARMUP);
        await load(PORT, requests, WARMUP);
      }
      const b = await load(BASE_PORT, requests, DURATION);
      const c = await load(PORT, requests, DURATION);
      row(`baseline bare node ${name} (${status})`, b, status);
      row(`portcullis /oauth/clients ${name} (${status})`, c, status, b);
      goals(String(status), c, b);
    }
  } finally {
    if (bare) stop(bare);
    stop(server);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

try {
  await forEachEngine("cimd", runEngine);
} catch (err) {
  console.error(`bench/cimd-serve: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
// waitFor's polling may still be pending after a failure
process.exit();
