import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { storageStateFor } from "./support/env";

// Security headers on page responses, no CSP violations while the main pages render and hydrate,
// and an accessibility smoke test (axe) on the sign-in page and the shell.

const MAIN_PAGES = ["/", "/servers", "/audit", "/admin/users", "/admin/service-accounts", "/admin/tokens"];

/** Collects CSP violations reported by the page itself and the console's "Refused to …" lines. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const messages: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (/content security policy|refused to (load|execute|apply|connect|frame)/i.test(text)) messages.push(text);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  return async () => [...messages, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []))];
}

test.describe("signed out", () => {
  test("the sign-in page sends CSP with a nonce and the other security headers", async ({ page }) => {
    const res = await page.goto("/signin");
    expect(res?.status()).toBe(200);
    const h = res!.headers();
    const csp = h["content-security-policy"];
    expect(csp).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");

    // The nonce changes per response, and Next puts it on its own scripts.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const again = (await page.request.get("/signin")).headers()["content-security-policy"];
    expect(/'nonce-([^']+)'/.exec(again)![1]).not.toBe(nonce);
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    for (const n of scripts) expect(n).toBe(nonce);
  });

  test("the sign-in page renders without CSP violations", async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto("/signin");
    await expect(page.getByRole("button", { name: /^sign in$/i })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await violations()).toEqual([]);
  });

  test("accessibility: the sign-in page has no serious axe violations", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByRole("button", { name: /^sign in$/i })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe("as admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("console pages send the security headers", async ({ page }) => {
    for (const path of MAIN_PAGES) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      const h = res!.headers();
      expect(h["content-security-policy"], path).toMatch(/'nonce-[^']+'/);
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["x-frame-options"], path).toBe("DENY");
      expect(h["referrer-policy"], path).toBeTruthy();
    }
  });

  test("the main pages render and hydrate without CSP violations or script errors", async ({ page }) => {
    const violations = await watchCsp(page);
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`);
    });
    for (const path of MAIN_PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
      expect(await violations(), `CSP violations on ${path}`).toEqual([]);
      expect(errors, `errors in the browser on ${path} (hydration mismatches show up here)`).toEqual([]);
    }
  });

  test("accessibility: the shell (dashboard) has no serious axe violations", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoSeriousAxeViolations(page);
  });

  test("accessibility: the users page has no serious axe violations", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoSeriousAxeViolations(page);
  });
});

async function expectNoSeriousAxeViolations(page: Page) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${scheme}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
    expect(serious, `axe on ${page.url()}`).toEqual([]);
  }
}

test.describe("hostile cookies", () => {
  for (const value of ["%E0%A4%A", "%", "%zz%"]) {
    test(`a session cookie with bad %-encoding (${value}) is no session, never a 500`, async ({ request }) => {
      const headers = { cookie: `next-auth.session-token=${value}` };
      const api = await request.get("/api/v1/me", { headers });
      expect(api.status()).toBe(401);
      const nextAuth = await request.get("/api/auth/session", { headers });
      expect(nextAuth.status()).toBeLessThan(500);
      const page = await request.get("/", { headers, maxRedirects: 0 });
      expect(page.status()).toBeLessThan(500);
      const signin = await request.get("/signin", { headers });
      expect(signin.status()).toBe(200);
    });
  }
});
