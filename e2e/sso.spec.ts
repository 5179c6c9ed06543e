import { adminApi } from "./support/api";
import { CONSOLE_URL, OIDC_DISPLAY_NAME, OIDC_ISSUER } from "./support/env";
import { alertOf, expect, sidebar, test } from "./support/test";
import type { Page } from "@playwright/test";

// Single sign-on against a real OpenID Provider (oidc-provider, e2e/oidc-server.mjs): the console's
// button, the provider's own login and consent pages, the callback, and group -> role mapping
// (OIDC_ROLE_MAP {"sec-reviewers":"approver","platform":"admin"}).

async function signInAtProvider(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in with ${OIDC_DISPLAY_NAME}` }).click();
  await page.waitForURL(`${OIDC_ISSUER}/interaction/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password: the dev provider does not check it");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // Consent for the console's scopes (openid email profile groups).
  await page.getByRole("button", { name: "Continue" }).click();
}

async function findUser(email: string) {
  const api = await adminApi();
  const res = await api.get(`/api/v1/users?q=${encodeURIComponent(email)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { email: string; role: string; sso: boolean; name: string }[] };
  await api.dispose();
  return body.items.find((u) => u.email === email);
}

test("alice (sec-reviewers) signs in through the provider and lands in the console as approver", async ({ page }) => {
  await signInAtProvider(page, "alice");
  await page.waitForURL(`${CONSOLE_URL}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(sidebar(page).getByText("Alice Reviewer")).toBeVisible();
  await expect(sidebar(page).getByText("approver", { exact: true })).toBeVisible();

  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ role: "approver", email: "alice@idp.example", via: "session" });
  expect(await findUser("alice@idp.example")).toMatchObject({ role: "approver", sso: true, name: "Alice Reviewer" });
});

test("the highest mapped group wins: carol (marketing, platform, sec-reviewers) is admin", async ({ page }) => {
  await signInAtProvider(page, "carol");
  await page.waitForURL(`${CONSOLE_URL}/`);
  await expect(sidebar(page).getByText("admin", { exact: true })).toBeVisible();
  expect(await findUser("carol@idp.example")).toMatchObject({ role: "admin", sso: true });
});

test("bob (marketing only) is refused with the no-role message and gets no account", async ({ page }) => {
  await signInAtProvider(page, "bob");
  await page.waitForURL(/\/signin\?.*error=/);
  await expect(alertOf(page)).toHaveText(/grant no Portcullis role/i);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  expect(await findUser("bob@idp.example")).toBeUndefined();
});
