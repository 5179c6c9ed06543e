import { expect, test } from "./support/test";
import { ROLES, storageStateFor } from "./support/env";
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
