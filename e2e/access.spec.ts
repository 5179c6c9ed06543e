import { expect, test } from "./support/test";
import { CONSOLE_URL, ROLES, storageStateFor } from "./support/env";
import { FORBIDDEN_TEXT, PAGES } from "./support/pages";

// Every role against every console page: allowed -> 200 and the page's heading; not allowed ->
// 403 and the forbidden message; signed out -> sent to /signin (and back afterwards).

test.describe("signed out", () => {
  for (const { path } of PAGES) {
    test(`${path} redirects to /signin`, async ({ page }) => {
      await page.goto(path);
      const url = new URL(page.url());
      expect(url.pathname).toBe("/signin");
      if (path !== "/") expect(url.searchParams.get("callbackUrl")).toBe(path);
      await expect(page.getByRole("button", { name: /^sign in$/i })).toBeVisible();
    });
  }
});

for (const role of ROLES) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    for (const { path, heading, allowed } of PAGES) {
      const may = (allowed as readonly string[]).includes(role);
      test(`${path} -> ${may ? "200" : "403"}`, async ({ page }) => {
        const res = await page.goto(path);
        expect(new URL(page.url()).pathname).toBe(path);
        if (may) {
          expect(res?.status()).toBe(200);
          await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        } else {
          expect(res?.status()).toBe(403);
          await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
        }
      });
    }
  });
}

// users.read without users.manage / tokens.manage (auditors for access reviews, approvers): the
// lists are there, with lockout, creator and expiry, and nothing on them changes anything.
for (const role of ["auditor", "approver"] as const) {
  test.describe(`as ${role}, the admin lists are read-only`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("users: rows, no create, no row actions", async ({ page }) => {
      await page.goto("/admin/users");
      const table = page.getByRole("table", { name: "Users" });
      await expect(table.getByRole("row").filter({ hasText: "admin@e2e.test" })).toBeVisible();
      await expect(table.getByRole("columnheader", { name: "Status" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Create user" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^More actions for / })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^(Unlock|Disable|Enable) / })).toHaveCount(0);
      await expect(page.getByText(/needs the users.manage permission/)).toBeVisible();
    });

    test("service accounts and tokens: rows, no create, no revoke", async ({ page }) => {
      await page.goto("/admin/service-accounts");
      await expect(page.getByRole("heading", { level: 1, name: "Service accounts" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Create service account" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Revoke / })).toHaveCount(0);

      await page.goto("/admin/tokens");
      await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Expiring soon" })).toBeVisible();
      await expect(page.getByRole("button", { name: "New token" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Revoke token / })).toHaveCount(0);
    });

    test("the API refuses their changes (403) and the settings page is not theirs", async ({ page }) => {
      const res = await page.request.post("/api/v1/users", {
        data: { email: `nobody-${role}@e2e.test`, name: "Nobody", role: "admin", password: "nobody-password-1" },
        headers: { origin: CONSOLE_URL },
      });
      expect(res.status()).toBe(403);
      expect((await page.request.get("/api/v1/settings")).status()).toBe(403);
      await page.goto("/admin/settings");
      await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
    });
  });
}
