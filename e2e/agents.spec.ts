import { createHash } from "node:crypto";
import { request, type APIRequestContext, type Page } from "@playwright/test";
import { unique } from "./support/api";
import { CONSOLE_URL, storageStateFor } from "./support/env";
import { FORBIDDEN_TEXT } from "./support/pages";
import { alertOf, choose, expect, test } from "./support/test";

// Agents in the browser, as one story: a publisher registers an interactive agent (the live
// validator refuses a plain-http redirect first), an approver reviews and approves its first
// version and the client_id serves exactly those bytes; the publisher generates a key and sees
// its private half once; the approver revokes the agent and the client_id answers 404. An
// auditor reads the list but cannot register.

test.describe.configure({ mode: "serial" });

const slug = unique("expense");
const name = `Expense assistant ${slug.split("-").slice(1).join("")}`;
const clientId = `${CONSOLE_URL}/oauth/clients/${slug}`;
const redirect = "https://expenses.e2e-corp.dev/oauth/callback";
const serverName = `io.e2eagents${Date.now().toString(36)}/ledger`;
let agentPath = "";
let reviewedSha = "";

async function as(role: "publisher" | "approver"): Promise<APIRequestContext> {
  return request.newContext({ baseURL: CONSOLE_URL, storageState: storageStateFor(role), extraHTTPHeaders: { origin: CONSOLE_URL } });
}

const problems = (page: Page) => page.getByRole("list", { name: "Problems" });

test.beforeAll(async () => {
  // A catalog server for the agent to reach.
  const publisher = await as("publisher");
  const res = await publisher.post("/api/v1/servers", {
    data: { document: { name: serverName, description: "Ledger tools for the agents e2e", version: "1.0.0", remotes: [{ type: "streamable-http", url: "https://ledger.e2e-corp.dev/mcp" }] } },
  });
  expect(res.status(), await res.text()).toBe(201);
  await publisher.dispose();
});

test.describe("a publisher registers an agent", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("the editor refuses a plain-http redirect; fixed, the agent is registered and its first version goes to review", async ({ page }) => {
    const res = await page.goto("/agents/new");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Register an agent" })).toBeVisible();
    // PUBLIC_BASE_URL is http in these tests: the page says what that means.
    await expect(page.getByText("Development only: this Portcullis is not served over https")).toBeVisible();

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Slug").fill(slug);
    await expect(page.getByLabel("client_id preview")).toHaveText(clientId);
    await page.getByLabel("Purpose").fill("Files expense reports for people who ask it to");
    await page.getByRole("searchbox", { name: "Search catalog servers" }).fill(serverName);
    await page.getByRole("checkbox", { name: new RegExp(serverName.replace(/[.]/g, "\\.")) }).check();
    await expect(page.getByRole("list", { name: "Chosen servers" })).toContainText(serverName);

    // client_name follows the agent's name until someone changes it.
    await expect(page.getByLabel("Client name")).toHaveValue(name);
    await page.getByRole("button", { name: "Add redirect URI" }).click();
    const uri = page.getByRole("textbox", { name: "Redirect URI 1" });
    await expect(uri).toBeFocused();
    await uri.fill("http://example.com/callback");
    await expect(page.getByText("redirect_uris[0] must use https: plain http is allowed only on a loopback address").first()).toBeVisible();
    await expect(problems(page).getByRole("listitem").filter({ has: page.locator("code", { hasText: /^\/redirect_uris\/0$/ }) })).toContainText("must use https");
    await expect(page.getByText(/Fix 1 problem to submit for review/)).toBeVisible();
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(alertOf(page).filter({ hasText: "The agent was not registered" })).toContainText("Fix the document's problems");
    await expect(page).toHaveURL(/\/agents\/new$/);

    await uri.fill(redirect);
    await expect(problems(page)).toHaveCount(0);
    await expect(page.getByText("The document follows every rule and is ready for review.")).toBeVisible();
    await expect(page.getByText(/^\d+ \/ 5120 bytes$/)).toBeVisible();

    // The JSON view is the same document, coloured.
    await page.getByRole("tab", { name: "Advanced (JSON)" }).click();
    const json = page.getByRole("textbox", { name: "Client ID Metadata Document" });
    await expect(json).toHaveValue(new RegExp(`"redirect_uris": \\[\\s+"${redirect.replace(/[.]/g, "\\.")}"`));
    await expect(json).toHaveValue(/"client_name": "Expense assistant/);
    await page.getByRole("tab", { name: "Form" }).click();

    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page).toHaveURL(/\/agents\/(?!new$)[^/]+$/);
    agentPath = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByLabel("client_id", { exact: true })).toHaveText(clientId);
    await expect(page.getByText("Version 1 is waiting for review")).toBeVisible();
    const versions = page.getByRole("table", { name: "Versions" });
    await expect(versions.getByRole("row")).toHaveCount(2);
    await expect(versions).toContainText("Pending review");
    await expect(page.getByRole("list", { name: "Linked servers" })).toContainText(serverName);
    // Not served before the review.
    expect((await page.request.get(`/oauth/clients/${slug}`)).status()).toBe(404);
  });
});

test.describe("an approver reviews it", () => {
  test.use({ storageState: storageStateFor("approver") });

  test("the review shows the document, its redirect URIs and the digest; approving serves exactly those bytes", async ({ page }) => {
    // The review queue lists agent versions beside server versions...
    await page.goto("/servers/reviews?type=agent-version");
    await expect(page.getByRole("table", { name: "Reviews" }).getByRole("link", { name: slug })).toBeVisible();
    // ...and the agents list shows deciders what waits for them.
    await page.goto("/agents");
    await page.getByRole("list", { name: "Agent versions waiting for review" }).getByRole("link", { name: `${slug} v1` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${slug} v1` })).toBeVisible();
    const redirects = page.getByRole("region", { name: /Redirect URI changes/ });
    await expect(redirects).toContainText(redirect);
    await expect(page.getByRole("region", { name: /Key changes/ })).toContainText("None in the first version.");
    const diff = page.getByLabel("Differences");
    await expect(diff).toContainText(`"client_id": "${clientId}"`);
    await expect(diff).toContainText(`"${redirect}"`);
    reviewedSha = (await page.getByLabel("SHA-256 of the canonical bytes").textContent())?.trim() ?? "";
    expect(reviewedSha).toMatch(/^[0-9a-f]{64}$/);

    await page.getByRole("button", { name: "Approve" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Comment").fill("Redirect is the finance team's host");
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("This review was approved")).toBeVisible();

    const served = await page.request.get(`/oauth/clients/${slug}`);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toMatch(/^application\/json/);
    const body = await served.text();
    expect(createHash("sha256").update(body).digest("hex")).toBe(reviewedSha);
    expect(JSON.parse(body)).toMatchObject({ client_id: clientId, client_name: name, redirect_uris: [redirect], token_endpoint_auth_method: "none" });

    await page.getByRole("link", { name: "Agent page" }).click();
    await expect(page.getByLabel("SHA-256 of the served document")).toHaveText(reviewedSha);
    await expect(page.getByRole("table", { name: "Versions" }).getByText("served")).toBeVisible();
  });
});

test.describe("the publisher edits the document", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("the JSON view and the form are one document; a draft is saved, then discarded", async ({ page }) => {
    await page.goto(agentPath);
    await page.getByRole("link", { name: "Edit document" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Edit the document of ${name}` })).toBeVisible();
    await expect(page.getByText("Starting from the published version 1.")).toBeVisible();

    await page.getByRole("tab", { name: "Advanced (JSON)" }).click();
    const json = page.getByRole("textbox", { name: "Client ID Metadata Document" });
    const doc = JSON.parse(await json.inputValue()) as Record<string, unknown>;
    await json.fill(JSON.stringify({ ...doc, client_uri: "http://expenses.e2e-corp.dev" }, null, 2));
    await expect(problems(page)).toContainText("client_uri must use https");
    await page.getByRole("tab", { name: "Form" }).click();
    const clientUri = page.getByLabel("Client URI");
    await expect(clientUri).toHaveValue("http://expenses.e2e-corp.dev");
    await clientUri.fill("https://expenses.e2e-corp.dev");
    await expect(problems(page)).toHaveCount(0);
    await expect(page.getByText("Unsaved changes.", { exact: false })).toBeVisible();

    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved.", { exact: false })).toBeVisible();
    await page.goto(agentPath);
    await expect(page.getByText("An unsubmitted draft is waiting")).toBeVisible();
    await page.getByRole("link", { name: "Continue the draft" }).click();
    await expect(page.getByText(/Starting from your draft/)).toBeVisible();
    await expect(page.getByLabel("Client URI")).toHaveValue("https://expenses.e2e-corp.dev");

    await page.getByRole("button", { name: "Discard draft" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Discard draft" }).click();
    await expect(page.getByText("Starting from the published version 1.")).toBeVisible();
    await expect(page.getByLabel("Client URI")).toHaveValue("");
    await expect(page.getByRole("button", { name: "Discard draft" })).toHaveCount(0);
  });

  test("adds a co-owner by e-mail and removes them again, after a confirmation", async ({ page }) => {
    await page.goto(agentPath);
    const owners = page.getByRole("list", { name: "Owners" });
    await expect(owners).toContainText("Pat Publisher");
    await page.getByLabel("E-mail of a co-owner to add").fill("approver@e2e.test");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(owners).toContainText("Avery Approver");
    await page.getByRole("button", { name: "Remove Avery Approver as owner" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove owner" }).click();
    await expect(owners).not.toContainText("Avery Approver");
    // the last owner has no remove button
    await expect(page.getByRole("button", { name: /as owner$/ })).toHaveCount(0);
  });
});

test.describe("the publisher adds a key", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("generating a key shows the private key once and sends the new version to review", async ({ page }) => {
    await page.goto(`${agentPath}/keys`);
    await expect(page.getByRole("heading", { level: 1, name: `Keys of ${name}` })).toBeVisible();
    await expect(page.getByText("No keys", { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Generate key" }).first().click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("combobox", { name: "Algorithm" })).toHaveText(/ES256/);
    await dialog.getByRole("button", { name: "Generate key" }).click();

    await expect(dialog.getByRole("heading", { name: "Save the private key now" })).toBeVisible();
    await expect(dialog.getByText("This is the only time it is shown.")).toBeVisible();
    const pem = dialog.getByLabel("Private key (PKCS#8 PEM)");
    await expect(pem).toHaveValue(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
    await expect(dialog.getByText("Version 2 went to review")).toBeVisible();
    // A stray Escape does not lose the key.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "I've saved the private key" }).click();
    await expect(dialog).toBeHidden();

    const keys = page.getByRole("table", { name: "Keys" });
    await expect(keys.getByRole("row")).toHaveCount(2);
    await expect(keys).toContainText("In review");
    await expect(keys).toContainText("ES256");
    await expect(keys).toContainText("generated here");
    await expect(page.getByText("BEGIN PRIVATE KEY")).toHaveCount(0);
    // Nothing hands the private key out again.
    const listed = await page.request.get(`/api/v1${agentPath}/keys`);
    expect(listed.status()).toBe(200);
    expect(await listed.text()).not.toMatch(/PRIVATE KEY|"d":/);
    // One version in review at a time: no second key change until it is decided.
    await expect(page.getByRole("button", { name: "Generate key" })).toBeDisabled();
    await expect(page.getByText("Version 2 is in review")).toBeVisible();
  });
});

test.describe("the publisher gives it a token exchange secret", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("the secret is shown once, rotated and removed after confirmations, and never served in the document", async ({ page }) => {
    await page.goto(agentPath);
    await expect(page.getByRole("heading", { name: "Token exchange secret" })).toBeVisible();
    await expect(page.getByText("No secret issued.")).toBeVisible();
    await page.getByRole("button", { name: "Issue a secret" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: `Exchange secret for ${name}` })).toBeVisible();
    const secret = await dialog.getByLabel("Secret").inputValue();
    expect(secret).toMatch(/^pcxs_[A-Za-z0-9_-]{43}$/);
    await expect(dialog).toContainText(clientId);
    // A stray Escape does not lose it.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "I've copied it" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`begins ${secret.slice(0, 12)}…`)).toBeVisible();

    await page.getByRole("button", { name: "Rotate secret" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("clients still using the old one will be refused");
    await confirm.getByRole("button", { name: "Rotate" }).click();
    const rotated = await page.getByRole("dialog").getByLabel("Secret").inputValue();
    expect(rotated).not.toBe(secret);
    await page.getByRole("dialog").getByRole("button", { name: "I've copied it" }).click();

    // the hosted document never carries it
    const served = await page.request.get(clientId);
    expect(await served.text()).not.toContain("pcxs_");

    await page.getByRole("button", { name: "Remove", exact: true }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    await expect(page.getByText("No secret issued.")).toBeVisible();
  });
});

test.describe("the approver revokes it", () => {
  test.use({ storageState: storageStateFor("approver") });

  test("revoking stops serving the document at once and withdraws the pending version", async ({ page }) => {
    await page.goto(agentPath);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await page.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("This cannot be undone");
    await dialog.getByLabel("Reason (optional)").fill("Replaced by the finance platform's own agent");
    await dialog.getByRole("button", { name: "Revoke agent" }).click();
    await expect(alertOf(page).filter({ hasText: /^Revoked/ })).toContainText("Replaced by the finance platform's own agent");
    await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Versions" })).toContainText("Withdrawn");

    const gone = await page.request.get(`/oauth/clients/${slug}`);
    expect(gone.status()).toBe(404);

    // The agent's own audit trail: only its events, the revocation first.
    await page.getByRole("link", { name: "All of this agent's events" }).click();
    await expect(page).toHaveURL(/\/audit\?targetType=agent&targetId=/);
    await expect(page.getByText("Only events of agent")).toBeVisible();
    const table = page.getByRole("table").first();
    await expect(table).toContainText("agent.revoke");
    await expect(table).not.toContainText("server.");
  });
});

test.describe("an auditor", () => {
  test.use({ storageState: storageStateFor("auditor") });

  test("reads the list and exports client_ids, but cannot register an agent", async ({ page }) => {
    await page.goto("/agents");
    await expect(page.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search agents" }).fill(slug);
    // The status filter narrows the list to revoked agents.
    await choose(page, page.getByRole("combobox", { name: "Status" }), "Status: Revoked");
    const row = page.getByRole("row").filter({ hasText: slug });
    await expect(row.getByRole("link", { name })).toBeVisible();
    await expect(row).toContainText("Revoked");
    await expect(row).toContainText("Interactive");
    await expect(page.getByRole("link", { name: "Register an agent" })).toHaveCount(0);

    await page.getByRole("button", { name: "Export client_ids" }).click();
    await expect(page.getByRole("menuitem", { name: /Text \(one client_id per line\)/ })).toHaveAttribute("href", "/api/v1/agents/client-ids?format=text");
    await page.keyboard.press("Escape");
    const exported = await page.request.get("/api/v1/agents/client-ids?format=json");
    expect(exported.status()).toBe(200);
    expect(((await exported.json()) as { clientIds: { clientId: string }[] }).clientIds.map((c) => c.clientId)).not.toContain(clientId);

    // The agent page has no change controls for an auditor.
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit document" })).toHaveCount(0);

    const res = await page.goto("/agents/new");
    expect(res?.status()).toBe(403);
    await expect(page.getByText(FORBIDDEN_TEXT).first()).toBeVisible();
  });
});

test.describe("a headless agent", () => {
  test.use({ storageState: storageStateFor("publisher") });

  test("switching the kind swaps the starter document: client credentials, its hosted key set, no redirect URIs", async ({ page }) => {
    const headless = unique("reconciler");
    await page.goto("/agents/new");
    await page.getByLabel("Name", { exact: true }).fill("Nightly reconciler");
    await page.getByLabel("Slug").fill(headless);
    await page.getByRole("radio", { name: /Headless/ }).check();
    await expect(page.getByRole("button", { name: "Add redirect URI" })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: /Client credentials/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /Authorization code/ })).not.toBeChecked();
    await expect(page.getByLabel("JWKS URI")).toHaveValue(`${CONSOLE_URL}/oauth/clients/${headless}/jwks.json`);
    await expect(problems(page)).toHaveCount(0);
    // Turning on the authorization code grant is refused for a headless agent.
    await page.getByRole("checkbox", { name: /Authorization code/ }).check();
    await expect(problems(page)).toContainText("must not include authorization_code for a headless agent");
    await page.getByRole("checkbox", { name: /Authorization code/ }).uncheck();
    await expect(problems(page)).toHaveCount(0);

    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page).toHaveURL(/\/agents\/(?!new$)[^/]+$/);
    await expect(page.getByRole("heading", { level: 1, name: "Nightly reconciler" })).toBeVisible();
    await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("An unsubmitted draft is waiting")).toBeVisible();
    await expect(page.getByRole("table", { name: "Versions" })).toHaveCount(0);
  });
});
