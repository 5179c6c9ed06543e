import AxeBuilder from "@axe-core/playwright";
import { request, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { unique } from "./support/api";
import { CONSOLE_URL, storageStateFor, type Role } from "./support/env";
import { FORBIDDEN_TEXT } from "./support/pages";
import { alertOf, expect, test } from "./support/test";

// Delegation policies (enterprise-managed authorization, XAA) in the browser, as one story: a
// publisher writes a policy in the editor (the form and the JSON are one document; a 422 lands
// next to its field) and submits it for review; an approver reads it in words and as a diff,
// simulates it ("what would this change do") and approves it; the publisher proposes a second
// version, whose review shows what it widens; the simulator allows, then denies once an approver
// disables the policy; the matrix shows the cell; an auditor reads everything and changes nothing.

test.describe.configure({ mode: "serial" });

const tag = unique("xaa").split("-").slice(1).join("");
const serverName = `io.e2expolicies${tag}/ledger`;
const issuer = "https://auth.e2e-ledger.dev";
const resource = "https://ledger.e2e-xaa.dev/mcp";
const agentName = `Ledger assistant ${tag}`;
const agentSlug = `ledger-assistant-${tag}`;
const clientId = `${CONSOLE_URL}/oauth/clients/${agentSlug}`;
const policyName = `Finance reads the ledger ${tag}`;
const group = `finance-${tag}`;
let policyPath = "";
let firstReview = "";
let secondReview = "";

async function as(role: Role): Promise<APIRequestContext> {
  return request.newContext({ baseURL: CONSOLE_URL, storageState: storageStateFor(role), extraHTTPHeaders: { origin: CONSOLE_URL } });
}

async function ok(res: Awaited<ReturnType<APIRequestContext["post"]>>, status = 201) {
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
}

/** The chip box of a list field (its input; the chips' list shares the label). */
const chipBox = (page: Page, label: string): Locator => page.locator("input").and(page.getByLabel(label, { exact: true }));

async function addChips(page: Page, label: string, ...values: string[]) {
  const box = chipBox(page, label);
  for (const v of values) {
    await box.fill(v);
    await box.press("Enter");
  }
}

test.beforeAll(async () => {
  // An approved catalog server with its authorization server's issuer recorded, and a published agent.
  const publisher = await as("publisher");
  const approver = await as("approver");
  const approve = async (reviewId: string) => ok(await approver.post(`/api/v1/reviews/${reviewId}/decision`, { data: { decision: "approve", comment: "e2e" } }), 200);
  const server = (await ok(
    await publisher.post("/api/v1/servers", {
      data: { document: { name: serverName, description: "Ledger tools for the policies e2e", version: "1.0.0", remotes: [{ type: "streamable-http", url: resource }] } },
    }),
  )) as { server: { id: string }; review: { id: string } };
  await approve(server.review.id);
  await ok(await approver.patch(`/api/v1/servers/${server.server.id}`, { data: { authIssuer: issuer } }), 200);
  const agent = (await ok(
    await publisher.post("/api/v1/agents", {
      data: {
        slug: agentSlug,
        name: agentName,
        kind: "interactive",
        environment: "production",
        purpose: "Answers questions about the ledger",
        document: { client_name: agentName, redirect_uris: ["https://ledger-assistant.e2e.dev/cb"], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" },
      },
    }),
  )) as { review: { id: string } };
  await approve(agent.review.id);
  await publisher.dispose();
  await approver.dispose();
});

test.describe("a publisher writes a policy", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("the editor checks as it goes, keeps the form and the JSON as one, maps a 422 to its field, and submits for review", async ({ page }) => {
    await page.goto("/policies");
    await expect(page.getByRole("heading", { level: 1, name: "Policies" })).toBeVisible();
    await expect(page.getByText("Enterprise-managed authorization (XAA)", { exact: false })).toBeVisible();
    await page.getByRole("link", { name: "New policy" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "New policy" })).toBeVisible();

    // Submitting an empty policy marks every missing field.
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(alertOf(page).filter({ hasText: "The policy was not submitted" })).toBeVisible();
    await expect(page.getByText("Name is required").first()).toBeVisible();
    await expect(page.getByText("Agents must name at least one agent").first()).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toBeFocused();

    await page.getByLabel("Name", { exact: true }).fill(policyName);
    await page.getByLabel("Description").fill("The finance team's assistant reads entries for them");
    await page.getByRole("searchbox", { name: "Search registered agents" }).fill(agentSlug);
    await page.getByRole("checkbox", { name: new RegExp(agentName) }).check();
    await expect(page.getByRole("list", { name: "Chosen agents" })).toContainText(clientId);
    await addChips(page, "Groups", group);
    await expect(page.getByRole("list", { name: "Groups" })).toContainText(group);
    // Backspace in the empty box takes the last chip back off; Enter puts it back.
    await chipBox(page, "Groups").press("Backspace");
    await expect(page.getByRole("list", { name: "Groups" })).toHaveCount(0);
    await addChips(page, "Groups", group);

    await page.getByRole("searchbox", { name: "Search approved servers" }).fill(serverName);
    await page.getByRole("radio", { name: serverName }).check();
    // The recorded issuer is the audience, fixed; the server's one remote is the resource.
    await expect(page.getByLabel("Audience")).toHaveValue(issuer);
    await expect(page.getByLabel("Audience")).toHaveAttribute("readonly", "");
    await expect(page.getByRole("radio", { name: resource })).toBeChecked();

    await addChips(page, "Scopes", "ledger:read", "ledger write");
    await expect(page.getByRole("list", { name: "Scopes" })).toContainText("ledger:read");
    await expect(page.getByRole("list", { name: "Scopes" })).toContainText("write");
    await page.getByRole("button", { name: "Remove scope write", exact: true }).click();
    await page.getByRole("button", { name: "Remove scope ledger", exact: true }).click();
    await addChips(page, "Scopes", "ledger:write");
    await page.getByRole("checkbox", { name: "ledger:write" }).check();
    await expect(page.getByText("Step-up scopes need an acr, a maxAgeSeconds, or both").first()).toBeVisible();
    await page.getByLabel("Max age (seconds)").fill("600");
    await page.getByRole("button", { name: "Add environment production" }).click();

    // The JSON view is the same policy; an edit there shows in the form.
    await page.getByRole("tab", { name: "Advanced (JSON)" }).click();
    const json = page.getByRole("textbox", { name: "Policy JSON" });
    const doc = JSON.parse(await json.inputValue()) as { name: string; scopes: string[]; target: { audience: string }; conditions: Record<string, unknown> };
    expect(doc).toMatchObject({ name: policyName, scopes: ["ledger:read", "ledger:write"], target: { audience: issuer } });
    await json.fill(JSON.stringify({ ...doc, conditions: { ...doc.conditions, maxTokenLifetimeSeconds: 5000 } }, null, 2));
    await expect(page.getByRole("list", { name: "Problems" })).toContainText("must be at most 3600");
    await json.fill(JSON.stringify({ ...doc, conditions: { ...doc.conditions, maxTokenLifetimeSeconds: 600 } }, null, 2));
    await page.getByRole("tab", { name: "Form" }).click();
    await expect(page.getByLabel("Max token lifetime (seconds)")).toHaveValue("600");
    await expect(page.getByText("The policy follows every rule and is ready for review.")).toBeVisible();
    await expect(page.getByTestId("policy-sentence")).toContainText(`Allow ${agentName} acting for members of ${group} to get ledger:read and ledger:write at ${serverName}`);

    // A client_id under our prefix that no agent has: the API's 422 lands on that agent.
    const ghost = `${CONSOLE_URL}/oauth/clients/not-registered-${tag}`;
    await page.getByLabel("External client_id").fill(ghost);
    await page.getByRole("button", { name: "Add client_id" }).click();
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(alertOf(page).filter({ hasText: "The policy was not submitted" })).toContainText("the messages are next to them");
    await expect(page.getByText("is not an agent registered here").first()).toBeVisible();
    await expect(page.getByText("Portcullis refused this policy")).toBeVisible();
    await page.getByRole("button", { name: `Remove agent ${ghost}` }).click();

    await page.getByRole("button", { name: "Submit for review" }).click();
    const done = page.getByRole("heading", { name: `Version 1 of “${policyName}” is in review` });
    await expect(done).toBeVisible();
    await expect(done).toBeFocused();
    await expect(page.getByText("Nothing changes at the decision point until someone other than you approves it")).toBeVisible();
    firstReview = new URL((await page.getByRole("link", { name: "Open the review" }).getAttribute("href"))!, CONSOLE_URL).pathname.split("/").pop()!;
    await page.getByRole("link", { name: "Open the policy" }).click();
    await expect(page.getByRole("heading", { level: 1, name: policyName })).toBeVisible();
    policyPath = new URL(page.url()).pathname;
    await expect(page.getByText("Version 1 is waiting for review")).toBeVisible();
    await expect(page.getByRole("table", { name: "Versions" })).toContainText("Pending review");
    // Not an approver: no switch.
    await expect(page.getByRole("switch")).toHaveCount(0);
  });
});

test.describe("an approver reviews it", () => {
  test.use({ storageState: storageStateFor("approver") });

  test("the review reads the policy in words and as JSON, simulates it, and approving puts it into effect", async ({ page }) => {
    await page.goto("/servers/reviews?type=policy-version");
    await expect(page.getByRole("table", { name: "Reviews" }).getByRole("link", { name: policyName })).toBeVisible();
    await page.goto("/policies");
    await page.getByRole("list", { name: "Policy versions waiting for review" }).getByRole("link", { name: `${policyName} v1` }).click();
    await expect(page).toHaveURL(new RegExp(`/servers/reviews/${firstReview}$`));
    await expect(page.getByRole("heading", { level: 1, name: `${policyName} v1` })).toBeVisible();
    await expect(page.getByTestId("policy-sentence").first()).toContainText(`Allow ${agentName} acting for members of ${group}`);
    await expect(page.getByTestId("policy-sentence").first()).toContainText("production only, ID-JAG ≤ 600 s, step-up for ledger:write: signed in within 600 s");
    await expect(page.getByRole("region", { name: /What changes/ })).toContainText("everything in it is new");
    await expect(page.getByLabel("Differences")).toContainText(`"name": "${policyName}"`);

    // What would this change do: denied now, allowed with version 1 (ledger:read; ledger:write needs a step-up).
    const now = page.getByRole("region", { name: "Now", exact: true });
    const withIt = page.getByRole("region", { name: "With version 1", exact: true });
    await expect(now.getByTestId("decision")).toHaveAttribute("data-decision", "deny");
    await expect(withIt.getByTestId("decision")).toHaveAttribute("data-decision", "allow");
    await expect(withIt).toContainText("ledger:read");
    await expect(now).toContainText("Denied");
    await expect(page.getByText("Version 1 changes the answer: Denied → Allowed.")).toBeVisible();
    await addChips(page, "Requested scopes", "ledger:write");
    await expect(withIt).toContainText("Denied: step-up needed");
    await expect(withIt).toContainText("The person must sign in again, no more than 600 s before the request.");
    await page.getByRole("button", { name: "Remove requested scope ledger:write" }).click();
    await expect(withIt.getByTestId("decision")).toHaveAttribute("data-decision", "allow");

    await page.getByRole("button", { name: "Approve" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Comment").fill("Finance asked for it; read only without a recent sign-in");
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("This review was approved")).toBeVisible();
    // In effect: the active policies now allow the same request.
    await expect(now.getByTestId("decision")).toHaveAttribute("data-decision", "allow");

    await page.getByRole("link", { name: "Policy page" }).click();
    await expect(page.getByRole("heading", { level: 1, name: policyName })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 1, in effect" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Enabled" })).toBeChecked();
  });
});

test.describe("the publisher proposes a change", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("editing submits version 2 from version 1; its review shows what it widens", async ({ page }) => {
    await page.goto(policyPath);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Edit ${policyName}` })).toBeVisible();
    await expect(page.getByText("Starting from version 1.")).toBeVisible();
    await expect(page.getByText("Your changes become version 2")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(policyName);
    await addChips(page, "Scopes", "ledger:export");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByRole("heading", { name: `Version 2 of “${policyName}” is in review` })).toBeVisible();
    secondReview = new URL((await page.getByRole("link", { name: "Open the review" }).getAttribute("href"))!, CONSOLE_URL).pathname.split("/").pop()!;
    await expect(page.getByText("the active version stays in effect until then")).toBeVisible();

    // One version in review at a time.
    await page.goto(`${policyPath}/edit`);
    await expect(page.getByText("Version 2 is waiting for review").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Submit for review" })).toBeDisabled();
  });

  test("the review of version 2 lists the added scope as widening access", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: storageStateFor("approver") });
    const page = await ctx.newPage();
    await page.goto(`/servers/reviews/${secondReview}`);
    const changes = page.getByRole("region", { name: /What changes/ });
    await expect(changes).toContainText("Scopes");
    await expect(changes).toContainText("ledger:export");
    await expect(changes).toContainText("widens access");
    await expect(page.getByLabel("Differences")).toContainText('"ledger:export"');
    await ctx.close();
  });
});

test.describe("the simulator and the switch", () => {
  test.use({ storageState: storageStateFor("approver") });

  test("allows, then denies once the policy is disabled (after a confirmation), and allows again when enabled", async ({ page }) => {
    await page.goto("/policies/simulator");
    await expect(page.getByRole("heading", { level: 1, name: "Policy simulator" })).toBeVisible();
    await expect(page.getByText("Waiting for the request")).toBeVisible();
    await page.getByLabel("Subject (sub)").fill("alice@e2e.test");
    await addChips(page, "Groups", group);
    await page.getByLabel("client_id", { exact: true }).fill(clientId);
    await page.getByRole("searchbox", { name: "Search approved servers" }).fill(serverName);
    await page.getByRole("radio", { name: serverName }).check();
    await addChips(page, "Requested scopes", "ledger:read");
    const decision = page.getByTestId("decision");
    await expect(decision).toHaveAttribute("data-decision", "allow");
    await expect(decision).toContainText("Allowed");
    await expect(decision).toContainText("valid 600 s");
    await expect(page.getByRole("list", { name: "How each policy decided" }).getByRole("listitem").filter({ hasText: policyName })).toContainText("Matched");
    // Someone outside the group is denied, and the table says why.
    await page.getByRole("button", { name: `Remove group ${group}` }).click();
    await expect(decision).toHaveAttribute("data-decision", "deny");
    await expect(page.getByRole("list", { name: "How each policy decided" })).toContainText("does not include this user or any of their groups");
    await addChips(page, "Groups", group);
    await expect(decision).toHaveAttribute("data-decision", "allow");

    // Disable it: asked first, then the same request is denied.
    await page.goto(policyPath);
    await page.getByRole("switch", { name: "Enabled" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText(`Disable ${policyName}?`);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("switch", { name: "Enabled" })).toBeChecked();
    await page.getByRole("switch", { name: "Enabled" }).press("Space");
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable policy" }).click();
    await expect(page.getByRole("switch", { name: "Disabled" })).not.toBeChecked();
    await expect(page.getByText("Disabled", { exact: true }).first()).toBeVisible();

    await page.goto(`/policies/simulator?server=${encodeURIComponent(serverName)}&client_id=${encodeURIComponent(clientId)}`);
    await page.getByLabel("Subject (sub)").fill("alice@e2e.test");
    await addChips(page, "Groups", group);
    await addChips(page, "Requested scopes", "ledger:read");
    await expect(decision).toHaveAttribute("data-decision", "deny");
    await expect(decision).toContainText("Denied");

    await page.goto(policyPath);
    await page.getByRole("switch", { name: "Disabled" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Enable policy" }).click();
    await expect(page.getByRole("switch", { name: "Enabled" })).toBeChecked();
  });

  test("the matrix shows what the agent may get for the group, step-up marked", async ({ page }) => {
    await page.goto(`/policies/matrix?server=${encodeURIComponent(serverName)}`);
    await expect(page.getByRole("heading", { level: 1, name: "Policy matrix" })).toBeVisible();
    const table = page.getByRole("table", { name: `Scopes granted at ${serverName}, by agent and group` });
    await expect(table.getByRole("columnheader", { name: group })).toBeVisible();
    const cell = page.getByTestId(`cell:${clientId}|${group}`);
    await expect(cell).toContainText("ledger:read");
    await expect(cell).toContainText("ledger:write (step-up)");
    // With version 2 in place: the added scope too.
    await page.getByRole("combobox", { name: "Evaluate with" }).click();
    await page.getByRole("option", { name: new RegExp(`${policyName}, v2`) }).click();
    await expect(cell).toContainText("ledger:export");
    await expect(page).toHaveURL(/versionId=/);
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStateFor("auditor") });

  test("reads the list, the policy and the simulator, and has no way to change anything", async ({ page }) => {
    await page.goto("/policies");
    await page.getByRole("searchbox", { name: "Search policies" }).fill(tag);
    const row = page.getByRole("row").filter({ hasText: policyName });
    await expect(row).toContainText("Allow");
    await expect(row).toContainText(serverName);
    await expect(row).toContainText(agentName);
    await expect(row).toContainText("Active");
    await expect(row).toContainText("v2 in review");
    await expect(page.getByRole("link", { name: "New policy" })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Policy versions waiting for review" })).toHaveCount(0);

    await row.getByRole("link", { name: policyName }).click();
    await expect(page.getByRole("heading", { level: 1, name: policyName })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
    await expect(page.getByRole("switch")).toHaveCount(0);
    await expect(page.getByText("Version 2 is waiting for review")).toBeVisible();
    await page.getByRole("link", { name: "Simulate with this policy" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Policy simulator" })).toBeVisible();
    await expect(page.getByLabel("client_id", { exact: true })).toHaveValue(clientId);

    for (const path of ["/policies/new", `${policyPath}/edit`]) {
      const res = await page.goto(path);
      expect(res?.status()).toBe(403);
      await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
    }
    const refused = await page.request.post(`/api/v1${policyPath}/disable`, { headers: { origin: CONSOLE_URL } });
    expect(refused.status()).toBe(403);
  });
});

/** CSP violations (the page's own reports and the console's "Refused to …") and script errors. */
async function watchPage(page: Page): Promise<() => Promise<string[]>> {
  const messages: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (msg.type() === "error" || /content security policy|refused to (load|execute|apply|connect|frame)/i.test(text)) messages.push(`console: ${text}`);
  });
  page.on("pageerror", (err) => messages.push(`uncaught: ${err.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return async () => [...messages, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []))];
}

async function seriousAxe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 120)}`).slice(0, 5).join(", ")}`);
}

for (const role of ["approver", "publisher"] as const) {
  test.describe(`the policy pages as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("render and hydrate without CSP violations or script errors; axe finds nothing serious", async ({ page }) => {
      // six pages, each checked by axe in light and dark: slow on a busy two-core CI machine
      test.setTimeout(240_000);
      const problems = await watchPage(page);
      const pages: [string, () => Promise<void>][] = [
        ["/policies", () => expect(page.getByRole("link", { name: policyName, exact: true })).toBeVisible()],
        [policyPath, () => expect(page.getByRole("heading", { name: "Version 1, in effect" })).toBeVisible()],
        [`/servers/reviews/${secondReview}`, () => expect(page.getByRole("region", { name: "With version 2", exact: true }).getByTestId("decision")).toBeVisible()],
        [`/policies/simulator?server=${encodeURIComponent(serverName)}&client_id=${encodeURIComponent(clientId)}`, () => expect(page.getByText("Waiting for the request")).toBeVisible()],
        [`/policies/matrix?server=${encodeURIComponent(serverName)}`, () => expect(page.getByTestId(`cell:${clientId}|${group}`)).toBeVisible()],
        ...(role === "publisher" ? ([["/policies/new", () => expect(page.getByRole("tab", { name: "Advanced (JSON)" })).toBeVisible()]] as [string, () => Promise<void>][]) : []),
      ];
      for (const [path, ready] of pages) {
        await page.goto(path);
        await ready();
        await page.waitForLoadState("networkidle");
        expect(await problems(), `problems in the browser on ${path}`).toEqual([]);
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          expect(await seriousAxe(page), `axe (${scheme}) on ${path}`).toEqual([]);
        }
      }
    });
  });
}
