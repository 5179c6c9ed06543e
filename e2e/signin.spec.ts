import { adminApi, createUser, INITIAL_PASSWORD } from "./support/api";
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

// Open redirects: a hostile callbackUrl must never take the browser off our origin.
const HOSTILE_CALLBACKS = [
  "/\t/evil.example",
  "/\n/evil.example",
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/%09/evil.example",
  "https://evil.example/",
  "javascript:alert(document.domain)",
  " //evil.example",
];

test("hostile callbackUrl values: after sign-in the browser stays on our origin", async ({ browser }) => {
  test.setTimeout(HOSTILE_CALLBACKS.length * 30_000);
  const user = await createUser("auditor");
  for (const hostile of HOSTILE_CALLBACKS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort("blockedbyclient"));
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(hostile)}`);
    await submit(page, user.email, user.password);
    await page.waitForURL((url) => url.pathname !== "/signin", { timeout: 15_000 }).catch(() => {});
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, JSON.stringify(hostile)).toBe(CONSOLE_URL);
    // Signed in, on one of our pages (an encoded path such as /%09/evil.example is our own 404).
    expect(new URL(page.url()).pathname, JSON.stringify(hostile)).not.toMatch(/^\/\/|^\/signin/);
    expect((await page.request.get("/api/v1/me")).status(), JSON.stringify(hostile)).toBe(200);
    await context.close();
  }
});

test("a callbackUrl with a newline: a failed sign-in is a clean refusal and no auth.signin is recorded", async ({ request }) => {
  const user = await createUser("publisher");
  const api = await adminApi();
  const actions = async () => {
    const listed = await api.get("/api/v1/audit-events", { params: { targetId: user.id, limit: "50" } });
    expect(listed.status(), await listed.text()).toBe(200);
    return ((await listed.json()) as { items: { action: string }[] }).items.map((e) => e.action);
  };
  // createUser signed in once (to change the initial password).
  const signinsBefore = (await actions()).filter((a) => a === "auth.signin").length;
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: user.email, password: "wrong password here", callbackUrl: "/\r\nSet-Cookie: x=1", json: "true" },
    maxRedirects: 0,
  });
  expect(res.status()).toBeLessThan(500);
  expect(res.headers()["set-cookie"] ?? "").not.toContain("x=1");
  const after = await actions();
  expect(after).toContain("auth.signin_failed");
  expect(after.filter((a) => a === "auth.signin").length).toBe(signinsBefore);
  await api.dispose();
});

test("sign-out ends the session server-side: a copy of the old cookie is refused", async ({ page, browser }) => {
  const user = await createUser("publisher");
  await page.goto("/signin");
  await submit(page, user.email, user.password);
  await page.waitForURL(`${CONSOLE_URL}/`);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeTruthy();

  await sidebar(page).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/signin/);

  // Someone who copied the cookie before sign-out gets nothing with it.
  const thief = await browser.newContext();
  await thief.addCookies([session!]);
  expect((await thief.request.get("/api/v1/me")).status()).toBe(401);
  const stolen = await thief.newPage();
  await stolen.goto("/");
  expect(new URL(stolen.url()).pathname).toBe("/signin");
  await thief.close();
});

test("an admin-set password must be changed first: only the change page is reachable, then the console opens", async ({ page }) => {
  const user = await createUser("approver", { mustChangePassword: true });
  await page.goto("/signin");
  await submit(page, user.email, INITIAL_PASSWORD);
  await page.waitForURL(`${CONSOLE_URL}/account/password`);
  await expect(page.getByRole("heading", { level: 1, name: "Set your password" })).toBeVisible();
  await expect(page.getByText("An administrator set your password")).toBeVisible();

  // Everything else sends the person back here; the API refuses with password_change_required.
  await page.goto("/audit");
  expect(new URL(page.url()).pathname).toBe("/account/password");
  const refused = await page.request.get("/api/v1/reviews");
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("password_change_required");

  await page.screenshot({ path: "e2e/screenshots/change-password.png", fullPage: true });

  // Clear errors: a mismatch, then a wrong current password.
  await page.getByLabel("Current password").fill(INITIAL_PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("my own new password 7");
  await page.getByLabel("Confirm new password").fill("my own new password 8");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Confirm new password does not match the new password")).toBeVisible();
  await expect(page.getByLabel("Confirm new password")).toBeFocused();

  await page.getByLabel("Current password").fill("not the initial password");
  await page.getByLabel("Confirm new password").fill("my own new password 7");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Current password is not correct")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/change-password-error.png", fullPage: true });

  await page.getByLabel("Current password").fill(INITIAL_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL(`${CONSOLE_URL}/`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.goto("/audit");
  expect(new URL(page.url()).pathname).toBe("/audit");
});
