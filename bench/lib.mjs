// Shared by the benchmarks: autocannon runs, waiting for a server, and the result line (req/s,
// p50/p99, and the ratio to the baseline measured in the same run).
import autocannon from "autocannon";

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
