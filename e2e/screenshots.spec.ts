import { request, type Page } from "@playwright/test";
import { adminApi, createUser, unique } from "./support/api";
import { CONSOLE_URL, storageStateFor, type Role } from "./support/env";
import { expect, test } from "./support/test";

// Screenshots of the main pages in light and dark, at desktop and phone width, for people to
// look at (e2e/screenshots/, not committed). Each also asserts that the theme really applied and,
// at phone width, that nothing is wider than the screen (no clipped names, no actions off-screen).

const THEMES = ["light", "dark"] as const;
const PHONE = { width: 390, height: 844 };

interface Shot {
  name: string;
  path: string;
  role: Role | null;
  phone?: boolean;
  ready: (page: Page) => Promise<void>;
}

let locked: { name: string; email: string };
let soonToken: string;

test.beforeAll(async () => {
  // A locked account (wrong passwords, as a guesser would send them) and a token expiring soon.
  const person = await createUser("publisher", { name: `Robin Locked-Out ${unique("shot")}` });
  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  for (let i = 0; i < 5; i++) {
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await ctx.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: person.email, password: `not-the-password-${i}`, callbackUrl: CONSOLE_URL, json: "true" },
    });
  }
  await ctx.dispose();
  locked = person;
  const api = await adminApi();
  const account = (await (await api.post("/api/v1/service-accounts", { data: { name: unique("release-bot"), role: "publisher" } })).json()) as {
    id: string;
  };
  soonToken = unique("deploy-production");
  await api.post("/api/v1/tokens", { data: { userId: account.id, name: soonToken, expiresInDays: 5 } });
  await api.dispose();
  // A personal token of the signed-in admin (the bootstrap token belongs to a service account).
  const mine = await request.newContext({ baseURL: CONSOLE_URL, storageState: storageStateFor("admin"), extraHTTPHeaders: { origin: CONSOLE_URL } });
  await mine.post("/api/v1/tokens", { data: { name: unique("my-laptop"), expiresInDays: 90 } });
  await mine.dispose();
});

const usersReady = async (page: Page) => {
  await expect(page.getByText(/Locked until/).first()).toBeVisible();
};

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
  { name: "admin-users", path: "/admin/users", role: "admin", ready: usersReady },
  {
    name: "admin-users-role-dialog",
    path: "/admin/users",
    role: "admin",
    ready: async (page) => {
      await usersReady(page);
      const row = page.getByRole("row").filter({ hasText: locked.email });
      await row.getByRole("button", { name: `More actions for ${locked.name}` }).click();
      await page.getByRole("menuitem", { name: "Change role…" }).click();
      const dialog = page.getByRole("dialog", { name: `Change role of ${locked.name}` });
      await dialog.getByRole("combobox", { name: "New role" }).click();
      await page.getByRole("option", { name: "admin", exact: true }).click();
      await dialog.getByLabel("Reason").fill("Covers the platform on-call rotation in December");
      await expect(dialog.getByText("Admins can do everything")).toBeVisible();
    },
  },
  {
    name: "admin-users-auditor",
    path: "/admin/users",
    role: "auditor",
    ready: usersReady,
  },
  {
    name: "admin-tokens",
    path: "/admin/tokens",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("row").filter({ hasText: soonToken }).getByText("expires soon")).toBeVisible();
    },
  },
  {
    name: "admin-settings",
    path: "/admin/settings",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("group", { name: "Tokens" })).toBeVisible();
    },
  },
  {
    name: "account-tokens",
    path: "/account/tokens",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("heading", { level: 1, name: "Your API tokens" })).toBeVisible();
      await expect(page.getByText("my-laptop", { exact: false }).first()).toBeVisible();
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
  {
    name: "phone-users",
    path: "/admin/users",
    role: "admin",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Users" })).toBeVisible();
      await usersReady(page);
    },
  },
  {
    name: "phone-tokens",
    path: "/admin/tokens",
    role: "admin",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "API tokens" }).getByText(soonToken)).toBeVisible();
    },
  },
  {
    name: "phone-settings",
    path: "/admin/settings",
    role: "admin",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("group", { name: "Tokens" })).toBeVisible();
    },
  },
];

/** Elements that stick out past the right edge of the screen (ignoring the sr-only ones). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main *"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest(".sr-only")) continue;
      if (r.right > width + 1) out.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ")[0]}` : ""}: ${el.textContent?.slice(0, 40)}`);
    }
    return out;
  });
}

for (const shot of SHOTS) {
  test.describe(shot.name, () => {
    if (shot.role) test.use({ storageState: storageStateFor(shot.role) });
    if (shot.phone) test.use({ viewport: PHONE, hasTouch: true, isMobile: true });
    for (const theme of THEMES) {
      test(`${shot.name} in ${theme}`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: theme });
        await page.addInitScript((t) => window.localStorage.setItem("theme", t), theme);
        await page.goto(shot.path);
        await shot.ready(page);
        await page.waitForLoadState("networkidle");
        await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
        if (shot.phone) expect(await overflowing(page)).toEqual([]);
        // Let entry animations finish before the picture.
        await page.waitForTimeout(300);
        await page.screenshot({ path: `e2e/screenshots/${shot.name}-${theme}.png`, fullPage: true });
      });
    }
  });
}
