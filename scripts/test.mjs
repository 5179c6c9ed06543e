#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure with the step named.
//   (a) Prisma schema check  (b) tsc --noEmit  (c) eslint .  (d) vitest run  (e) Playwright e2e
// Run some steps only: `npm test -- vitest e2e` (names: prisma, typecheck, lint, vitest, e2e).
// Missing pieces (dependencies, Chromium, PostgreSQL, a busy port) are reported as one line that
// says what to do, never as a stack trace.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
const bin = (rel) => join(root, "node_modules", rel);

class Missing extends Error {}

function need(path, what) {
  if (!existsSync(join(root, path))) throw new Missing(`${what} missing (${path}): run npm install`);
}

function canRun(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function reachable(host, port, ms = 3000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function checkPostgres() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log("note: TEST_DATABASE_URL is not set, so the integration tests run on SQLite only");
    return;
  }
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Missing("TEST_DATABASE_URL is not a URL: use postgresql://user@host:5432/database");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new Missing("TEST_DATABASE_URL must be a postgresql:// URL");
  }
  const host = parsed.hostname || "127.0.0.1";
  const port = Number(parsed.port || 5432);
  if (!(await reachable(host, port))) {
    throw new Missing(
      `PostgreSQL is not reachable at ${host}:${port} (TEST_DATABASE_URL): start it ` +
        "(pg_ctlcluster --skip-systemctl-redirect <version> main start), install it (apt-get install -y postgresql), " +
        "or unset TEST_DATABASE_URL to test on SQLite only",
    );
  }
}

async function checkE2e() {
  need("node_modules/@playwright/test/cli.js", "@playwright/test");
  need("node_modules/oidc-provider/package.json", "oidc-provider");
  need("node_modules/tsx/dist/cli.mjs", "tsx");
  const chromium = process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";
  if (!canRun(chromium)) {
    throw new Missing(
      process.env.PLAYWRIGHT_CHROMIUM_PATH
        ? `no Chromium at PLAYWRIGHT_CHROMIUM_PATH=${chromium}: point it at a Chromium binary, or install chromium: apt-get install -y chromium`
        : "install chromium: apt-get install -y chromium (or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary)",
    );
  }
  const ports = [
    ["E2E_CONSOLE_PORT", Number(process.env.E2E_CONSOLE_PORT ?? 3410)],
    ["E2E_OIDC_PORT", Number(process.env.E2E_OIDC_PORT ?? 3909)],
    ["E2E_SETUP_PORT", Number(process.env.E2E_SETUP_PORT ?? 3411)],
  ];
  for (const [name, port] of ports) {
    if (!(await portFree(port))) {
      throw new Missing(`port ${port} is in use: stop what listens there, or pick another with ${name}=<port>`);
    }
  }
}

const STEPS = [
  {
    key: "prisma",
    title: "Prisma schema check (prisma/sqlite/schema.prisma derived from prisma/schema.prisma)",
    pre: () => need("node_modules/prisma/build/index.js", "prisma"),
    cmd: [node, join(root, "scripts/prisma-generate.mjs"), "--check"],
  },
  {
    key: "typecheck",
    title: "Typecheck (tsc --noEmit)",
    pre: () => {
      need("node_modules/typescript/bin/tsc", "typescript");
      need("lib/generated/pg/client.ts", "the generated Prisma client");
    },
    cmd: [node, bin("typescript/bin/tsc"), "--noEmit"],
  },
  {
    key: "lint",
    title: "Lint (eslint .)",
    pre: () => need("node_modules/eslint/bin/eslint.js", "eslint"),
    cmd: [node, bin("eslint/bin/eslint.js"), "."],
    summary: (out) => (/\d+ problems?/.test(out) ? [] : ["eslint: no problems"]),
  },
  {
    key: "vitest",
    title: "Unit and integration tests (vitest run)",
    pre: async () => {
      need("node_modules/vitest/vitest.mjs", "vitest");
      await checkPostgres();
    },
    cmd: [node, bin("vitest/vitest.mjs"), "run"],
    summary: (out) => lines(out, /^\s*(Test Files|Tests|Duration)\s/),
    skipped: (out) => Number(/^\s*Tests\s.*?(\d+) skipped/m.exec(out.replace(ANSI, ""))?.[1] ?? 0),
  },
  {
    key: "e2e",
    title: "End-to-end tests in Chromium (playwright test)",
    pre: checkE2e,
    cmd: [node, bin("@playwright/test/cli.js"), "test"],
    summary: (out) => lines(out, /^\s*\d+ (passed|failed|flaky|skipped|interrupted|did not run)\b/),
    skipped: (out) => Number(/^\s*(\d+) skipped\b/m.exec(out.replace(ANSI, ""))?.[1] ?? 0),
  },
];

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
function lines(out, re) {
  return out
    .replace(ANSI, "")
    .split("\n")
    .filter((l) => re.test(l))
    .map((l) => l.trim());
}

function run([cmd, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["inherit", "pipe", "pipe"], env: process.env });
    let out = "";
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      out += d;
    });
    child.stderr.on("data", (d) => {
      process.stderr.write(d);
      out += d;
    });
    child.on("error", (err) => resolve({ code: 1, out: `${out}\n${err.message}` }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((k) => !STEPS.some((s) => s.key === k));
  if (unknown.length) {
    console.error(`unknown step(s) ${unknown.join(", ")}: choose from ${STEPS.map((s) => s.key).join(", ")}`);
    process.exit(2);
  }
  const steps = STEPS.filter((s) => !only.length || only.includes(s.key));
  const results = [];
  const started = Date.now();
  for (const [i, step] of steps.entries()) {
    const header = `[${i + 1}/${steps.length}] ${step.title}`;
    console.log(`\n${"=".repeat(header.length)}\n${header}\n${"=".repeat(header.length)}`);
    const t0 = Date.now();
    try {
      await step.pre?.();
    } catch (err) {
      if (!(err instanceof Missing)) throw err;
      console.error(`\n${err.message}`);
      results.push({ step, ok: false, ms: Date.now() - t0, notes: [err.message] });
      return finish(results, started, step);
    }
    const { code, out } = await run(step.cmd);
    const ms = Date.now() - t0;
    const notes = step.summary?.(out) ?? [];
    // In CI nothing skips: a skip there means a missing resource CI should have provided.
    const skipped = process.env.CI ? (step.skipped?.(out) ?? 0) : 0;
    if (skipped) notes.push(`CI=1 and ${skipped} test(s) skipped: in CI nothing may skip (is TEST_DATABASE_URL set?)`);
    const ok = code === 0 && !skipped;
    results.push({ step, ok, ms, notes });
    if (!ok) return finish(results, started, step);
  }
  return finish(results, started);
}

function finish(results, started, failed) {
  console.log("\n== Summary");
  for (const r of results) {
    console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.step.key.padEnd(9)}  ${fmt(r.ms).padStart(8)}  ${r.step.title}`);
    for (const note of r.notes) console.log(`                           ${note}`);
  }
  console.log(`total ${fmt(Date.now() - started)}`);
  if (failed) {
    console.error(`\nnpm test FAILED at step "${failed.key}": ${failed.title}`);
    process.exit(1);
  }
  console.log("\nnpm test passed");
}

main().catch((err) => {
  console.error(`npm test could not run: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
