import type { Page } from "@playwright/test";
import { storageStateFor, type Role } from "./support/env";
import { expect, test } from "./support/test";

// Screenshots of the main pages in light and dark, for people to look at (e2e/screenshots/,
// not committed). Each also asserts that the theme really applied.

const THEMES = ["light", "dark"] as const;

interface Shot {
  name: string;
  path: string;
  role: Role | null;
  ready: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  {
    name: "signin",
    path: "/signin",
    role: null,
    ready: async (page) => {
      await expect(page.getByRole("button", { name: /^sign in$/i })).toBeVisible();
    },
  },
  {
    name: "dashboard",
    path: "/",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    },
  },
  {
    name: "admin-users",
    path: "/admin/users",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: "@" }).first()).toBeVisible();
    },
  },
  {
    name: "audit",
    path: "/audit",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("table", { name: /audit events/i })).toBeVisible();
    },
  },
];

for (const shot of SHOTS) {
  test.describe(shot.name, () => {
    if (shot.role) test.use({ storageState: storageStateFor(shot.role) });
    for (const theme of THEMES) {
      test(`${shot.name} in ${theme}`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: theme });
        await page.addInitScript((t) => window.localStorage.setItem("theme", t), theme);
        await page.goto(shot.path);
        await shot.ready(page);
        await page.waitForLoadState("networkidle");
        await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
        // Let entry animations finish before the picture.
        await page.waitForTimeout(300);
        await page.screenshot({ path: `e2e/screenshots/${shot.name}-${theme}.png`, fullPage: true });
      });
    }
  });
}
