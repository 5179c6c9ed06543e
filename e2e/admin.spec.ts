import { request, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { adminApi, createUser, signInApi, unique } from "./support/api";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { choose, expect, test } from "./support/test";

// What an admin does in the UI: people (create, a confirmed role change, promotion with a reason,
// disable, unlock a locked account, sign out everywhere), service accounts (create with a token
// expiry, token shown once and usable, revoke), tokens (created by, expiring soon, issue to a
// service account, the maximum lifetime, revoke), settings (save after confirming, bad values);
// focus goes back to the control that opened each dialog; and the audit page lists it.

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

/** Wrong passwords through the sign-in form's endpoint, as a guesser would send them. */
async function failSignIns(email: string, times: number) {
  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  for (let i = 0; i < times; i++) {
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await ctx.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password: `wrong-password-${i}`, callbackUrl: CONSOLE_URL, json: "true" },
    });
  }
  await ctx.dispose();
}

async function userByEmail(api: APIRequestContext, email: string) {
  const list = (await (await api.get(`/api/v1/users?q=${encodeURIComponent(email)}`)).json()) as {
    items: { id: string; email: string; role: string; disabled: boolean; locked: boolean }[];
  };
  return list.items.find((u) => u.email === email);
}

const userRow = (page: Page, email: string): Locator => page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: email });

async function rowMenu(page: Page, row: Locator, name: string, item: string) {
  await row.getByRole("button", { name: `More actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

test("users: create one, change its role in a confirming dialog, promote with a reason, disable; the audit page shows each step", async ({ page }) => {
  test.slow(); // many steps; on a busy machine they outlast the default minute
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
  const row = userRow(page, email);
  await expect(row).toBeVisible();
  await expect(row.getByText("publisher", { exact: true })).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  // An admin-set password must be changed at the first sign-in; the creator is shown.
  await expect(row.getByText("Must change password")).toBeVisible();
  await expect(row.getByText("by Administrator")).toBeVisible();

  // The role is not a select in the row: it changes in a dialog that asks first. Cancel changes nothing.
  await expect(row.getByRole("combobox")).toHaveCount(0);
  await rowMenu(page, row, name, "Change role…");
  const roleDialog = page.getByRole("dialog", { name: `Change role of ${name}` });
  await expect(roleDialog).toBeVisible();
  await choose(page, roleDialog.getByRole("combobox", { name: "New role" }), "approver");
  await roleDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(roleDialog).toBeHidden();
  await expect(row.getByText("publisher", { exact: true })).toBeVisible();

  await rowMenu(page, row, name, "Change role…");
  await choose(page, roleDialog.getByRole("combobox", { name: "New role" }), "approver");
  await roleDialog.getByRole("button", { name: "Change role" }).click();
  await expect(roleDialog).toBeHidden();
  await expect(page.getByText(`${name} is now an approver`)).toBeVisible();
  await expect(row.getByText("approver", { exact: true })).toBeVisible();

  // Promotion to admin needs a reason; it is sent and recorded.
  await rowMenu(page, row, name, "Change role…");
  await choose(page, roleDialog.getByRole("combobox", { name: "New role" }), "admin");
  await expect(roleDialog.getByText("Admins can do everything")).toBeVisible();
  await roleDialog.getByRole("button", { name: "Make admin" }).click();
  await expect(roleDialog.getByText("Say why this person needs to be an admin")).toBeVisible();
  await expect(roleDialog.getByLabel("Reason")).toBeFocused();
  await roleDialog.getByLabel("Reason").fill("On call for the platform team (ticket SEC-42)");
  await roleDialog.getByRole("button", { name: "Make admin" }).click();
  await expect(roleDialog).toBeHidden();
  await expect(row.getByText("admin", { exact: true })).toBeVisible();

  // Disable: asks first; Cancel changes nothing
  await rowMenu(page, row, name, "Disable");
  const confirm = page.getByRole("alertdialog", { name: `Disable ${name}?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("Active")).toBeVisible();
  await rowMenu(page, row, name, "Disable");
  await confirm.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("Disabled")).toBeVisible();

  // The server agrees: the user is an admin, disabled; the promotion carries its reason.
  const api = await adminApi();
  const user = await userByEmail(api, email);
  expect(user).toMatchObject({ role: "admin", disabled: true });
  const events = (await (await api.get("/api/v1/audit-events?action=user.role_change&limit=100")).json()) as {
    items: { target: { id: string } | null; before: unknown; after: unknown; data: unknown }[];
  };
  const changes = events.items.filter((e) => e.target?.id === user!.id);
  expect(changes.map((e) => [e.before, e.after, e.data])).toEqual([
    [{ role: "approver" }, { role: "admin" }, { reason: "On call for the platform team (ticket SEC-42)" }],
    [{ role: "publisher" }, { role: "approver" }, null],
  ]);
  await api.dispose();

  expect(await auditActionsFor(page, email)).toEqual(["user.disable", "user.role_change", "user.role_change", "user.create"]);
});

test("users: an account locked by failed sign-ins shows as locked until a time, and an admin unlocks it after confirming", async ({ page }) => {
  const person = await createUser("publisher");
  await failSignIns(person.email, 5);
  const api = await adminApi();
  expect(await userByEmail(api, person.email)).toMatchObject({ locked: true });

  await page.goto("/admin/users");
  const row = userRow(page, person.email);
  await expect(row.getByText(/^Locked until /)).toBeVisible();
  await row.getByRole("button", { name: `Unlock ${person.name}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Unlock ${person.name}?` });
  await confirm.getByRole("button", { name: "Unlock", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(`${person.name} can sign in again`)).toBeVisible();
  await expect(row.getByText(/^Locked/)).toHaveCount(0);
  // The Unlock button is gone with the lock: focus is on the row, not lost on the page.
  await expect(row).toBeFocused();

  expect(await userByEmail(api, person.email)).toMatchObject({ locked: false });
  await api.dispose();
  expect(await auditActionsFor(page, person.email)).toContain("user.unlock");
});

test("users: sign out everywhere ends the person's sessions after confirming", async ({ page }) => {
  const person = await createUser("auditor");
  const session = await signInApi(person.email, person.password);
  expect((await session.get("/api/v1/me")).status()).toBe(200);

  await page.goto("/admin/users");
  const row = userRow(page, person.email);
  await rowMenu(page, row, person.name, "Sign out everywhere");
  const confirm = page.getByRole("alertdialog", { name: `Sign ${person.name} out everywhere?` });
  await confirm.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(`${person.name} is signed out everywhere`)).toBeVisible();
  expect((await session.get("/api/v1/me")).status()).toBe(401);
  await session.dispose();
});

test("focus returns to the control that opened a dialog: a row menu, a row button, a page button (Escape and Cancel)", async ({ page }) => {
  test.slow(); // many steps; on a busy machine they outlast the default minute
  const person = await createUser("publisher");
  await page.goto("/admin/users");
  const row = userRow(page, person.email);
  const more = row.getByRole("button", { name: `More actions for ${person.name}` });

  // Opened from a menu item (with the mouse): back to the menu's button.
  await rowMenu(page, row, person.name, "Sign out everywhere");
  const confirm = page.getByRole("alertdialog");
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(more).toBeFocused();

  // With the keyboard, closed with Escape.
  await more.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.getByRole("menuitem", { name: "Change role…" }).focus();
  await page.keyboard.press("Enter");
  const roleDialog = page.getByRole("dialog", { name: `Change role of ${person.name}` });
  await expect(roleDialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(roleDialog).toBeHidden();
  await expect(more).toBeFocused();

  // A page button that opens a dialog by state.
  const create = page.getByRole("button", { name: "Create user" }).first();
  await create.click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(create).toBeFocused();

  // A row button on the tokens page.
  const api = await adminApi();
  const account = (await (await api.post("/api/v1/service-accounts", { data: { name: unique("focus-bot"), role: "auditor" } })).json()) as {
    name: string;
  };
  await api.dispose();
  await page.goto("/admin/service-accounts");
  const revoke = page.getByRole("row").filter({ hasText: account.name }).getByRole("button", { name: `Revoke ${account.name}` });
  await revoke.click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  await expect(revoke).toBeFocused();
});

test("service accounts: expiry at creation; the token is shown once, works as the account's role, and stops working when revoked", async ({ page }) => {
  test.slow(); // many steps; on a busy machine they outlast the default minute
  const name = unique("ci-bot");
  await page.goto("/admin/service-accounts");
  await expect(page.getByRole("heading", { level: 1, name: "Service accounts" })).toBeVisible();

  await page.getByRole("button", { name: "Create service account" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await choose(page, dialog.getByRole("combobox", { name: "Role" }), "auditor");
  await dialog.getByLabel("First token expires after (days)").fill("30");
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
  await expect(row.getByText("by Administrator")).toBeVisible();
  expect(await page.content()).not.toContain(token);
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: name })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // The token works, with the account's role, and expires in 30 days.
  const used = await bearerStatus(token);
  expect(used.status).toBe(200);
  expect(used.body).toMatchObject({ kind: "service", name, role: "auditor", via: "token" });
  const api = await adminApi();
  const tokens = (await (await api.get(`/api/v1/tokens?q=${encodeURIComponent(token.slice(0, 12))}`)).json()) as {
    items: { userName: string; expiresAt: string }[];
  };
  const first = tokens.items.find((t) => t.userName === name);
  const days = (new Date(first!.expiresAt).getTime() - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);
  await api.dispose();

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

test("tokens: created by and expiry shown, expiring-soon badge and filter; an admin revokes one and it stops working", async ({ page }) => {
  test.slow(); // many steps; on a busy machine they outlast the default minute
  const api = await adminApi();
  const account = (await (await api.post("/api/v1/service-accounts", { data: { name: unique("deployer"), role: "publisher" } })).json()) as {
    id: string;
    name: string;
    token: string;
  };
  const soonName = unique("release-pipeline");
  const laterName = unique("nightly");
  const issued = await api.post("/api/v1/tokens", { data: { userId: account.id, name: soonName, expiresInDays: 3 } });
  expect(issued.status()).toBe(201);
  const { token } = (await issued.json()) as { token: string };
  expect((await api.post("/api/v1/tokens", { data: { userId: account.id, name: laterName, expiresInDays: 300 } })).status()).toBe(201);
  await api.dispose();
  expect((await bearerStatus(token)).status).toBe(200);

  await page.goto("/admin/tokens");
  await expect(page.getByRole("heading", { level: 1, name: /tokens/i })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: soonName });
  await expect(row.getByText("active")).toBeVisible();
  await expect(row.getByText("expires soon")).toBeVisible();
  await expect(row).toContainText(token.slice(0, 12));
  // Issued with the bootstrap token, which belongs to the bootstrap service account.
  await expect(row.getByText("by bootstrap-admin")).toBeVisible();
  const later = page.getByRole("row").filter({ hasText: laterName });
  await expect(later).toBeVisible();
  await expect(later.getByText("expires soon")).toHaveCount(0);

  // The filter keeps the ones that expire soon.
  const filter = page.getByRole("button", { name: "Expiring soon" });
  await filter.click();
  await expect(filter).toHaveAttribute("aria-pressed", "true");
  await expect(row).toBeVisible();
  await expect(later).toHaveCount(0);
  await filter.click();
  await expect(later).toBeVisible();

  await row.getByRole("button", { name: `Revoke token ${soonName} of ${account.name}` }).click();
  const confirm = page.getByRole("alertdialog");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("revoked", { exact: true })).toBeVisible();

  expect((await bearerStatus(token)).status).toBe(401);
  // The account's first token is untouched.
  expect((await bearerStatus(account.token)).status).toBe(200);
});

test("tokens: a new token goes to yourself or a service account, never another person; the maximum lifetime is the API's error on the field", async ({ page }) => {
  const other = await createUser("approver");
  const api = await adminApi();
  const account = (await (await api.post("/api/v1/service-accounts", { data: { name: unique("issuer-bot"), role: "auditor" } })).json()) as {
    id: string;
    name: string;
  };
  await api.dispose();

  await page.goto("/admin/tokens");
  await page.getByRole("button", { name: "New token" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New API token" });
  const owner = dialog.getByRole("combobox", { name: "Owner" });
  await owner.click();
  await expect(page.getByRole("option", { name: new RegExp(account.name) })).toBeVisible();
  await expect(page.getByRole("option", { name: /Administrator/ })).toBeVisible();
  await expect(page.getByRole("option", { name: new RegExp(other.name) })).toHaveCount(0);
  await page.getByRole("option", { name: new RegExp(account.name) }).click();

  const name = unique("too-long");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Expires after (days)").fill("3000");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const days = dialog.getByLabel("Expires after (days)");
  await expect(days).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText(/must be at most 365/)).toBeVisible();
  await expect(days).toBeFocused();

  // Empty: the default lifetime.
  await days.fill("");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const revealed = page.getByRole("dialog", { name: "Token issued" });
  await expect(revealed.getByText(/won.t be shown again/i)).toBeVisible();
  await expect(revealed).toContainText(`${account.name} · ${name}`);
  await revealed.getByRole("button", { name: /copied it/i }).click();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(account.name);
});

test("settings: save after confirming what changes, reset a field to its default, and bad values are refused on their field", async ({ page }) => {
  test.slow(); // many steps; on a busy machine they outlast the default minute
  await page.goto("/admin/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  for (const group of ["Tokens", "Sign-in & lockout", "Sessions", "Servers", "Audit"]) {
    await expect(page.getByRole("group", { name: group })).toBeVisible();
  }

  // A range error, and a rule across fields, each on its own field; nothing is sent.
  const failures = page.getByLabel("Failures from one address", { exact: true });
  await failures.fill("0");
  const defaultLifetime = page.getByLabel("Default token lifetime", { exact: true });
  await defaultLifetime.fill("400");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Failures from one address must be at least 1")).toBeVisible();
  await expect(failures).toHaveAttribute("aria-invalid", "true");
  await expect(failures).toBeFocused();
  await failures.fill("5");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(/Default token lifetime must not exceed “longest token lifetime”/)).toBeVisible();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(defaultLifetime).toHaveValue("90");

  // Retention has no effect on other tests running meanwhile.
  const retention = page.getByLabel("Audit retention", { exact: true });
  await retention.fill("3650");
  await expect(page.getByText("1 unsaved change")).toBeVisible();
  await page.getByRole("button", { name: "Save changes" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Save these changes?" });
  await expect(confirm).toContainText("Audit retention");
  await expect(confirm).toContainText("0 days");
  await expect(confirm).toContainText("3650 days");
  await confirm.getByRole("button", { name: "Save changes" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Saved 1 setting")).toBeVisible();
  await expect(page.getByText("No unsaved changes")).toBeVisible();

  const api = await adminApi();
  expect(((await (await api.get("/api/v1/settings")).json()) as { settings: { auditRetentionDays: number } }).settings.auditRetentionDays).toBe(3650);

  await page.reload();
  await expect(retention).toHaveValue("3650");
  await page.getByRole("button", { name: /Reset audit retention to its default/ }).click();
  await expect(retention).toHaveValue("0");
  await page.getByRole("button", { name: "Save changes" }).click();
  await confirm.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("No unsaved changes")).toBeVisible();
  expect(((await (await api.get("/api/v1/settings")).json()) as { settings: { auditRetentionDays: number } }).settings.auditRetentionDays).toBe(0);
  await api.dispose();

  expect(await auditActionsFor(page, "Settings")).toContain("settings.update");
});
