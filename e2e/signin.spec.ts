import { createUser } from "./support/api";
import { ADMIN, CONSOLE_URL } from "./support/env";
import { alertOf, expect, sidebar, test } from "./support/test";
import type { Page } from "@playwright/test";

// Local accounts through the real sign-in form: errors, landing in the shell, sign-out, lockout.

async function submit(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
    page.getByRole("button", { name: /^sign in$/i }).click(),
  ]);
}

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await page.goto("/signin");
  await submit(page, ADMIN.email, "not-the-password");
  await expect(alertOf(page)).toHaveText(/wrong e-mail or password/i);
  expect(new URL(page.url()).pathname).toBe("/signin");
  const session = await page.request.get("/api/v1/me");
  expect(session.status()).toBe(401);
});

test("the right password lands in the shell showing name and role; sign out ends the session", async ({ page }) => {
  const user = await createUser("publisher");
  await page.goto("/signin");
  await submit(page, user.email, user.password);
  await page.waitForURL(`${CONSOLE_URL}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(sidebar(page).getByText(user.name)).toBeVisible();
  await expect(sidebar(page).getByText("publisher", { exact: true })).toBeVisible();
  // A publisher's navigation has no admin section.
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" })).toHaveCount(0);

  await sidebar(page).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  await page.goto("/");
  expect(new URL(page.url()).pathname).toBe("/signin");
});

test("signing in from a deep link returns to it", async ({ page }) => {
  const user = await createUser("auditor");
  await page.goto("/audit");
  expect(new URL(page.url()).pathname).toBe("/signin");
  await submit(page, user.email, user.password);
  await page.waitForURL(`${CONSOLE_URL}/audit`);
  await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeVisible();
});

test("five failures lock the account: even the right password is then refused with the locked message", async ({ page }) => {
  const user = await createUser("approver");
  await page.goto("/signin");
  for (let i = 1; i <= 5; i++) {
    await submit(page, user.email, `wrong-password-${i}`);
    await expect(alertOf(page)).toHaveText(/wrong e-mail or password/i);
  }
  await submit(page, user.email, user.password);
  await expect(alertOf(page)).toHaveText(/locked/i);
  expect(new URL(page.url()).pathname).toBe("/signin");
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});
