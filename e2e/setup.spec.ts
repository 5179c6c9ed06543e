import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { buildIsCurrent } from "../lib/server/build-stamp";
import { expect, sidebar, test } from "./support/test";

// First run without BOOTSTRAP_ADMIN_*: the server prints a one-time setup code to its log and
// /setup creates the first admin with it. This needs a console with an empty database, so the
// test starts its own (the way `npm start` does) on E2E_SETUP_PORT and stops its process group.

const PORT = Number(process.env.E2E_SETUP_PORT ?? 3411);
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = "data/e2e-setup";
const INHERITED = /^(DATABASE_URL|DATA_DIR|PORT|HOST|PUBLIC_BASE_URL|AUTH_SECRET|ENCRYPTION_KEY|MIGRATE_ON_START|BOOTSTRAP_|OIDC_)/;

let server: ChildProcess | undefined;
let log = "";

test.afterEach(async () => {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
  }
  rmSync(DATA_DIR, { recursive: true, force: true });
});

async function startFreshConsole(): Promise<string> {
  rmSync(DATA_DIR, { recursive: true, force: true });
  // The test runner's environment minus anything that configures a console.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (INHERITED.test(key)) delete env[key];
  Object.assign(env, {
    HOST: "127.0.0.1",
    PORT: String(PORT),
    PUBLIC_BASE_URL: BASE,
    DATABASE_URL: `file:./${DATA_DIR}/portcullis.db`,
    DATA_DIR: `./${DATA_DIR}`,
    LOG_LEVEL: "warn",
  });
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const codeIn = () => /setup code: (\S+)/.exec(log)?.[1];
  await expect.poll(() => Boolean(codeIn()) || child.exitCode !== null, { timeout: 60_000 }).toBe(true);
  const code = codeIn();
  expect(code, `no setup code in the server log:\n${log}`).toBeTruthy();
  await expect
    .poll(async () => (await fetch(`${BASE}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
  return code!;
}

test("first run: the code from the server log creates the first admin on /setup, once", async ({ page }) => {
  test.skip(!buildIsCurrent(process.cwd()), "sources changed since the build this run started with");
  test.setTimeout(120_000);
  const code = await startFreshConsole();

  // With no user, sign-in sends people to setup.
  await page.goto(`${BASE}/signin`);
  await page.waitForURL(`${BASE}/setup`);
  const form = page.getByRole("form", { name: "Create the first administrator" });
  await form.getByLabel("Setup code").fill("not-the-code");
  await form.getByLabel("Your name").fill("First Admin");
  await form.getByLabel("E-mail").fill("first@e2e.test");
  await form.getByLabel("Password", { exact: true }).fill("first-admin-password");
  await form.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(form.getByText(/wrong setup code/i)).toBeVisible();

  await form.getByLabel("Setup code").fill(code);
  await form.getByRole("button", { name: "Create admin and sign in" }).click();
  await page.waitForURL(`${BASE}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(sidebar(page).getByText("First Admin")).toBeVisible();
  await expect(sidebar(page).getByText("admin", { exact: true })).toBeVisible();

  // The page is gone once someone has an account, and the code no longer works.
  await page.goto(`${BASE}/setup`);
  expect(new URL(page.url()).pathname).not.toBe("/setup");
  const again = await page.request.post(`${BASE}/api/setup`, {
    data: { code, email: "second@e2e.test", name: "Second", password: "second-admin-password" },
    headers: { origin: BASE },
  });
  expect(again.status()).toBe(409);
});
