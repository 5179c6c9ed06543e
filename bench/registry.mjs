// The public registry's fast path under load (`npm run bench`, after the foundation benchmark).
// Seeds 10,000 servers x 3 approved versions, starts the console (server.ts, production build)
// and measures, at 10 connections, requests/s and p50/p99 for
//   /v0.1/servers?limit=100, a search, and /v0.1/servers/{name}/versions/latest
// beside a bare Node http server answering the same bytes (fetched from the console first), in
// the same run. SQLite always; PostgreSQL too when BENCH_PG_URL (or TEST_DATABASE_URL) names a
// server where a scratch database may be created. Goal: >= 0.5x the bare server, p50 <= 5 ms.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { CONNECTIONS, DURATION, forEachEngine, load, row as printRow, waitFor } from "./lib.mjs";

const SERVERS = Number(process.env.BENCH_SERVERS ?? 10_000);
const row = (name, r, base) => printRow(name, r, base, 44);
const PORT = 3482;
const BASE_PORT = 3483;



// The middle server, named as bench/seed-registry.ts names it.
const WORDS = ["files", "weather", "github", "postgres", "search", "calendar", "slack", "jira", "maps", "browser"];
const mid = Math.floor(SERVERS / 2);
const MIDDLE = `io.example.ns${Math.floor(mid / 50)}/${WORDS[mid % WORDS.length]}-${mid}`;

const PATHS = [
  ["list limit=100", "/v0.1/servers?limit=100"],
  ["search", "/v0.1/servers?search=weather-4&limit=30"],
  ["versions/latest", `/v0.1/servers/${encodeURIComponent(MIDDLE)}/versions/latest`],
];

async function runEngine(label, databaseUrl, dir) {
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, PORT: String(PORT), LOG_LEVEL: "silent" };
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/seed-registry.ts", String(SERVERS)], { env, stdio: "inherit" });
  const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], { env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  try {
    await waitFor(`http://127.0.0.1:${PORT}/api/health`, 600_000);
    const bytes = new Map();
    for (const [, path] of PATHS) {
      const res = await fetch(`http://127.0.0.1:${PORT}${path}`);
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      bytes.set(path, Buffer.from(await res.arrayBuffer()));
    }
    const base = createServer((req, res) => {
      const body = bytes.get(req.url) ?? Buffer.from("{}");
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body);
    });
    await new Promise((r) => base.listen(BASE_PORT, "127.0.0.1", r));
    console.log(`\n${label}: ${SERVERS} servers x 3 versions, ${DURATION}s per run, ${CONNECTIONS} connections`);
    try {
      for (const [name, path] of PATHS) {
        const b = await load(`http://127.0.0.1:${BASE_PORT}${path}`);
        const c = await load(`http://127.0.0.1:${PORT}${path}`);
        row(`baseline bare node ${name}`, b);
        row(`registry ${name} (${(bytes.get(path).length / 1024).toFixed(1)} KiB)`, c, b);
      }
    } finally {
      base.close();
    }
  } finally {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

await forEachEngine("registry", runEngine);
