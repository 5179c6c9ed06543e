import { generateKeyPairSync } from "node:crypto";
import { request, type APIRequestContext, type Page } from "@playwright/test";
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
  /** A function when the page is one the beforeAll hooks create (its id is known only then). */
  path: string | (() => string);
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

// Agents for the agent pages: a list with every status, an interactive agent whose second version
// changes its redirect URIs and adds a key (the review diff), a headless one rotating its keys.
const shotAgents = { interactive: "", headless: "", review: "" };

async function apiAs(role: Role): Promise<APIRequestContext> {
  return request.newContext({ baseURL: CONSOLE_URL, storageState: storageStateFor(role), extraHTTPHeaders: { origin: CONSOLE_URL } });
}

async function created(res: Awaited<ReturnType<APIRequestContext["post"]>>) {
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

test.beforeAll(async () => {
  const publisher = await apiAs("publisher");
  const approver = await apiAs("approver");
  const approve = async (reviewId: string) => {
    const res = await approver.post(`/api/v1/reviews/${reviewId}/decision`, { data: { decision: "approve", comment: "Checked with the owning team" } });
    expect(res.status(), await res.text()).toBe(200);
  };
  const tag = unique("shot").split("-").slice(1).join("");
  const interactiveDoc = (redirects: string[]) => ({
    client_name: "Expense assistant",
    redirect_uris: redirects,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    client_uri: "https://expenses.acme-corp.dev",
    contacts: ["finance-automation@acme-corp.dev"],
  });
  const expense = (await created(
    await publisher.post("/api/v1/agents", {
      data: {
        slug: `expense-assistant-${tag}`,
        name: "Expense assistant",
        kind: "interactive",
        environment: "production",
        purpose: "Files expense reports for the people who ask it to, from receipts they upload",
        ownerTeam: "Finance automation",
        document: interactiveDoc(["https://expenses.acme-corp.dev/oauth/callback"]),
      },
    }),
  )) as { id: string; clientId: string; review: { id: string } };
  await approve(expense.review.id);
  const jwk = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: `expense-${tag}-2026`, alg: "ES256", use: "sig" };
  const second = (await created(
    await publisher.post(`/api/v1/agents/${expense.id}/versions`, {
      data: {
        document: {
          ...interactiveDoc(["https://expenses.acme-corp.dev/oauth/callback/v2", "http://127.0.0.1:8765/callback"]),
          token_endpoint_auth_method: "private_key_jwt",
          jwks: { keys: [jwk] },
        },
      },
    }),
  )) as { review: { id: string } };
  shotAgents.interactive = expense.id;
  shotAgents.review = second.review.id;

  const reconciler = (await created(
    await publisher.post("/api/v1/agents", {
      data: {
        slug: `nightly-reconciler-${tag}`,
        name: "Nightly reconciler",
        kind: "headless",
        environment: "staging",
        purpose: "Matches card transactions to ledger entries every night",
        ownerTeam: "Finance platform",
        document: { client_name: "Nightly reconciler", grant_types: ["client_credentials"], response_types: [], token_endpoint_auth_method: "private_key_jwt", jwks_uri: `${CONSOLE_URL}/oauth/clients/nightly-reconciler-${tag}/jwks.json` },
      },
    }),
  )) as { id: string; review: { id: string } };
  await approve(reconciler.review.id);
  const firstKey = (await created(await publisher.post(`/api/v1/agents/${reconciler.id}/keys`, { data: { action: "generate", alg: "ES256", placement: "jwks_uri" } }))) as { review: { id: string } };
  await approve(firstKey.review.id);
  await created(await publisher.post(`/api/v1/agents/${reconciler.id}/keys`, { data: { action: "generate", alg: "RS256", placement: "jwks_uri" } }));
  shotAgents.headless = reconciler.id;

  await created(
    await publisher.post("/api/v1/agents", {
      data: { slug: `travel-booker-${tag}`, name: "Travel booker", kind: "interactive", environment: "dev", purpose: "Books trains and hotels within the travel policy", draft: true, document: interactiveDoc([]) },
    }),
  );
  await created(
    await publisher.post("/api/v1/agents", {
      data: { slug: `helpdesk-triage-${tag}`, name: "Helpdesk triage", kind: "interactive", environment: "production", ownerTeam: "IT service desk", document: { ...interactiveDoc(["https://helpdesk.acme-corp.dev/callback"]), client_name: "Helpdesk triage" } },
    }),
  );
  await publisher.dispose();
  await approver.dispose();
});

/** The whole page in one viewport, so sticky bars and the sidebar sit where a person sees them. */
async function wholePageInView(page: Page) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
}

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
    name: "agents",
    path: "/agents",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("link", { name: "Nightly reconciler" }).first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Travel booker" }).first()).toBeVisible();
    },
  },
  {
    name: "agents-new-errors",
    path: "/agents/new",
    role: "publisher",
    ready: async (page) => {
      await page.getByLabel("Name", { exact: true }).fill("Meeting notes");
      await page.getByLabel("Purpose").fill("Summarises the meetings people invite it to");
      await page.getByRole("button", { name: "Add redirect URI" }).click();
      await page.getByRole("textbox", { name: "Redirect URI 1" }).fill("http://example.com/callback");
      await page.getByLabel("Client URI").fill("http://notes.acme-corp.dev");
      await page.getByRole("checkbox", { name: /Client credentials/ }).check();
      await expect(page.getByRole("list", { name: "Problems" })).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "agents-new-json",
    path: "/agents/new",
    role: "publisher",
    ready: async (page) => {
      await page.getByLabel("Name", { exact: true }).fill("Meeting notes");
      await page.getByRole("button", { name: "Add redirect URI" }).click();
      await page.getByRole("textbox", { name: "Redirect URI 1" }).fill("http://example.com/callback");
      await page.getByRole("tab", { name: "Advanced (JSON)" }).click();
      await expect(page.getByRole("textbox", { name: "Client ID Metadata Document" })).toHaveValue(/example\.com/);
      await expect(page.getByRole("list", { name: "Problems" })).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "agent-page",
    path: () => `/agents/${shotAgents.interactive}`,
    role: "approver",
    ready: async (page) => {
      await expect(page.getByRole("table", { name: "Versions" })).toBeVisible();
      await expect(page.getByRole("list", { name: "Audit events" })).toBeVisible();
    },
  },
  {
    name: "agent-review-diff",
    path: () => `/servers/reviews/${shotAgents.review}`,
    role: "approver",
    ready: async (page) => {
      await expect(page.getByLabel("Differences")).toBeVisible();
      await expect(page.getByRole("region", { name: /Key changes/ })).toContainText("thumbprint");
    },
  },
  {
    name: "agent-keys",
    path: () => `/agents/${shotAgents.headless}/keys`,
    role: "publisher",
    ready: async (page) => {
      await expect(page.getByRole("table", { name: "Keys" }).getByText("In review")).toBeVisible();
      await expect(page.getByRole("table", { name: "Keys" }).getByText("Active")).toBeVisible();
    },
  },
  {
    name: "phone-agents",
    path: "/agents",
    role: "admin",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Agents" }).getByText("Nightly reconciler").first()).toBeVisible();
    },
  },
  {
    name: "phone-agent-page",
    path: () => `/agents/${shotAgents.interactive}`,
    role: "approver",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Versions" })).toBeVisible();
    },
  },
  {
    name: "phone-agent-keys",
    path: () => `/agents/${shotAgents.headless}/keys`,
    role: "publisher",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Keys" }).getByText("In review")).toBeVisible();
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
        await page.goto(typeof shot.path === "string" ? shot.path : shot.path());
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
