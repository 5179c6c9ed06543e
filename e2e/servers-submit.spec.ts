import type { Page } from "@playwright/test";
import { unique } from "./support/api";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { FORBIDDEN_TEXT } from "./support/pages";
import { alertOf, choose, expect, test } from "./support/test";

// /servers/new: a publisher submits a server.json pasted, uploaded or built with the form; the
// browser checks it with the registry's own validator before the API sees it. Roles without
// servers.submit get the 403 page.

const SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

const documentNamed = (name: string, version = "1.0.0") => ({
  $schema: SCHEMA,
  name,
  description: "Forecasts for the e2e tests",
  version,
  packages: [{ registryType: "npm", identifier: "@e2e/forecast-mcp", version, transport: { type: "stdio" } }],
});

const editor = (page: Page) => page.getByRole("textbox", { name: "server.json" });
const submitButton = (page: Page) => page.getByRole("button", { name: "Submit for review" });
const problems = (page: Page) => page.getByRole("list", { name: "Problems" });

async function open(page: Page) {
  const res = await page.goto("/servers/new");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Submit a server version" })).toBeVisible();
}

test.describe("as a publisher", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("paste: syntax and schema errors block the submission; fixed, it is submitted for review", async ({ page }) => {
    await open(page);
    await expect(page.getByText("Nothing to check yet").first()).toBeVisible();
    await expect(submitButton(page)).toBeDisabled();

    // A JSON syntax error names the line and column.
    await editor(page).fill('{\n  "name": "io.github.e2e/x",\n  "version": 1.0.0\n}');
    await expect(page.getByText("This is not valid JSON")).toBeVisible();
    await expect(page.getByText(/Line 3, column 17:/)).toBeVisible();
    await expect(submitButton(page)).toBeDisabled();

    // Valid JSON, invalid server.json: the pointer and the sentence.
    const name = `io.github.e2e/${unique("forecast")}`;
    await editor(page).fill(JSON.stringify({ ...documentNamed(name), name: "forecast" }, null, 2));
    await expect(problems(page).getByRole("listitem").filter({ has: page.locator("code", { hasText: /^\/name$/ }) })).toContainText("must be a namespace");
    await expect(submitButton(page)).toBeDisabled();
    await expect(page.getByText(/Fix 1 problem to submit/)).toBeVisible();

    await editor(page).fill(JSON.stringify(documentNamed(name), null, 2));
    await expect(page.getByText("The server.json is valid and ready to submit.")).toBeVisible();
    await expect(submitButton(page)).toBeEnabled();
    await submitButton(page).click();

    const done = page.getByRole("heading", { level: 2, name: `Submitted ${name} 1.0.0 for review` });
    await expect(done).toBeVisible();
    await expect(done).toBeFocused();
    await expect(page.getByRole("link", { name: "Open the server page" })).toHaveAttribute("href", /^\/servers\/[^/]+$/);

    // Submitting the same version again: the API's 409, as an alert.
    await page.getByRole("button", { name: "Submit another" }).click();
    await expect(editor(page)).toHaveValue("");
    await editor(page).fill(JSON.stringify(documentNamed(name), null, 2));
    await submitButton(page).click();
    await expect(alertOf(page).filter({ hasText: "This version already exists" })).toContainText(`${name} version 1.0.0 already exists`);
  });

  test("the example goes in with one click and validates; warnings are shown apart from errors", async ({ page }) => {
    await open(page);
    await page.getByRole("button", { name: "Insert example" }).click();
    await expect(editor(page)).toHaveValue(/"io\.github\.example\/weather"/);
    await expect(page.getByText("The server.json is valid and ready to submit.")).toBeVisible();

    const name = `io.github.e2e/${unique("warned")}`;
    await editor(page).fill(JSON.stringify({ ...documentNamed(name, "1.0"), packages: undefined }, null, 2));
    const warnings = page.getByRole("list", { name: "Warnings" });
    await expect(warnings).toContainText("is not a semantic version");
    await expect(warnings).toContainText("neither packages nor remotes");
    await expect(page.getByText("2 warnings for the reviewer", { exact: true })).toBeVisible();
    await expect(problems(page)).toHaveCount(0);
    await expect(submitButton(page)).toBeEnabled();
  });

  test("upload: a .json file opens in the editor; the tabs follow the arrow keys", async ({ page }) => {
    await open(page);
    const paste = page.getByRole("tab", { name: "Paste JSON" });
    await paste.focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Upload" })).toHaveAttribute("aria-selected", "true");

    const name = `io.github.e2e/${unique("uploaded")}`;
    await page.getByLabel(/Drop a server\.json file here/).setInputFiles({
      name: "server.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(documentNamed(name), null, 2)),
    });
    await expect(paste).toHaveAttribute("aria-selected", "true");
    await expect(editor(page)).toHaveValue(new RegExp(name.replace(/[.]/g, "\\.")));
    await expect(page.getByText("Loaded from")).toContainText("server.json");
    await expect(submitButton(page)).toBeEnabled();
  });

  test("build with the form: the preview follows the fields and the built document is submitted", async ({ page }) => {
    await open(page);
    await page.getByRole("tab", { name: "Build with a form" }).click();
    const name = `io.github.e2e/${unique("built")}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description").fill("Built with the form in e2e");
    await page.getByLabel("Version", { exact: true }).fill("2.1.0");

    await page.getByRole("button", { name: "Add package" }).click();
    const pkg = page.getByRole("group", { name: "Package 1" });
    await expect(pkg.getByLabel("Identifier")).toBeFocused();
    await pkg.getByLabel("Identifier").fill("@e2e/built-mcp");
    await pkg.getByRole("button", { name: "Add environment variable to package 1" }).click();
    await pkg.getByLabel("Name").fill("BUILT_API_KEY");
    await pkg.getByLabel("Secret").check();

    await page.getByRole("button", { name: "Add remote" }).click();
    const remote = page.getByRole("group", { name: "Remote 1" });
    await choose(page, remote.getByRole("combobox", { name: "Transport" }), "sse");
    const url = remote.getByRole("textbox", { name: "URL", exact: true });
    await url.fill("not a url");
    await expect(problems(page)).toContainText("/remotes/0/url");
    await expect(submitButton(page)).toBeDisabled();
    await url.fill("https://built.e2e.test/sse");

    const preview = page.getByLabel("server.json built from the form");
    await expect(preview).toContainText(`"$schema": "${SCHEMA}"`);
    await expect(preview).toContainText(/"name": "BUILT_API_KEY",\s+"isSecret": true\s+\}/);
    await expect(preview).toContainText('"type": "sse"');
    await expect(preview).not.toContainText('"title"');

    await expect(submitButton(page)).toBeEnabled();
    await submitButton(page).click();
    await expect(page.getByRole("heading", { level: 2, name: `Submitted ${name} 2.1.0 for review` })).toBeVisible();
  });

  test("edit as JSON carries the form's document to the editor", async ({ page }) => {
    await open(page);
    await page.getByRole("tab", { name: "Build with a form" }).click();
    await page.getByLabel("Name", { exact: true }).fill("io.github.e2e/carried");
    await page.getByRole("button", { name: "Edit as JSON" }).click();
    await expect(page.getByRole("tab", { name: "Paste JSON" })).toHaveAttribute("aria-selected", "true");
    await expect(editor(page)).toBeFocused();
    await expect(editor(page)).toHaveValue(/"name": "io\.github\.e2e\/carried"/);
  });

  for (const theme of ["light", "dark"] as const) {
    test(`screenshot in ${theme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.addInitScript((t) => window.localStorage.setItem("theme", t), theme);
      await open(page);
      await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
      await page.getByRole("tab", { name: "Build with a form" }).click();
      await page.getByLabel("Name", { exact: true }).fill("io.github.acme/weather");
      await page.getByLabel("Title").fill("Weather");
      await page.getByLabel("Description").fill("Current conditions and forecasts for any city");
      await page.getByLabel("Version", { exact: true }).fill("1.2");
      await page.getByLabel("Repository URL").fill("https://github.com/acme/weather-mcp");
      await page.getByRole("button", { name: "Add package" }).click();
      const pkg = page.getByRole("group", { name: "Package 1" });
      await pkg.getByLabel("Identifier").fill("@acme/weather-mcp");
      await pkg.getByRole("button", { name: "Add environment variable to package 1" }).click();
      await pkg.getByLabel("Name").fill("WEATHER_API_KEY");
      await pkg.getByLabel("Description").fill("Key for the weather service");
      await pkg.getByLabel("Required").check();
      await pkg.getByLabel("Secret").check();
      await page.getByRole("button", { name: "Add remote" }).click();
      await page.getByRole("group", { name: "Remote 1" }).getByRole("textbox", { name: "URL", exact: true }).fill("mcp.acme.example/weather");
      await expect(problems(page)).toBeVisible();
      await expect(page.getByRole("list", { name: "Warnings" })).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      // The whole page in one viewport, so the sticky submit bar and the sidebar sit where a person sees them.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 1280, height });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `e2e/screenshots/servers-submit-${theme}.png` });
    });
  }
});

test.describe("as an auditor", () => {
  test.use({ storageState: storageStateFor("auditor") });

  test("/servers/new shows the forbidden page and the API refuses a submission", async ({ page }) => {
    await page.goto("/servers/new");
    await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Submit for review" })).toHaveCount(0);
    const res = await page.request.post("/api/v1/servers", { data: { document: documentNamed("io.github.e2e/auditor") }, headers: { origin: CONSOLE_URL } });
    expect(res.status()).toBe(403);
  });

  test("/servers/new answers HTTP 403", async ({ page }) => {
    // The permission is checked in servers/new/layout.tsx, outside any loading.tsx (the catalog's
    // sits in the (catalog) route group), so the status is a real 403, not a streamed 200.
    const res = await page.goto("/servers/new");
    expect(res?.status()).toBe(403);
  });
});
