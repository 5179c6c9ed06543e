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

// Delegation policies for the policy pages: an approved server whose issuer is recorded, two
// published agents, an active allow policy with a second version in review (the review diff),
// a deny, a disabled one and a new one in review.
const shotPolicies = { server: "", policy: "", review: "", agent: "", group: "" };

test.beforeAll(async () => {
  const publisher = await apiAs("publisher");
  const approver = await apiAs("approver");
  const approve = async (reviewId: string) => {
    const res = await approver.post(`/api/v1/reviews/${reviewId}/decision`, { data: { decision: "approve", comment: "Agreed with the finance controllers" } });
    expect(res.status(), await res.text()).toBe(200);
  };
  const tag = unique("pol").split("-").slice(1).join("");
  const server = `com.acme-corp${tag}/ledger`;
  const submitted = (await created(
    await publisher.post("/api/v1/servers", {
      data: { document: { name: server, title: "General ledger", description: "Journal entries, balances and period close", version: "2.4.0", remotes: [{ type: "streamable-http", url: "https://ledger.acme-corp.dev/mcp" }] } },
    }),
  )) as { server: { id: string }; review: { id: string } };
  await approve(submitted.review.id);
  expect((await approver.patch(`/api/v1/servers/${submitted.server.id}`, { data: { authIssuer: "https://login.acme-corp.dev" } })).status()).toBe(200);
  const agent = async (slug: string, name: string, environment: string) => {
    const a = (await created(
      await publisher.post("/api/v1/agents", {
        data: {
          slug: `${slug}-${tag}`,
          name,
          kind: "interactive",
          environment,
          purpose: `${name} for the finance team`,
          document: { client_name: name, redirect_uris: [`https://${slug}.acme-corp.dev/callback`], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" },
        },
      }),
    )) as { clientId: string; review: { id: string } };
    await approve(a.review.id);
    return a.clientId;
  };
  const ledgerAgent = await agent("ledger-assistant", "Ledger assistant", "production");
  const expenseAgent = await agent("expense-filer", "Expense filer", "staging");
  const group = `finance-${tag}`;
  const target = { server, audience: "https://login.acme-corp.dev" };
  const policy = (over: Record<string, unknown>) => ({
    effect: "allow",
    subjects: { include: { groups: [group] } },
    target,
    ...over,
  });
  const finance = policy({
    name: "Finance reads and posts to the ledger",
    description: "The finance team's assistant reads balances for them; posting needs a recent sign-in.",
    agents: [ledgerAgent],
    subjects: { include: { groups: [group] }, exclude: { groups: ["contractors"] } },
    scopes: ["ledger:read", "ledger:write"],
    conditions: { environments: ["production"], stepUp: { scopes: ["ledger:write"], acr: "phr", maxAgeSeconds: 900 } },
  });
  const first = (await created(await publisher.post("/api/v1/policies", { data: finance }))) as { id: string; review: { id: string } };
  await approve(first.review.id);
  const second = (await created(
    await publisher.post(`/api/v1/policies/${first.id}/versions`, {
      data: {
        ...finance,
        subjects: { include: { groups: [group, "controllers"] }, exclude: { groups: [] } },
        scopes: ["ledger:read", "ledger:write", "ledger:export"],
        conditions: { environments: ["production"], maxTokenLifetimeSeconds: 600, stepUp: { scopes: ["ledger:write", "ledger:export"], acr: "phr", maxAgeSeconds: 900 } },
      },
    }),
  )) as { review: { id: string } };
  const deny = (await created(
    await publisher.post("/api/v1/policies", {
      data: policy({ name: "Contractors never export", effect: "deny", agents: [ledgerAgent, "https://agents.partner.example/bookkeeper.json"], subjects: { include: { groups: ["contractors"] } }, scopes: ["ledger:export"] }),
    }),
  )) as { review: { id: string } };
  await approve(deny.review.id);
  const expenses = (await created(
    await publisher.post("/api/v1/policies", { data: policy({ name: "Expense filer posts receipts", agents: [expenseAgent], subjects: { include: { groups: ["*"] } }, scopes: ["ledger:write"] }) }),
  )) as { id: string; review: { id: string } };
  await approve(expenses.review.id);
  expect((await approver.post(`/api/v1/policies/${expenses.id}/disable`)).status()).toBe(200);
  await created(
    await publisher.post("/api/v1/policies", {
      data: policy({
        name: "Auditors read during the year-end close",
        agents: [ledgerAgent],
        subjects: { include: { groups: ["external-auditors"], users: ["lead.auditor@acme-corp.dev"] } },
        scopes: ["ledger:read"],
        conditions: { validFrom: "2026-12-20T08:00:00Z", validUntil: "2027-01-31T18:00:00Z" },
      }),
    }),
  );
  Object.assign(shotPolicies, { server, policy: first.id, review: second.review.id, agent: ledgerAgent, group });
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
    name: "policies",
    path: "/policies",
    role: "admin",
    ready: async (page) => {
      await expect(page.getByRole("link", { name: "Finance reads and posts to the ledger" }).first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Auditors read during the year-end close" }).first()).toBeVisible();
    },
  },
  {
    name: "policies-new",
    path: "/policies/new",
    role: "publisher",
    ready: async (page) => {
      await page.getByLabel("Name", { exact: true }).fill("Treasury reads balances");
      await page.getByRole("searchbox", { name: "Search registered agents" }).fill("Ledger assistant");
      await page.getByRole("checkbox", { name: /Ledger assistant/ }).first().check();
      const groups = page.locator("input").and(page.getByLabel("Groups", { exact: true }));
      await groups.fill("treasury");
      await groups.press("Enter");
      await page.getByRole("searchbox", { name: "Search approved servers" }).fill(shotPolicies.server);
      await page.getByRole("radio", { name: /General ledger/ }).check();
      await expect(page.getByLabel("Audience")).toHaveValue("https://login.acme-corp.dev");
      const scopes = page.locator("input").and(page.getByLabel("Scopes", { exact: true }));
      await scopes.fill("ledger:read ");
      await page.getByRole("button", { name: "Add environment production" }).click();
      await expect(page.getByTestId("policy-sentence")).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "policies-new-json",
    path: "/policies/new",
    role: "publisher",
    ready: async (page) => {
      await page.getByLabel("Name", { exact: true }).fill("Treasury reads balances");
      await page.getByRole("tab", { name: "Advanced (JSON)" }).click();
      await expect(page.getByRole("textbox", { name: "Policy JSON" })).toHaveValue(/Treasury reads balances/);
      await expect(page.getByRole("list", { name: "Problems" })).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "policy-page",
    path: () => `/policies/${shotPolicies.policy}`,
    role: "approver",
    ready: async (page) => {
      await expect(page.getByRole("switch", { name: "Enabled" })).toBeVisible();
      await expect(page.getByText("Version 2 is waiting for review")).toBeVisible();
    },
  },
  {
    name: "policy-review-diff",
    path: () => `/servers/reviews/${shotPolicies.review}`,
    role: "approver",
    ready: async (page) => {
      await expect(page.getByLabel("Differences")).toBeVisible();
      await expect(page.getByRole("region", { name: /What changes/ })).toContainText("widens access");
      await expect(page.getByRole("region", { name: "With version 2", exact: true }).getByTestId("decision")).toBeVisible();
      await expect(page.getByRole("region", { name: "Now", exact: true }).getByTestId("decision")).toBeVisible();
      await wholePageInView(page);
    },
  },
  {
    name: "policies-simulator",
    path: () => `/policies/simulator?server=${encodeURIComponent(shotPolicies.server)}&client_id=${encodeURIComponent(shotPolicies.agent)}`,
    role: "approver",
    ready: async (page) => {
      await page.getByLabel("Subject (sub)").fill("maria.lopez@acme-corp.dev");
      const groups = page.locator("input").and(page.getByLabel("Groups", { exact: true }));
      await groups.fill(shotPolicies.group);
      await groups.press("Enter");
      const scopes = page.locator("input").and(page.getByLabel("Requested scopes", { exact: true }));
      await scopes.fill("ledger:read ");
      await expect(page.getByTestId("decision")).toHaveAttribute("data-decision", "allow");
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "policies-simulator-deny",
    path: () => `/policies/simulator?server=${encodeURIComponent(shotPolicies.server)}&client_id=${encodeURIComponent(shotPolicies.agent)}`,
    role: "approver",
    ready: async (page) => {
      await page.getByLabel("Subject (sub)").fill("sam.contractor@acme-corp.dev");
      const groups = page.locator("input").and(page.getByLabel("Groups", { exact: true }));
      for (const g of [shotPolicies.group, "contractors"]) {
        await groups.fill(g);
        await groups.press("Enter");
      }
      await expect(page.getByTestId("decision")).toHaveAttribute("data-decision", "deny");
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await wholePageInView(page);
    },
  },
  {
    name: "policies-matrix",
    path: () => `/policies/matrix?server=${encodeURIComponent(shotPolicies.server)}`,
    role: "approver",
    ready: async (page) => {
      await expect(page.getByTestId(`cell:${shotPolicies.agent}|${shotPolicies.group}`)).toContainText("ledger:read");
    },
  },
  {
    name: "phone-policies",
    path: "/policies",
    role: "admin",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Policies" }).getByText("Finance reads and posts to the ledger").first()).toBeVisible();
    },
  },
  {
    name: "phone-policy-page",
    path: () => `/policies/${shotPolicies.policy}`,
    role: "approver",
    phone: true,
    ready: async (page) => {
      await expect(page.getByRole("list", { name: "Versions" })).toBeVisible();
    },
  },
  {
    name: "phone-policies-simulator",
    path: () => `/policies/simulator?server=${encodeURIComponent(shotPolicies.server)}&client_id=${encodeURIComponent(shotPolicies.agent)}`,
    role: "approver",
    phone: true,
    ready: async (page) => {
      await page.getByLabel("Subject (sub)").fill("maria.lopez@acme-corp.dev");
      const groups = page.locator("input").and(page.getByLabel("Groups", { exact: true }));
      await groups.fill(shotPolicies.group);
      await groups.press("Enter");
      await expect(page.getByTestId("decision")).toBeVisible();
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
