import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { unique } from "./support/api";
import { storageStateFor } from "./support/env";
import { expect, test } from "./support/test";

// Servers > Sync as an approver: add an upstream pointing at a fake upstream registry this spec
// starts on 127.0.0.1 (admitted by OUTBOUND_ALLOWLIST in playwright.config.ts), sync it, watch it
// finish with its counts, propose an allow rule; screenshots in light and dark.

const OFFICIAL = "io.modelcontextprotocol.registry/official";
let fake: Server;
let baseUrl = "";
const ns = `io.e2e${Date.now().toString(36)}`;

test.beforeAll(async () => {
  const entries = ["weather", "files", "tickets"].map((n, i) => ({
    server: { name: `${ns}/${n}`, description: `The ${n} tools`, version: "1.0.0", remotes: [{ type: "streamable-http", url: `https://mcp.example.com/${n}` }] },
    _meta: { [OFFICIAL]: { status: "active", publishedAt: `2025-01-0${i + 1}T00:00:00Z`, updatedAt: `2025-01-0${i + 1}T00:00:00Z`, isLatest: true } },
  }));
  entries.push({ server: { name: `${ns}/broken`, description: "", version: "1.0.0", remotes: [] }, _meta: { [OFFICIAL]: { status: "active", publishedAt: "2025-01-05T00:00:00Z", updatedAt: "2025-01-05T00:00:00Z", isLatest: true } } });
  fake = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname !== "/v0.1/servers") {
      res.writeHead(404);
      return res.end();
    }
    // Two pages, slowly (about 5 s in all), so the running state outlasts the page's one-second
    // polling even on a loaded machine and the progress bar is seen.
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const page = entries.slice(start, start + 2);
    const next = start + 2 < entries.length ? String(start + 2) : undefined;
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ servers: page, metadata: { count: page.length, ...(next ? { nextCursor: next } : {}) } }));
    }, 2500);
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((r) => fake.close(r));
});

test.use({ storageState: storageStateFor("approver") });

test("an approver adds an upstream, syncs it and sees the counts; light and dark screenshots", async ({ page }) => {
  const name = unique("upstream");
  await page.goto("/servers/sync");
  await expect(page.getByRole("heading", { level: 1, name: "Sync" })).toBeVisible();

  await page.getByRole("button", { name: "Add upstream" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add upstream registry" });
  await dialog.getByLabel("Base URL").fill("ftp://nope");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Add upstream" }).click();
  await expect(dialog.getByText("Base URL must be an https (or http) URL")).toBeVisible();
  await dialog.getByLabel("Base URL").fill(`${baseUrl}/v0.1`);
  await dialog.getByLabel("Sync every (minutes)").fill("0");
  await dialog.getByRole("button", { name: "Add upstream" }).click();
  await expect(dialog).toBeHidden();

  const card = page.getByRole("region", { name });
  await expect(card.getByText(baseUrl, { exact: true })).toBeVisible();
  await expect(card.getByText("Never synced")).toBeVisible();
  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(card.getByRole("progressbar", { name: `Syncing ${name}` })).toBeVisible();
  await expect(card.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
  await expect(card.getByRole("progressbar")).toBeHidden();
  const count = (label: string) => card.locator("dl > div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");
  await expect(count("Seen")).toHaveText("4");
  await expect(count("Pending review")).toHaveText("3");
  await expect(count("Rejected")).toHaveText("1");
  await card.getByText("1 entry refused").click();
  await expect(card.getByText("Invalid server.json: /description must not be empty")).toBeVisible();

  await card.getByLabel("Namespace").fill(`${ns}/`);
  await card.getByRole("button", { name: "Propose rule" }).click();
  await expect(card.getByRole("table", { name: `Allow rules of ${name}` }).getByText("pending")).toBeVisible();
  await expect(card.getByText("Awaiting another approver")).toBeVisible();

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.evaluate((t) => window.localStorage.setItem("theme", t), theme);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
    await expect(page.getByRole("region", { name }).getByText("Succeeded")).toBeVisible();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `e2e/screenshots/sync-${theme}.png`, fullPage: true });
  }
});
