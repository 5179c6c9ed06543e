import { request, type Page } from "@playwright/test";
import { adminApi, unique } from "./support/api";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { choose, expect, test } from "./support/test";

// What an admin does in the UI: people (create, change role, disable), service accounts (create,
// token shown once and usable, revoke), tokens (revoke); and the audit page lists it newest first.

test.use({ storageState: storageStateFor("admin") });

/** The actions of the audit rows whose target is `label`, top to bottom as the page shows them. */
async function auditActionsFor(page: Page, label: string): Promise<string[]> {
  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
  const table = page.getByRole("table", { name: /audit events/i });
  await expect(table).toBeVisible();
  return table.getByRole("row").filter({ hasText: label }).locator("code").allTextContents();
}

async function bearerStatus(token: string): Promise<{ status: number; body: unknown }> {
  const ctx = await request.newContext({ baseURL: CONSOLE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const res = await ctx.get("/api/v1/me");
  const out = { status: res.status(), body: await res.json().catch(() => null) };
  await ctx.dispose();
  return out;
}

test("users: create one, change its role, disable it after confirming; the audit page shows each step", async ({ page }) => {
  const name = `Quinn ${unique("ui")}`;
  const email = `${unique("quinn")}@e2e.test`;
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  // Create
  await page.getByRole("button", { name: "Create user" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("E-mail").fill(email);
  await choose(page, dialog.getByRole("combobox", { name: "Role" }), "publisher");
  await dialog.getByLabel("Initial password", { exact: true }).fill("quinn-password-123");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toBeVisible();
  await expect(row.getByRole("combobox", { name: `Role of ${name}` })).toHaveText(/publisher/);
  await expect(row.getByText("Active")).toBeVisible();

  // Change the role
  await choose(page, row.getByRole("combobox", { name: `Role of ${name}` }), "approver");
  await expect(page.getByText(`${name} is now an approver`)).toBeVisible();
  await expect(row.getByRole("combobox", { name: `Role of ${name}` })).toHaveText(/approver/);

  // Disable: asks first; Cancel changes nothing
  await row.getByRole("button", { name: `Disable ${name}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Disable ${name}?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("Active")).toBeVisible();
  await row.getByRole("button", { name: `Disable ${name}` }).click();
  await confirm.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("Disabled")).toBeVisible();

  // The server agrees: the user is an approver, disabled, and cannot sign in.
  const api = await adminApi();
  const list = (await (await api.get(`/api/v1/users?q=${encodeURIComponent(email)}`)).json()) as {
    items: { email: string; role: string; disabled: boolean }[];
  };
  expect(list.items.find((u) => u.email === email)).toMatchObject({ role: "approver", disabled: true });
  await api.dispose();

  expect(await auditActionsFor(page, email)).toEqual(["user.disable", "user.update", "user.create"]);
});

test("service accounts: the token is shown once, works as the account's role, and stops working when revoked", async ({ page }) => {
  const name = unique("ci-bot");
  await page.goto("/admin/service-accounts");
  await expect(page.getByRole("heading", { level: 1, name: "Service accounts" })).toBeVisible();

  await page.getByRole("button", { name: "Create service account" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await choose(page, dialog.getByRole("combobox", { name: "Role" }), "auditor");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();

  const tokenField = dialog.getByLabel("Token", { exact: true });
  await expect(tokenField).toBeVisible();
  await expect(dialog.getByText(/won.t be shown again/i)).toBeVisible();
  const token = await tokenField.inputValue();
  expect(token.length).toBeGreaterThanOrEqual(32);

  // Only the explicit button closes it; afterwards the token is nowhere on the page.
  await page.keyboard.press("Escape");
  await expect(tokenField).toBeVisible();
  await dialog.getByRole("button", { name: /copied it/i }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByText("auditor", { exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(token);
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: name })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // The token works, with the account's role and permissions.
  const used = await bearerStatus(token);
  expect(used.status).toBe(200);
  expect(used.body).toMatchObject({ kind: "service", name, role: "auditor", via: "token" });

  // Revoke in the UI, after confirming.
  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Revoke ${name}?` });
  await confirm.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: name }).getByText("Revoked")).toBeVisible();

  const after = await bearerStatus(token);
  expect(after.status).toBe(401);
  expect(after.body).toMatchObject({ error: { code: expect.any(String) } });

  expect(await auditActionsFor(page, name)).toEqual(["service_account.revoke", "service_account.create"]);
});

test("tokens: an admin revokes one token on the tokens page and it stops working", async ({ page }) => {
  const api = await adminApi();
  const account = (await (await api.post("/api/v1/service-accounts", { data: { name: unique("deployer"), role: "publisher" } })).json()) as {
    id: string;
    name: string;
    token: string;
  };
  const tokenName = unique("release-pipeline");
  const issued = await api.post("/api/v1/tokens", { data: { userId: account.id, name: tokenName, expiresInDays: 30 } });
  expect(issued.status()).toBe(201);
  const { token } = (await issued.json()) as { token: string };
  await api.dispose();
  expect((await bearerStatus(token)).status).toBe(200);

  await page.goto("/admin/tokens");
  await expect(page.getByRole("heading", { level: 1, name: /tokens/i })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: tokenName });
  await expect(row.getByText("active")).toBeVisible();
  await expect(row).toContainText(token.slice(0, 12));
  await row.getByRole("button", { name: `Revoke token ${tokenName} of ${account.name}` }).click();
  const confirm = page.getByRole("alertdialog");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("revoked", { exact: true })).toBeVisible();

  expect((await bearerStatus(token)).status).toBe(401);
  // The account's first token is untouched.
  expect((await bearerStatus(account.token)).status).toBe(200);
});
