import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import {
  ADMIN,
  BOOTSTRAP_TOKEN,
  CONSOLE_PORT,
  CONSOLE_URL,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_DISPLAY_NAME,
  OIDC_ISSUER,
  OIDC_PORT,
  OIDC_ROLE_MAP,
} from "./e2e/support/env";

// End-to-end tests in Debian's Chromium (never `playwright install`: nothing is downloaded).
// Two servers: a real OpenID Provider (oidc-provider) for SSO, then the console started the way
// `npm start` starts it (tsx server.ts: migrate, bootstrap, build when stale, serve) on its own
// port and its own fresh SQLite database under data/e2e/.

const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  throw new Error(`Chromium not found at ${chromiumPath}: install chromium: apt-get install -y chromium (or set PLAYWRIGHT_CHROMIUM_PATH)`);
}

const E2E_DATA_DIR = "data/e2e";
// E2E_DATABASE_URL runs the same tests on an (empty) PostgreSQL database instead.
const databaseUrl = process.env.E2E_DATABASE_URL || `file:./${E2E_DATA_DIR}/portcullis.db`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  // Two workers, the console and its database share two cores: pages that load several lists
  // have taken over 10 s to settle late in a full run.
  expect: { timeout: 20_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: CONSOLE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"] },
      dependencies: ["setup"],
      testIgnore: /.*\.setup\.ts/,
    },
  ],
  webServer: [
    {
      name: "oidc-provider",
      command: "node e2e/oidc-server.mjs",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      env: {
        OIDC_PORT: String(OIDC_PORT),
        CONSOLE_URL,
        OIDC_TEST_CLIENT_ID: OIDC_CLIENT_ID,
        OIDC_TEST_CLIENT_SECRET: OIDC_CLIENT_SECRET,
      },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
    },
    {
      name: "console",
      // A fresh database every run; `exec` keeps the server in the process group Playwright stops.
      command: `rm -rf ${E2E_DATA_DIR} && exec node node_modules/tsx/dist/cli.mjs server.ts`,
      url: `${CONSOLE_URL}/api/health`,
      env: {
        HOST: "127.0.0.1",
        PORT: String(CONSOLE_PORT),
        PUBLIC_BASE_URL: CONSOLE_URL,
        DATABASE_URL: databaseUrl,
        DATA_DIR: `./${E2E_DATA_DIR}`,
        MIGRATE_ON_START: "true",
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
        BOOTSTRAP_ADMIN_TOKEN: BOOTSTRAP_TOKEN,
        OIDC_ISSUER,
        OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET,
        OIDC_DISPLAY_NAME,
        OIDC_ROLES_CLAIM: "groups",
        OIDC_ROLE_MAP: JSON.stringify(OIDC_ROLE_MAP),
        // The fake upstream registry of e2e/sync.spec.ts listens on loopback.
        OUTBOUND_ALLOWLIST: "127.0.0.1",
        // Snapshots are taken when a spec asks (e2e/tool-snapshots.spec.ts), never by the job in between.
        RECHECK_POLL_MS: "0",
        // Request lines stay quiet; the build (when the sources changed) still prints its progress.
        LOG_LEVEL: "warn",
      },
      reuseExistingServer: false,
      // The first start builds the console (1-2 minutes on two cores, more on a busy machine).
      timeout: 600_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
