import type { Page } from "@playwright/test";
import { unique } from "./support/api";
import { storageStateFor } from "./support/env";
import { FORBIDDEN_TEXT } from "./support/pages";
import { expect, test } from "./support/test";

// Import in the console as a publisher: a file of 60 documents (six invalid) picked with the
// keyboard-reachable button, progress to 100% in chunks, the report with each reason and its
// pointer, the batch review link; a re-import reports everything unchanged. Screenshots of the
// report in light and dark (e2e/screenshots/import-<theme>.png). An auditor gets the 403 page.

const THEMES = ["light", "dark"] as const;
const TOTAL = 60;
const BAD = [3, 13, 23, 33, 43, 53];

function importFile(ns: string): Buffer {
  const docs = Array.from({ length: TOTAL }, (_, i) =>
    BAD.includes(i)
      ? { name: `${ns}/broken-${String(i).padStart(2, "0")}`, version: "1.0.0", remotes: [{ type: "carrier-pigeon", url: "https://mcp.example.com" }] }
      : {
          name: `${ns}/server-${String(i).padStart(2, "0")}`,
          description: `Tools number ${i} for the ${ns} team`,
          version: i % 7 === 0 ? "2025.1" : "1.0.0",
          remotes: [{ type: "streamable-http", url: `https://mcp.example.com/${i}/mcp` }],
        },
  );
  return Buffer.from(JSON.stringify(docs, null, 2));
}

async function chooseFile(page: Page, name: string, buffer: Buffer) {
  // The picker opens from the keyboard: Tab to the button, Enter.
  const button = page.getByRole("button", { name: "Choose a file" });
  await button.focus();
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Enter");
  await (await chooser).setFiles({ name, mimeType: "application/json", buffer });
}

test.describe("import as a publisher", () => {
  test.use({ storageState: storageStateFor("publisher") });

  for (const theme of THEMES) {
    test(`60 documents: progress to 100%, the report, the batch link (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.addInitScript((t) => window.localStorage.setItem("theme", t), theme);
      const ns = `io.e2e.${unique("imp").toLowerCase().replace(/[^a-z0-9]/g, "")}`;
      const file = importFile(ns);
      await page.goto("/servers/import");
      await expect(page.getByRole("heading", { level: 1, name: "Import servers" })).toBeVisible();
      await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));

      await chooseFile(page, "servers.json", file);
      await expect(page.getByText("servers.json")).toBeVisible();
      await page.getByRole("button", { name: `Import ${TOTAL} documents` }).click();

      const bar = page.getByRole("progressbar", { name: "Import progress" });
      await expect(bar).toHaveAttribute("aria-valuemax", String(TOTAL));
      await expect(bar).toHaveAttribute("aria-valuenow", String(TOTAL), { timeout: 60_000 });
      await expect(bar).toHaveAttribute("aria-valuetext", `${TOTAL} of ${TOTAL} documents`);
      await expect(page.getByText(`${TOTAL} of ${TOTAL} documents`)).toBeVisible();
      await expect(page.getByText("100%")).toBeVisible();

      await expect(page.getByRole("heading", { name: "Import report" })).toBeVisible();
      const summary = page.getByRole("group", { name: "Import summary" });
      await expect(summary).toContainText(`${TOTAL - BAD.length}accepted, pending review`);
      await expect(summary).toContainText(`${BAD.length}rejected`);
      await expect(summary).toContainText("0unchanged");

      const rejected = page.getByRole("table", { name: "Rejected documents" });
      await expect(rejected.getByRole("row")).toHaveCount(BAD.length + 1);
      const first = rejected.getByRole("row").filter({ hasText: `${ns}/broken-03` });
      await expect(first).toContainText("/description");
      await expect(first).toContainText("is required");
      await expect(first).toContainText("/remotes/0/type");
      await expect(page.getByRole("table", { name: "Accepted documents" }).getByRole("row")).toHaveCount(TOTAL - BAD.length + 1);

      const review = page.getByRole("link", { name: "Review this batch" });
      await expect(review).toHaveAttribute("href", /^\/servers\/reviews\?batch=imp_[A-Za-z0-9_-]+$/);

      // The first screen of the report (the accepted list below runs long): progress, summary, rejections.
      await page.setViewportSize({ width: 1280, height: 1400 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(400); // the bar's transition
      await page.screenshot({ path: `e2e/screenshots/import-${theme}.png` });

      // The same file again: nothing new, everything valid is unchanged.
      await page.getByRole("button", { name: "Import again" }).click();
      await expect(page.getByRole("group", { name: "Import summary" })).toContainText(`${TOTAL - BAD.length}unchanged`);
      await expect(page.getByRole("link", { name: "Review this batch" })).toHaveCount(0);
    });
  }

  test("a file that is not JSON is explained before anything is sent", async ({ page }) => {
    await page.goto("/servers/import");
    await page.locator('input[type="file"]').setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('[\n  {"name": "a"}\n  {"name": "b"}\n]') });
    const alert = page.getByRole("alert").filter({ hasText: "Cannot import broken.json" });
    await expect(alert).toContainText("The file is not valid JSON");
    await expect(alert).toContainText("(line 3, column 3)");
    await expect(page.getByRole("progressbar")).toHaveCount(0);
  });
});

test.describe("import without servers.submit", () => {
  test.use({ storageState: storageStateFor("auditor") });

  test("an auditor gets the 403 page", async ({ page }) => {
    const res = await page.goto("/servers/import");
    expect(res?.status()).toBe(403);
    await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Import servers" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Choose a file" })).toHaveCount(0);
  });
});
