// The XAA decision point under load (`npm run bench`, after the CIMD benchmark; issue 9).
// Seeds 10,000 approved delegation policies over 200 approved catalog servers and a gateway
// service account with an API token (bench/seed-policies.ts), starts the console (server.ts,
// production build) and measures POST /api/v1/xaa/decisions at 10 connections, the requests
// rotating over a mix of (audience, resource, client_id, groups, scopes) that some policies allow
// and others deny (or refuse for a step-up), beside the in-process evaluation function in the
// same run: decideWith(indexPolicies(...), input) over the same mix and the same 10,000 policies,
// built from the same generated documents in a worker process of its own (TypeScript through
// tsx). Before measuring, every request of the mix is sent once and its answer must be a 200
// with the decision, scopes, policies and lifetime the in-process function gives; a run with any
// non-2xx answer fails. After the run, the `xaa.decision` audit events written (in batches,
// lib/xaa/decision-log.ts) are counted against the decisions answered.
// Figures: decisions/s, latency avg/p50/p99; in-process calls/s, latency and CPU per call; the
// ratios HTTP / in-process; the console's CPU per decision (all its processes, from /proc, so
// Linux only: a busy machine distorts it less than decisions/s). SQLite always; PostgreSQL too when BENCH_PG_URL (or TEST_DATABASE_URL) names a
// server where a scratch database may be created.
// Goal: >= 5,000 decisions/s and p99 <= 5 ms over HTTP (reported, not enforced).
// BENCH_SECONDS (per run, default 5), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (10),
// BENCH_POLICIES (10,000), BENCH_XAA_SERVERS (200), BENCH_XAA_REQUESTS (2,000 in the mix).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { CONNECTIONS, DURATION, forEachEngine, waitFor } from "./lib.mjs";

const POLICIES = Number(process.env.BENCH_POLICIES ?? 10_000);
const SERVERS = Number(process.env.BENCH_XAA_SERVERS ?? 200);
const MIX = Number(process.env.BENCH_XAA_REQUESTS ?? 2_000);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PORT = 3486;
const PATH = "/api/v1/xaa/decisions";
const GOAL_RPS = 5_000;
const GOAL_P99_MS = 5;
const TOKEN = `pcl_${randomBytes(32).toString("base64url")}`;

// The in-process baseline: the same policies and requests (bench/seed-policies.ts generates
// them from a fixed seed), the index built with indexPolicies, each request's expected answer,
// then decideWith timed call by call (warm-up first, as for HTTP). A second, diagnostic figure
// adds what the handler does around it in memory: JSON.parse, the request schema, the answer's
// JSON.stringify. Writes the mix and the answers to MIX_FILE; prints the figures as JSON.
const WORKER = `
import { writeFileSync } from "node:fs";
import { candidatesOf, decideInputOf, generatePolicies, generateServers, requestMix } from "./bench/seed-policies.ts";
import { candidatesFor, indexPolicies } from "./lib/xaa/index.ts";
import { decideWith } from "./lib/xaa/decide.ts";

const [POLICIES, SERVERS, MIX, WARMUP, DURATION] = ["POLICIES", "SERVERS", "MIX", "WARMUP", "DURATION"].map((k) => Number(process.env["W_" + k]));
const MIX_FILE = process.env.W_MIX_FILE;
const servers = generateServers(SERVERS);
const policies = generatePolicies(POLICIES, servers);
const t0 = performance.now();
const index = indexPolicies(candidatesOf(policies));
const indexMs = performance.now() - t0;
const bodies = requestMix(MIX, policies, servers);
const texts = bodies.map((b) => JSON.stringify(b));
const inputs = bodies.map(decideInputOf);
// the answer as lib/public/xaa.ts shapes it
const answer = (d) => ({ decision: d.decision, scopes: d.scopes, policy_ids: d.policyIds, reasons: d.reasons, ttl: d.ttl, ...(d.error === "insufficient_user_authentication" ? { error: d.error, step_up: { acr: d.stepUp?.acr ?? null, max_age: d.stepUp?.maxAgeSeconds ?? null } } : {}), ...(d.error === "invalid_target" ? { error: d.error } : {}) });
const expected = inputs.map((i) => answer(decideWith(index, i)));
writeFileSync(MIX_FILE, JSON.stringify({ texts, expected }));
const candidates = inputs.reduce((n, i) => n + candidatesFor(index, i.audience, i.resource).length, 0) / inputs.length;

let sink = 0;
const direct = (k) => (sink += decideWith(index, inputs[k]).scopes.length);
const handler = (k) => (sink += JSON.stringify(answer(decideWith(index, decideInputOf(JSON.parse(texts[k]))))).length);
function timed(call, seconds) {
  let lat = new Float64Array(1 << 20);
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + seconds * 1000;
  for (;;) {
    const a = performance.now();
    call(n % inputs.length);
    const b = performance.now();
    if (n === lat.length) {
      const grown = new Float64Array(lat.length * 2);
      grown.set(lat);
      lat = grown;
    }
    lat[n++] = b - a;
    if (b >= until) break;
  }
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const sorted = lat.subarray(0, n).sort();
  const at = (q) => sorted[Math.min(n - 1, Math.floor(q * n))];
  return { rps: n / elapsed, total: n, cpuUs: (used.user + used.system) / n, avg: sorted.reduce((s, x) => s + x, 0) / n, p50: at(0.5), p99: at(0.99), max: sorted[n - 1] };
}
const results = {};
for (const [name, call] of [["direct", direct], ["handler", handler]]) {
  if (WARMUP > 0) timed(call, WARMUP);
  results[name] = timed(call, DURATION);
}
console.log(JSON.stringify({ ...results, indexMs, candidates, sink }));
`;

function inProcess(dir, label) {
  const mixFile = join(dir, `mix-${label}.json`);
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", WORKER], {
    env: { ...process.env, W_POLICIES: String(POLICIES), W_SERVERS: String(SERVERS), W_MIX: String(MIX), W_WARMUP: String(WARMUP), W_DURATION: String(DURATION), W_MIX_FILE: mixFile },
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  return { figures: JSON.parse(out.toString().trim().split("\n").pop()), ...JSON.parse(readFileSync(mixFile, "utf8")) };
}

const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

function load(texts, duration) {
  const requests = texts.map((body) => ({ method: "POST", path: PATH, headers, body }));
  return new Promise((resolve, reject) => {
    autocannon({ url: `http://127.0.0.1:${PORT}`, connections: CONNECTIONS, duration, requests }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

/** Answers that are not 2xx, plus errors and timeouts: any of them fails the run. */
const unexpected = (r) => r.non2xx + r.errors + r.timeouts;

/** What must agree between the console's answer and the in-process one (order aside). */
const essence = (a) => JSON.stringify({ decision: a.decision, scopes: [...a.scopes].sort(), policy_ids: [...a.policy_ids].sort(), ttl: a.ttl, error: a.error ?? null, step_up: a.step_up ?? null });

/** Sends every request of the mix once (10 at a time); each must be a 200 with the expected answer. */
async function verify(texts, expected) {
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const k = next++;
      const res = await fetch(`http://127.0.0.1:${PORT}${PATH}`, { method: "POST", headers, body: texts[k] });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`request ${k}: ${res.status} ${text}`);
      if (essence(JSON.parse(text)) !== essence(expected[k])) throw new Error(`request ${k}: the console answered ${text}, the in-process function ${JSON.stringify(expected[k])}\n  request ${texts[k]}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const refused = await fetch(`http://127.0.0.1:${PORT}${PATH}`, { method: "POST", headers: { ...headers, authorization: `Bearer pcl_${"x".repeat(43)}` }, body: texts[0] });
  if (refused.status !== 401) throw new Error(`an unknown token was answered ${refused.status}, not 401`);
  return texts.length;
}

/** The `xaa.decision` audit events written, and how many of them the sealer has chained yet. */
async function countDecisionEvents(databaseUrl) {
  const sql = `SELECT count(*) AS n, count("sealedAt") AS sealed FROM "AuditEvent" WHERE action = 'xaa.decision'`;
  const numbers = (row) => ({ n: Number(row.n), sealed: Number(row.sealed) });
  if (databaseUrl.startsWith("file:")) {
    const file = new Database(databaseUrl.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      return numbers(file.prepare(sql).get());
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return numbers((await client.query(sql)).rows[0]);
  } finally {
    await client.end();
  }
}

/** Waits until the count reaches `answered` and stops moving (up to 15 s). */
async function settledCount(databaseUrl, answered) {
  let last = { n: -1, sealed: 0 };
  for (let i = 0; i < 30; i++) {
    const now = await countDecisionEvents(databaseUrl);
    if (now.n >= answered && now.n === last.n) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

const ms = (x, digits = 2) => x.toFixed(digits).padStart(7);

function httpRow(name, r, base) {
  const rps = r.requests.average;
  console.log(
    `${name.padEnd(44)} ${rps.toFixed(0).padStart(7)} /s  avg ${ms(r.latency.average)} ms  p50 ${ms(r.latency.p50)} ms  p99 ${ms(r.latency.p99)} ms  non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}` +
      `  ratio ${(rps / base.rps).toFixed(3)}  p99 ratio ${(r.latency.p99 / base.p99).toFixed(0)}x`,
  );
}

function localRow(name, f) {
  console.log(`${name.padEnd(44)} ${f.rps.toFixed(0).padStart(7)} /s  avg ${ms(f.avg, 3)} ms  p50 ${ms(f.p50, 3)} ms  p99 ${ms(f.p99, 3)} ms  CPU ${f.cpuUs.toFixed(0)} µs per call`);
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) the processes of a process group have used so far (Linux /proc;
 * null elsewhere): the console's cost per decision, which a busy machine distorts less than
 * its decisions/s.
 */
function groupCpu(pgid) {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      // After "(comm) ": state, ppid, pgrp, … utime and stime are fields 14 and 15.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    }
  } catch {
    return null;
  }
  return ticks / CLK_TCK;
}

function stop(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function runEngine(label, databaseUrl, dir) {
  // RECHECK_POLL_MS=0: the seeded servers' remotes are made up; no tool re-checks against them.
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, PORT: String(PORT), LOG_LEVEL: "silent", RECHECK_POLL_MS: "0", BENCH_TOKEN: TOKEN };
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/seed-policies.ts", String(POLICIES), String(SERVERS)], { env, stdio: "inherit" });
  const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], { env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  let up = false;
  // A console that dies while starting fails the run at once, not after waitFor's ten minutes.
  const died = new Promise((_, reject) => server.once("exit", (code) => up || reject(new Error(`server.ts exited (${code}) before answering`))));
  died.catch(() => {});
  try {
    await Promise.race([waitFor(`http://127.0.0.1:${PORT}/api/health`, 600_000), died]);
    up = true;
    // The mix is made now (its auth_times are relative to now; the build may have taken minutes).
    const local = inProcess(dir, label);
    const { texts, expected } = local;
    const verified = await verify(texts, expected);
    const outcome = (e) => e.error ?? e.decision;
    const share = (k) => `${((expected.filter((e) => outcome(e) === k).length / expected.length) * 100).toFixed(0)}% ${k === "insufficient_user_authentication" ? "step-up" : k}`;
    console.log(
      `\n${label}: ${POLICIES} policies over ${SERVERS} servers (${local.figures.candidates.toFixed(0)} candidates per request on average, index built in ${local.figures.indexMs.toFixed(0)} ms); ` +
        `${texts.length} requests in rotation (${share("allow")}, ${share("deny")}, ${share("insufficient_user_authentication")}), each verified against the in-process answer; ` +
        `${DURATION}s per run after ${WARMUP}s of warm-up, ${CONNECTIONS} connections`,
    );
    const warm = WARMUP > 0 ? await load(texts, WARMUP) : null;
    const cpu0 = groupCpu(server.pid);
    const r = await load(texts, DURATION);
    const cpu1 = groupCpu(server.pid);
    const d = local.figures.direct;
    localRow("in-process decideWith", d);
    localRow("in-process + JSON.parse/schema/stringify", local.figures.handler);
    httpRow(`HTTP POST ${PATH}`, r, d);
    if (cpu0 !== null && cpu1 !== null && r.requests.total > 0) {
      const us = ((cpu1 - cpu0) * 1e6) / r.requests.total;
      console.log(`  console CPU: ${us.toFixed(0)} µs per decision (${(us / d.cpuUs).toFixed(0)}x in-process), so at most ${(1e6 / us).toFixed(0)} decisions/s on one core`);
    }
    const verdict = (ok) => (ok ? "met" : "MISSED");
    console.log(
      `  goal: >= ${GOAL_RPS} decisions/s: ${r.requests.average.toFixed(0)} ${verdict(r.requests.average >= GOAL_RPS)}; p99 <= ${GOAL_P99_MS} ms: ${r.latency.p99} ms ${verdict(r.latency.p99 <= GOAL_P99_MS)}`,
    );
    const bad = unexpected(r) + (warm ? unexpected(warm) : 0);
    const answered = verified + r.requests.total + (warm?.requests.total ?? 0);
    const sent = verified + r.requests.sent + (warm?.requests.sent ?? 0);
    const { n: events, sealed } = await settledCount(databaseUrl, answered);
    console.log(
      `  audit: ${events} xaa.decision events written for ${answered} decisions answered (${sent - answered} more sent as the runs stopped): ${events >= answered && events <= sent ? "match" : "MISMATCH"}; ` +
        `${sealed} of them chained by the sealer so far`,
    );
    if (bad) throw new Error(`${bad} answers were not 2xx (or failed): the figures above are not decisions`);
    if (events < answered || events > sent) throw new Error(`${events} xaa.decision audit events for ${answered}–${sent} decisions`);
  } finally {
    stop(server);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

try {
  await forEachEngine("xaa", runEngine);
} catch (err) {
  console.error(`bench/xaa-decide: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
// waitFor's polling may still be pending after a failure
process.exit();
