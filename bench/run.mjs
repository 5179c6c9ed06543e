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
import { CONNECTIONS, DURATION, load, row, waitFor } from "./lib.mjs";

const PORT = 3480;
const BASE_PORT = 3481;
const TOKEN = "pcl_bench_" + "x".repeat(40);




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
