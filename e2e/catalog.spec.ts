import { request, type APIRequestContext, type Page } from "@playwright/test";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { expect, test } from "./support/test";

// The catalog in the browser: a publisher's submissions, an approver's review (the diff from the
// approved version, then approve), a batch decided together from the queue, and the server page
// (versions, install snippets, deprecate with a reason, status history); screenshots of the
// catalog, a server page and the review queue with a diff, in both themes.

// One story, in order: the review approves 1.1.0, which the server page then installs.
test.describe.configure({ mode: "serial" });

const ns = `io.e2ecat${Date.now().toString(36)}`;
const doc = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  name,
  title: "Weather",
  description: "Forecasts and warnings for the e2e tests",
  version,
  packages: [{ registryType: "npm", identifier: "@e2e/weather-mcp", version, transport: { type: "stdio" }, environmentVariables: [{ name: "WEATHER_API_KEY", isSecret: true, isRequired: true }] }],
  remotes: [{ type: "streamable-http", url: "https://weather.example.com/mcp" }],
  ...extra,
});

async function as(role: "publisher" | "approver"): Promise<APIRequestContext> {
  return request.newContext({ baseURL: CONSOLE_URL, storageState: storageStateFor(role), extraHTTPHeaders: { origin: CONSOLE_URL } });
}

async function submit(api: APIRequestContext, document: unknown) {
  const res = await api.post("/api/v1/servers", { data: { document } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { server: { id: string }; version: { id: string }; review: { id: string } };
}

async function shoot(page: Page, name: string, ready: () => Promise<void>) {
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.evaluate((t) => window.localStorage.setItem("theme", t), theme);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
    await ready();
    await page.waitForTimeout(250);
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage: true });
  }
}

const weather = `${ns}/weather`;
let serverId = "";
let secondReview = "";

test.beforeAll(async () => {
  const publisher = await as("publisher");
  const approver = await as("approver");
  const first = await submit(publisher, doc(weather, "1.0.0"));
  serverId = first.server.id;
  const ok = await approver.post(`/api/v1/reviews/${first.review.id}/decision`, { data: { decision: "approve", comment: "Checked the package" } });
  expect(ok.status(), await ok.text()).toBe(200);
  const second = await submit(publisher, doc(weather, "1.1.0", { description: "Forecasts, warnings and radar for the e2e tests" }));
  secondReview = second.review.id;
  for (const n of ["files", "tickets"]) await submit(publisher, { name: `${ns}/${n}`, description: `The ${n} tools`, version: "0.9.0", remotes: [{ type: "sse", url: `https://${n}.example.com/sse` }] });
  await publisher.dispose();
  await approver.dispose();
});

test.describe("as an approver", () => {
  test.use({ storageState: storageStateFor("approver") });

  test("the review page shows the diff from the approved version; approving serves it in the registry", async ({ page }) => {
    await page.goto(`/servers/reviews/${secondReview}`);
    await expect(page.getByRole("heading", { level: 1, name: new RegExp(weather.replace(/[.]/g, "\\.")) })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Changes since 1.0.0" })).toBeVisible();
    const diff = page.getByLabel("Differences");
    await expect(diff).toContainText('"description": "Forecasts, warnings and radar for the e2e tests"');
    await expect(diff).toContainText('"version": "1.0.0"');
    // description, version and the package's version
    await expect(page.getByText("3 lines added, 3 removed")).toBeVisible();
    await expect(page.getByText("@e2e/weather-mcp@1.1.0")).toBeVisible();
    await shoot(page, "review-diff", () => expect(page.getByLabel("Differences")).toBeVisible());

    await page.getByRole("button", { name: "Approve" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Comment").fill("Radar looks fine");
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("This review was approved")).toBeVisible();
    const latest = await page.request.get(`/v0.1/servers/${encodeURIComponent(weather)}/versions/latest`);
    expect(latest.status()).toBe(200);
    expect(((await latest.json()) as { server: { version: string } }).server.version).toBe("1.1.0");
  });

  test("the review queue decides a batch with one comment", async ({ page }) => {
    const publisher = await as("publisher");
    const batchId = `e2e${Date.now().toString(36)}`;
    const res = await publisher.post("/api/v1/servers/import", {
      data: { batchId, documents: ["alpha", "beta", "gamma"].map((n) => ({ name: `${ns}/batch-${n}`, description: `Batch ${n}`, version: "1.0.0", remotes: [{ type: "streamable-http", url: `https://${n}.example.com/mcp` }] })) },
    });
    expect(res.status(), await res.text()).toBe(200);
    await publisher.dispose();

    await page.goto(`/servers/reviews?batch=${batchId}`);
    await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
    const rows = page.getByRole("table", { name: "Reviews" }).getByRole("row");
    await expect(rows).toHaveCount(4);
    await shoot(page, "review-queue", () => expect(page.getByRole("table", { name: "Reviews" })).toBeVisible());
    await page.getByRole("checkbox", { name: "Select every review you may decide" }).check();
    await expect(page.getByText("3 selected")).toBeVisible();
    await page.getByRole("button", { name: "Approve selected" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Comment").fill("Imported from the platform team's list");
    await dialog.getByRole("button", { name: "Approve all" }).click();
    await expect(page.getByText("Nothing awaits review")).toBeVisible();
    const served = await page.request.get(`/v0.1/servers/${encodeURIComponent(`${ns}/batch-beta`)}/versions/latest`);
    expect(served.status()).toBe(200);
  });

  test("the server page: versions, install snippets, deprecate with a reason, status history", async ({ page }) => {
    await page.goto(`/servers/${serverId}`);
    await expect(page.getByRole("heading", { level: 1, name: "Weather" })).toBeVisible();
    const versions = page.getByRole("table", { name: "Versions" });
    await expect(versions.getByRole("row")).toHaveCount(3);
    await expect(page.getByRole("heading", { name: /^Install 1\.1\.0$/ })).toBeVisible();
    // VS Code first; arrow keys move between clients
    const tabs = page.getByRole("tablist", { name: "Client" });
    await expect(page.getByRole("tabpanel")).toContainText('"servers"');
    await expect(page.getByRole("tabpanel")).toContainText("${input:");
    await tabs.getByRole("tab", { name: "VS Code" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(tabs.getByRole("tab", { name: "Claude Desktop" })).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tabpanel")).toContainText("claude mcp add");
    await expect(page.getByRole("tabpanel")).not.toContainText("WEATHER_API_KEY=sk");

    await page.getByRole("button", { name: `Deprecate ${weather} 1.0.0` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Use 1.1 for radar");
    await dialog.getByRole("button", { name: "Deprecate" }).click();
    await expect(versions.getByText("Use 1.1 for radar")).toBeVisible();
    await expect(versions.getByText("Deprecated")).toBeVisible();
    const v1 = await page.request.get(`/v0.1/servers/${encodeURIComponent(weather)}/versions/1.0.0`);
    expect(((await v1.json()) as { _meta: Record<string, { status: string }> })._meta["io.modelcontextprotocol.registry/official"].status).toBe("deprecated");
    const history = page.getByRole("heading", { name: "Status history" }).locator("xpath=ancestor::div[contains(@class,'rounded')][1]");
    await expect(history.getByText("deprecated", { exact: false }).first()).toBeVisible();

    // revoking needs a reason
    await page.getByRole("button", { name: `Revoke ${weather} 1.0.0` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByRole("dialog").getByText("Reason is required")).toBeVisible();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await shoot(page, "server-page", () => expect(page.getByRole("table", { name: "Versions" })).toBeVisible());
  });
});

test.describe("as a publisher", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("the catalog searches and filters; a pending submission can be withdrawn", async ({ page }) => {
    await page.goto("/servers");
    await expect(page.getByRole("heading", { level: 1, name: "Servers" })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search servers" }).fill(ns);
    await expect(page.getByRole("link", { name: "Weather" })).toBeVisible();
    await expect(page.getByRole("link", { name: `${ns}/files` })).toBeVisible();
    await page.getByRole("combobox", { name: "Transport" }).click();
    await page.getByRole("option", { name: "Transport: SSE" }).click();
    await expect(page.getByRole("link", { name: "Weather" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: `${ns}/tickets` })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search servers" }).fill(`${ns}-nothing`);
    await expect(page.getByText("Nothing matches")).toBeVisible();
    await page.getByRole("searchbox", { name: "Search servers" }).fill(ns);
    await page.getByRole("combobox", { name: "Transport" }).click();
    await page.getByRole("option", { name: "Transport: all" }).click();
    await expect(page.getByRole("link", { name: "Weather" })).toBeVisible();
    await shoot(page, "catalog", async () => {
      await page.getByRole("searchbox", { name: "Search servers" }).fill(ns);
      await expect(page.getByRole("link", { name: "Weather" })).toBeVisible();
    });

    await page.getByRole("link", { name: `${ns}/files` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${ns}/files` })).toBeVisible();
    await page.getByRole("button", { name: `Withdraw ${ns}/files 0.9.0` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Withdraw" }).click();
    await expect(page.getByRole("table", { name: "Versions" }).getByText("Withdrawn")).toBeVisible();
  });
});
