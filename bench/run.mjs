// `npm run bench`: load on the console's hottest foundation paths, each beside a baseline
// measured in the same run: a bare Node http server answering the same bytes.
//   /api/health          (no auth, one database round trip)
//   /api/v1/me (bearer)  (token lookup + user re-read on every request)
// Figures: requests/s, p50/p99 latency; ratio = console / baseline req/s.
// Uses the production build (built by the console's own start when missing or stale).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PORT = 3480;
const BASE_PORT = 3481;
const TOKEN = "pcl_bench_" + "x".repeat(40);

function load(url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

async function waitFor(url, ms) {
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

function row(name, r, base) {
  const rps = r.requests.average;
  const ratio = base ? ` ratio ${(rps / base.requests.average).toFixed(3)}` : "";
  console.log(
    `${name.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  non-2xx ${r.non2xx}${ratio}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "pc-bench-"));
const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    DATA_DIR: dir,
    BOOTSTRAP_ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: "silent",
  },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const base = createServer((req, res) => {
  const body = req.url === "/api/health" ? '{"status":"ok","database":"ok"}' : '{"id":"x","role":"admin"}';
  res.writeHead(200, { "content-type": "application/json" }).end(body);
});
base.listen(BASE_PORT, "127.0.0.1");

try {
  await waitFor(`http://127.0.0.1:${PORT}/api/health`, 600_000);
  console.log(`${DURATION}s per run, ${CONNECTIONS} connections, SQLite\n`);
  const auth = { authorization: `Bearer ${TOKEN}` };
  const healthBase = await load(`http://127.0.0.1:${BASE_PORT}/api/health`);
  const health = await load(`http://127.0.0.1:${PORT}/api/health`);
  row("baseline bare node /api/health", healthBase);
  row("console /api/health", health, healthBase);
  const meBase = await load(`http://127.0.0.1:${BASE_PORT}/api/v1/me`, auth);
  const me = await load(`http://127.0.0.1:${PORT}/api/v1/me`, auth);
  row("baseline bare node /api/v1/me", meBase);
  row("console /api/v1/me (bearer)", me, meBase);
} finally {
  base.close();
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
}
