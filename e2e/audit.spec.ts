import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { adminApi, createUser, INITIAL_PASSWORD, unique } from "./support/api";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { expect, sidebar, test } from "./support/test";

// The audit trail an investigator can trust: events are sealed into a keyed chain, the
// background check verifies them, and a row changed behind the console's back (here: straight in
// the e2e database, as someone with database access would) marks it and every later event of its
// stream as unverified, with the banner linking to the first broken event.

test.describe.configure({ mode: "serial" });
test.use({ storageState: storageStateFor("admin") });

/** Raw SQL on the e2e server's database, bypassing the console (`?` placeholders). */
async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) {
    const db = new Database("data/e2e/portcullis.db");
    try {
      db.pragma("busy_timeout = 10000");
      const stmt = db.prepare(text);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let i = 0;
    return (await client.query(text.replace(/\?/g, () => `$${++i}`), params)).rows;
  } finally {
    await client.end();
  }
}

const stream = `gw-e2e-${randomBytes(3).toString("hex")}`;
const labels = [1, 2, 3, 4, 5].map((i) => `${unique("tool")}-${i}`);
let ids: string[] = [];

/** A gateway's events, as its puller would insert them (the sealer chains them within seconds). */
async function insertGatewayEvents() {
  const sqlite = !process.env.E2E_DATABASE_URL;
  ids = labels.map((_, i) => `e2e-${stream}-${i + 1}`);
  for (const [i, label] of labels.entries()) {
    const time = new Date(Date.now() - (labels.length - i) * 1000).toISOString();
    await sql(
      `INSERT INTO "AuditEvent" ("id", "stream", "sourceEventId", "time", "actorType", "actorLabel", "action", "targetType", "targetId", "targetLabel", "data")
       VALUES (?, ?, ?, ?, 'agent', 'claude-desktop@e2e', 'tool.call', 'tool', ?, ?, ?)`,
      [ids[i], stream, `src-${i + 1}`, sqlite ? time.replace("Z", "+00:00") : time, label, label, JSON.stringify({ arguments: { n: i + 1 } })],
    );
  }
}

async function integrityOf(name: string) {
  const api = await adminApi();
  const res = await api.get("/api/v1/audit/integrity", { params: { stream: name } });
  const body = res.ok() ? ((await res.json()) as { streams: { status: string; verified: number; chained: number }[] }) : null;
  await api.dispose();
  return body?.streams[0] ?? null;
}

/** The Chain badge of the row showing `label`. */
const badgeOf = (page: Page, label: string): Locator =>
  page.getByRole("table", { name: /audit events/i }).getByRole("row").filter({ hasText: label }).getByRole("cell").last();

test("a changed event is caught: it and every later event of its stream show as unverified, the banner links to it", async ({ page }) => {
  await insertGatewayEvents();
  await expect.poll(async () => (await integrityOf(stream))?.chained, { timeout: 30_000 }).toBe(5);
  // everything verifies before the change
  const api = await adminApi();
  expect((await api.post("/api/v1/audit/integrity", { data: { full: true } })).status()).toBe(202);
  await api.dispose();
  await expect.poll(async () => (await integrityOf(stream))?.status, { timeout: 30_000 }).toBe("verified");

  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
  for (const label of labels) await expect(badgeOf(page, label)).toHaveText("Verified");

  // Someone with write access to the database rewrites who made the third call.
  await sql(`UPDATE "AuditEvent" SET "actorLabel" = ? WHERE "id" = ?`, ["someone-else@e2e", ids[2]]);

  await page.getByRole("button", { name: "Verify now" }).click();
  const banner = page.getByRole("status", { name: "Integrity check" });
  await expect(banner.getByRole("heading", { name: "Audit trail broken" })).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText(`Stream ${stream}: broken`);
  await expect(banner).toContainText("First broken link at chain position 3: an event was changed after it was sealed.");
  await expect(banner).toContainText("Verified through position 2; events from the break on are marked unverified.");

  // rows from the break on are unverified; the ones before it still verified
  await expect(badgeOf(page, labels[0])).toHaveText("Verified");
  await expect(badgeOf(page, labels[1])).toHaveText("Verified");
  for (const label of labels.slice(2)) await expect(badgeOf(page, label)).toHaveText("Unverified");

  mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/audit-broken-chain.png", fullPage: true });
  // at phone width nothing is clipped: the page is no wider than the screen, the badges still show
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(badgeOf(page, labels[2])).toHaveText("Unverified");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "e2e/screenshots/audit-broken-chain-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  await banner.getByRole("link", { name: "Open the first broken event" }).click();
  await page.waitForURL(`${CONSOLE_URL}/audit?event=${ids[2]}`);
  const opened = page.getByRole("region", { name: /someone-else@e2e/ });
  await expect(opened).toBeVisible();
  await expect(opened.getByText(ids[2])).toBeVisible();
  await expect(opened.getByText("Unverified").first()).toBeVisible();
  await expect(opened).toContainText(`At or after the first broken link of the ${stream} chain: not verified`);
  await page.screenshot({ path: "e2e/screenshots/audit-broken-event.png", fullPage: true });

  // the link works on its own too (a fresh load of the URL), and Close returns to the list
  await page.goto(`/audit?event=${ids[2]}`);
  await expect(page.getByRole("region", { name: /someone-else@e2e/ })).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();
  await expect(page).toHaveURL(`${CONSOLE_URL}/audit`);
  await expect(page.getByRole("region", { name: /someone-else@e2e/ })).toHaveCount(0);
});

test("the dashboard's integrity card reports the break and links to the event", async ({ page }) => {
  await page.goto("/");
  const card = page.getByRole("status").filter({ hasText: /Broken in stream/ });
  await expect(card).toContainText(`Broken in stream ${stream}: an event was changed after it was sealed`);
  await card.getByRole("link", { name: "Open the first broken event" }).click();
  await page.waitForURL(`${CONSOLE_URL}/audit?event=${ids[2]}`);
  await expect(page.getByRole("region", { name: /someone-else@e2e/ })).toBeVisible();
});

test("an unknown event id in the link says so", async ({ page }) => {
  await page.goto("/audit?event=no-such-event");
  // the page's lists load first; under a full parallel run this has taken over 10 s
  await expect(page.getByText("Could not open this event")).toBeVisible({ timeout: 30_000 });
});

test.describe("the dashboard greeting", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  async function signIn(page: Page, email: string, password: string) {
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: /^sign in$/i }).click();
  }

  test("says Welcome at the first sign-in and Welcome back after", async ({ page }) => {
    const user = await createUser("auditor", { name: `Quinn ${unique("first")}`, mustChangePassword: true });
    await signIn(page, user.email, INITIAL_PASSWORD);
    await page.waitForURL(/\/account\/password/);
    await page.getByLabel("Current password").fill(INITIAL_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("quinn's own password 1");
    await page.getByLabel("Confirm new password").fill("quinn's own password 1");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(`${CONSOLE_URL}/`); // a required change lands on the dashboard
    await expect(page.getByText(/^Welcome, Quinn\. Here is where Portcullis stands right now\.$/)).toBeVisible();

    await sidebar(page).getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    await signIn(page, user.email, "quinn's own password 1");
    await page.waitForURL(`${CONSOLE_URL}/`);
    await expect(page.getByText(/^Welcome back, Quinn\. Here is where Portcullis stands right now\.$/)).toBeVisible();
  });
});
