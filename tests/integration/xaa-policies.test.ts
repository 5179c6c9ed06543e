import { expect, it } from "vitest";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { flushDecisions } from "@/lib/xaa/decision-log";
import { rebuildPolicyIndex } from "@/lib/xaa/index";
import { sealAll } from "@/lib/audit/sealer";
import { verifyStream } from "@/lib/audit/verify";
import { counts, describeEngines, insertToken, insertUser, useTestDatabase, type Principal } from "../helpers/context";
import { call, session, token } from "../helpers/http";
import { route } from "../helpers/routes";
import { usePublicServer } from "../helpers/public";
import { makeAgent } from "../helpers/agents";
import { approvedTarget, AUDIENCE, makePolicy, policyDoc } from "../helpers/policies";

// Delegation policies over the console API and the decision point over HTTP (docs/xaa.md):
// creation and validation (nothing written on refusal), the review lifecycle with four-eyes,
// one pending version per policy under concurrent submissions, enable/disable, a new approved
// version replacing the active one, drift suspending grants, the decision API's authentication
// (a revoked token stops at once) and its audit events, the simulator and the matrix.

const CLAUDE = "https://claude.example.com/client";

describeEngines("delegation policies and the decision point", (engine) => {
  const ctx = useTestDatabase(engine);
  const pub = usePublicServer(100);

  const create = (json: unknown, as: Principal = ctx.users.publisher) => call(route("POST", "/api/v1/policies"), "POST", "/api/v1/policies", { auth: token(as), json });
  const addVersion = (id: string, json: unknown, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/policies/[id]/versions"), "POST", `/api/v1/policies/${id}/versions`, { auth: token(as), params: { id }, json });
  const get = (id: string) => call(route("GET", "/api/v1/policies/[id]"), "GET", `/api/v1/policies/${id}`, { auth: token(ctx.users.auditor), params: { id } });
  const list = (query: Record<string, string> = {}) => call(route("GET", "/api/v1/policies"), "GET", "/api/v1/policies", { auth: token(ctx.users.auditor), query });
  const decideReview = (reviewId: string, as: Principal = ctx.users.approver, decision: "approve" | "reject" = "approve") =>
    call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${reviewId}/decision`, { auth: session(as), params: { id: reviewId }, json: { decision } });
  const toggle = (id: string, verb: "enable" | "disable", as: Principal = ctx.users.approver) =>
    call(route("POST", `/api/v1/policies/[id]/${verb}`), "POST", `/api/v1/policies/${id}/${verb}`, { auth: token(as), params: { id } });
  const simulate = (json: unknown) => call(route("POST", "/api/v1/policies/simulate"), "POST", "/api/v1/policies/simulate", { auth: token(ctx.users.auditor), json });

  let gatewayToken = "";
  const ask = (body: unknown, auth: string | null = gatewayToken, headers: Record<string, string> = {}) =>
    pub.send("POST", "/api/v1/xaa/decisions", body, { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers });
  const request = (resource: string, scopes: string[] = ["jira:read"], extra: Record<string, unknown> = {}) => ({
    client_id: CLAUDE,
    subject: { sub: "u-1", email: "alice@example.com", groups: ["engineering"] },
    audience: AUDIENCE,
    resource,
    scopes,
    ...extra,
  });

  async function gateway() {
    if (gatewayToken) return gatewayToken;
    const account = await insertUser({ kind: "service", role: "gateway" as never, email: null, name: `gateway-${Date.now()}` });
    gatewayToken = (await insertToken(account.id)).token;
    return gatewayToken;
  }

  it("creates a policy: 201 with its version and a pending review; the decision point ignores it until approval", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    const res = await create(policyDoc(target.name, { name: "Engineering may let Claude read Jira" }));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["id", "review", "version"]);
    expect(res.body.review.state).toBe("pending");
    const stored = await db().policyVersion.findUniqueOrThrow({ where: { id: res.body.version.id } });
    // the resource defaulted to the server's streamable-http remote, exclusions and conditions to their defaults
    expect(stored.document).toMatchObject({ target: { server: target.name, audience: AUDIENCE, resource: target.resource }, subjects: { exclude: { groups: [], users: [] } }, conditions: { maxTokenLifetimeSeconds: 300, environments: [] } });
    const review = await db().review.findUniqueOrThrow({ where: { id: res.body.review.id } });
    expect(review).toMatchObject({ subjectType: "policy-version", subjectName: "Engineering may let Claude read Jira", subjectVersion: "1" });
    expect((await get(res.body.id)).body).toMatchObject({ status: "pending", active: null, pending: { number: 1 } });
    await gateway();
    const d = await ask(request(target.resource));
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ decision: "deny", scopes: [], policy_ids: [], ttl: 0 });

    // four-eyes: the submitter cannot approve; another person can, and the policy is active at once
    expect((await decideReview(res.body.review.id, ctx.users.publisher)).status).toBe(403);
    expect((await decideReview(res.body.review.id)).status).toBe(200);
    expect((await get(res.body.id)).body).toMatchObject({ status: "active", enabled: true, active: { number: 1, state: "approved" }, pending: null });
    const allowed = await ask(request(target.resource));
    expect(allowed.body).toEqual({ decision: "allow", scopes: ["jira:read"], policy_ids: [res.body.id], reasons: ['Allowed by "Engineering may let Claude read Jira"'], ttl: 300 });
  });

  it.each([
    ["an unknown server", (s: string) => policyDoc(`${s}-missing`), "target.server"],
    ["an allow policy without scopes", (s: string) => policyDoc(s, { scopes: [] }), "scopes"],
    ["no subjects", (s: string) => policyDoc(s, { subjects: { include: { groups: [], users: [] }, exclude: { groups: [], users: [] } } }), "subjects.include"],
    ["an http audience", (s: string) => policyDoc(s, { target: { audience: "http://auth.example.com" } }), "target.audience"],
    ["a lifetime over an hour", (s: string) => policyDoc(s, { conditions: { maxTokenLifetimeSeconds: 7200 } as never }), "conditions.maxTokenLifetimeSeconds"],
    ["step-up scopes the policy does not grant", (s: string) => policyDoc(s, { conditions: { stepUp: { scopes: ["jira:write"], acr: "mfa" } } as never }), "conditions.stepUp.scopes"],
    ["a window that ends before it starts", (s: string) => policyDoc(s, { conditions: { validFrom: "2027-01-02T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" } as never }), "conditions.validUntil"],
    ["an unregistered Portcullis agent", (s: string) => policyDoc(s, { agents: [`${process.env.PUBLIC_BASE_URL ?? "http://localhost:3000"}/oauth/clients/nobody-here`] }), "agents.0"],
    ["an unknown field", (s: string) => ({ ...policyDoc(s), owner: "me" }), "owner"],
    ["a resource that is not the server's MCP endpoint", (s: string) => policyDoc(s, { target: { resource: "https://elsewhere.example.com/mcp" } }), "target.resource"],
    ["step-up on a deny policy", (s: string) => policyDoc(s, { effect: "deny", conditions: { stepUp: { scopes: ["jira:read"], acr: "mfa" } } as never }), "conditions.stepUp"],
  ])("refuses %s with a 422 naming the field, writing nothing", async (_label, doc, field) => {
    const target = await approvedTarget(ctx.users.publisher);
    await flushDecisions(); // earlier tests' decision events must not land inside this window
    const before = await counts();
    const policies = await db().policy.count();
    const res = await create(doc(target.name));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
    expect(await db().policy.count()).toBe(policies);
  });

  it("holds a target's audience to the issuer recorded for its server (console metadata, set by reviewers)", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    const patch = (json: unknown, as: Principal) => call(route("PATCH", "/api/v1/servers/[id]"), "PATCH", `/api/v1/servers/${target.server.id}`, { auth: token(as), params: { id: target.server.id }, json });
    expect((await patch({ authIssuer: "https://idp.jira.example.com" }, ctx.users.publisher)).status).toBe(403);
    expect((await patch({ authIssuer: "ftp://x" }, ctx.users.approver)).status).toBe(422);
    const ok = await patch({ authIssuer: "https://idp.jira.example.com" }, ctx.users.approver);
    expect(ok.status).toBe(200);
    expect(ok.body.authIssuer).toBe("https://idp.jira.example.com");
    const refused = await create(policyDoc(target.name));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([{ field: "target.audience", message: `must be https://idp.jira.example.com, the issuer recorded for ${target.name}'s authorization server` }]);
    const made = await create(policyDoc(target.name, { name: "Jira readers", target: { audience: "https://idp.jira.example.com" } }));
    expect(made.status).toBe(201);
    // the server page lists the policies that target it
    const server = await call(route("GET", "/api/v1/servers/[id]"), "GET", `/api/v1/servers/${target.server.id}`, { auth: token(ctx.users.auditor), params: { id: target.server.id } });
    expect(server.body.policies).toEqual([{ id: made.body.id, name: "Jira readers", effect: "allow", status: "pending", scopes: ["jira:read"], agents: 1 }]);
  });

  it("allows one pending version per policy, also when two submissions race", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    const made = await makePolicy(ctx, policyDoc(target.name));
    const results = await Promise.all([addVersion(made.id, policyDoc(target.name, { scopes: ["jira:read", "jira:write"] })), addVersion(made.id, policyDoc(target.name, { scopes: ["jira:admin"] }))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await db().policyVersion.count({ where: { policyId: made.id, state: "pending" } })).toBe(1);
    expect(await db().review.count({ where: { subjectType: "policy-version", state: "pending", subjectId: { in: (await db().policyVersion.findMany({ where: { policyId: made.id } })).map((v) => v.id) } } })).toBe(1);
  });

  it("makes an approved new version the active one; until then the old one decides", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    const made = await makePolicy(ctx, policyDoc(target.name, { scopes: ["jira:read"] }));
    const v2 = await addVersion(made.id, policyDoc(target.name, { scopes: ["jira:read", "jira:write"] }));
    expect(v2.status).toBe(201);
    expect((await ask(request(target.resource, ["jira:read", "jira:write"]))).body.scopes).toEqual(["jira:read"]);
    // the reviewer can see what the change would do before deciding
    const what = await simulate({ ...request(target.resource, ["jira:read", "jira:write"]), versionId: v2.body.version.id });
    expect(what.status).toBe(200);
    expect(what.body).toMatchObject({ decision: "allow", scopes: ["jira:read", "jira:write"] });
    const detail = await call(route("GET", "/api/v1/reviews/[id]"), "GET", `/api/v1/reviews/${v2.body.review.id}`, { auth: token(ctx.users.approver), params: { id: v2.body.review.id } });
    expect(detail.body.detail).toMatchObject({ policy: { id: made.id }, version: { number: 2 }, previous: { number: 1 } });
    expect(detail.body.detail.diff.added).toBeGreaterThan(0);
    expect((await decideReview(v2.body.review.id)).status).toBe(200);
    expect((await ask(request(target.resource, ["jira:read", "jira:write"]))).body.scopes).toEqual(["jira:read", "jira:write"]);
    const v = await db().policyVersion.findMany({ where: { policyId: made.id }, orderBy: { number: "asc" } });
    expect(v.map((x) => x.state)).toEqual(["approved", "approved"]);
    expect((await db().policy.findUniqueOrThrow({ where: { id: made.id } })).activeVersionId).toBe(v[1].id);
  });

  it("enables and disables without editing (reviews.decide); the decision point follows at once", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    const made = await makePolicy(ctx, policyDoc(target.name));
    expect((await toggle(made.id, "disable", ctx.users.publisher)).status).toBe(403);
    expect((await db().policy.findUniqueOrThrow({ where: { id: made.id } })).enabled).toBe(true);
    const off = await toggle(made.id, "disable");
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, status: "disabled" });
    expect((await ask(request(target.resource))).body.decision).toBe("deny");
    expect((await toggle(made.id, "enable")).body.status).toBe("active");
    expect((await ask(request(target.resource))).body.decision).toBe("allow");
    const events = await db().auditEvent.findMany({ where: { targetId: made.id, action: { in: ["policy.enable", "policy.disable"] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["policy.disable", "policy.enable"]);
  });

  it("denies override allows and a drifted server's grants are suspended until re-approval", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    await makePolicy(ctx, policyDoc(target.name, { scopes: ["jira:read", "jira:write"] }));
    expect((await ask(request(target.resource, ["jira:read", "jira:write"]))).body.scopes).toEqual(["jira:read", "jira:write"]);
    const deny = await makePolicy(ctx, policyDoc(target.name, { name: "No writes for contractors", effect: "deny", scopes: ["jira:write"], subjects: { include: { groups: ["contractors"], users: [] } } as never }));
    const contractor = request(target.resource, ["jira:read", "jira:write"], { subject: { sub: "u-2", groups: ["engineering", "contractors"] } });
    const d = await ask(contractor);
    expect(d.body).toMatchObject({ decision: "allow", scopes: ["jira:read"] });
    expect(d.body.policy_ids).toContain(deny.id);

    await db().$transaction(async (tx) => {
      await tx.serverVersion.update({ where: { id: target.version.id }, data: { driftSince: new Date() } });
      await bumpGeneration(tx);
    });
    registryChanged();
    await rebuildPolicyIndex();
    const drifted = await ask(request(target.resource));
    expect(drifted.body).toMatchObject({ decision: "deny", scopes: [] });
    const explained = await simulate(request(target.resource));
    expect(explained.body.explanation.some((e: { why: string }) => /suspended: .*tools changed since approval/.test(e.why))).toBe(true);
  });

  it("authenticates decision callers: 401 without or with a bad token, 403 without xaa.decide, and a revoked token stops at once", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await makePolicy(ctx, policyDoc(target.name));
    expect((await ask(request(target.resource), null)).status).toBe(401);
    expect((await ask(request(target.resource), "pcl_not-a-real-token-at-all")).status).toBe(401);
    expect((await ask(request(target.resource), ctx.users.publisher.token)).status).toBe(403);
    const account = await insertUser({ kind: "service", role: "gateway" as never, email: null, name: `idp-${Date.now()}` });
    const t = await insertToken(account.id);
    expect((await ask(request(target.resource), t.token)).body.decision).toBe("allow");
    const revoke = await call(route("DELETE", "/api/v1/tokens/[id]"), "DELETE", `/api/v1/tokens/${t.row.id}`, { auth: token(ctx.users.admin), params: { id: t.row.id } });
    expect(revoke.status).toBe(200);
    const after = await ask(request(target.resource), t.token);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: { code: "unauthenticated", message: "Invalid, expired or revoked token" } });
  });

  it("follows another process's changes within a second: a token revoked or a policy disabled elsewhere", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    const made = await makePolicy(ctx, policyDoc(target.name));
    const account = await insertUser({ kind: "service", role: "gateway" as never, email: null, name: `remote-${Date.now()}` });
    const t = await insertToken(account.id);
    expect((await ask(request(target.resource), t.token)).body.decision).toBe("allow");
    // what another replica's writes leave behind: the rows and the signal, no in-process hook
    const elsewhere = async (write: () => Promise<unknown>, signal: string) => {
      await write();
      await db().setting.upsert({ where: { key: signal }, create: { key: signal, value: `other-${Date.now()}` }, update: { value: `other-${Date.now()}` } });
    };
    const within = async (ms: number, check: () => Promise<boolean>) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    await elsewhere(() => db().policy.update({ where: { id: made.id }, data: { enabled: false } }), "xaa.generation");
    expect(await within(1000, async () => (await ask(request(target.resource), t.token)).body.decision === "deny")).toBe(true);
    await elsewhere(() => db().apiToken.update({ where: { id: t.row.id }, data: { revokedAt: new Date() } }), "tokens.generation");
    expect(await within(1000, async () => (await ask(request(target.resource), t.token)).status === 401)).toBe(true);
  });

  it("refuses malformed decision requests with the field named", async () => {
    await gateway();
    const bad = await ask({ client_id: CLAUDE, subject: { groups: [] }, scopes: ["a b"] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["scopes.0", "subject.sub"]);
    const noTarget = await ask({ client_id: CLAUDE, subject: { sub: "x" }, scopes: [] });
    expect(noTarget.status).toBe(422);
    expect(noTarget.body.error.details).toEqual([{ field: "audience", message: "give an audience, a resource, or both" }]);
    const wrongType = await fetch(pub.url + "/api/v1/xaa/decisions", { method: "POST", headers: { authorization: `Bearer ${gatewayToken}`, "content-type": "text/plain" }, body: "{}" });
    expect(wrongType.status).toBe(415);
    const get = await fetch(pub.url + "/api/v1/xaa/decisions", { headers: { authorization: `Bearer ${gatewayToken}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("writes every decision as an audit event, in batches, with the caller and the reasons", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    const made = await makePolicy(ctx, policyDoc(target.name));
    await flushDecisions();
    const before = await db().auditEvent.count({ where: { action: "xaa.decision" } });
    await Promise.all(Array.from({ length: 25 }, (_, i) => ask(request(target.resource, ["jira:read"], { subject: { sub: `batch-${i}`, groups: ["engineering"] } }))));
    await flushDecisions();
    const events = await db().auditEvent.findMany({ where: { action: "xaa.decision" }, orderBy: { seq: "desc" }, take: 25 });
    expect((await db().auditEvent.count({ where: { action: "xaa.decision" } })) - before).toBe(25);
    expect(events[0]).toMatchObject({ actorType: "service", via: "token", targetType: "client", targetId: CLAUDE });
    expect(events[0].after).toMatchObject({ decision: "allow", scopes: ["jira:read"], policyIds: [made.id], ttl: 300 });
    expect(Math.abs(events[0].time.getTime() - Date.now())).toBeLessThan(60_000);
    // written outside the query builder, they seal and verify like every other event
    await sealAll("xaa-test");
    const verified = await verifyStream("console", { full: true });
    expect(verified.broken).toBeNull();
    const sealed = await db().auditEvent.findMany({ where: { id: { in: events.map((e) => e.id) } } });
    expect(sealed.every((e) => e.hash !== null && e.sealedAt !== null)).toBe(true);
    // and the audit API's time filter finds them
    const since = new Date(Date.now() - 60_000).toISOString();
    const listed = await call(route("GET", "/api/v1/audit-events"), "GET", "/api/v1/audit-events", { auth: token(ctx.users.auditor), query: { action: "xaa.decision", from: since, limit: "100" } });
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBeGreaterThanOrEqual(25);
  });

  it("refuses agents registered here that are not approved, and uses a Portcullis agent's own environment", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    const unpublished = await makeAgent(ctx);
    const published = await makeAgent(ctx, { publish: true });
    await makePolicy(ctx, policyDoc(target.name, { agents: [unpublished.agent.clientId, published.agent.clientId], conditions: { environments: ["production"] } as never }));
    const forAgent = (clientId: string, environment?: string) => ask({ ...request(target.resource), client_id: clientId, ...(environment ? { environment } : {}) });
    expect((await forAgent(unpublished.agent.clientId)).body).toMatchObject({ decision: "deny", reasons: ["The agent is not approved: it has no published version, or it was revoked"] });
    expect((await forAgent(published.agent.clientId)).body.decision).toBe("allow");
    await db().agent.update({ where: { id: published.agent.id }, data: { environment: "staging" } });
    await rebuildPolicyIndex();
    // the agent's recorded environment wins over what the caller says
    expect((await forAgent(published.agent.clientId, "production")).body.decision).toBe("deny");
  });

  it("draws the matrix of one server: agents × groups → scopes, with step-up marked", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await makePolicy(ctx, policyDoc(target.name, { agents: [CLAUDE, "https://cursor.example.com/client"], subjects: { include: { groups: ["engineering", "support"], users: [] } } as never, scopes: ["jira:read", "jira:write"], conditions: { stepUp: { scopes: ["jira:write"], acr: "mfa" } } as never }));
    await makePolicy(ctx, policyDoc(target.name, { effect: "deny", agents: ["https://cursor.example.com/client"], subjects: { include: { groups: ["support"], users: [] } } as never, scopes: [] }));
    const m = await call(route("GET", "/api/v1/policies/matrix"), "GET", "/api/v1/policies/matrix", { auth: token(ctx.users.auditor), query: { server: target.name } });
    expect(m.status).toBe(200);
    expect(m.body.groups).toEqual(["engineering", "support"]);
    const cell = (clientId: string, group: string) => m.body.cells.find((c: { clientId: string; group: string }) => c.clientId === clientId && c.group === group);
    expect(cell(CLAUDE, "engineering")).toMatchObject({ scopes: ["jira:read", "jira:write"], stepUp: ["jira:write"] });
    expect(cell("https://cursor.example.com/client", "support")).toMatchObject({ scopes: [], stepUp: [] });
    const targets = await call(route("GET", "/api/v1/policies/targets"), "GET", "/api/v1/policies/targets", { auth: token(ctx.users.auditor), query: { server: target.name } });
    expect(targets.body).toMatchObject({ server: { name: target.name }, audience: null, resources: [target.resource], drifted: false });
    const groups = await call(route("GET", "/api/v1/policies/groups"), "GET", "/api/v1/policies/groups", { auth: token(ctx.users.auditor) });
    expect(groups.body.groups).toEqual(expect.arrayContaining(["engineering", "support"]));
  });

  it("answers half a target only when one policy target matches it, and names the pair it decided", async () => {
    await gateway();
    const a = await approvedTarget(ctx.users.publisher);
    const b = await approvedTarget(ctx.users.publisher);
    const audience = "https://shared-as.example.com";
    await makePolicy(ctx, policyDoc(a.name, { scopes: ["read"], target: { audience } }));
    const only = await ask({ client_id: CLAUDE, subject: { sub: "u", groups: ["engineering"] }, audience, scopes: ["read"] });
    expect(only.body).toMatchObject({ decision: "allow", scopes: ["read"] });
    expect((await simulate({ client_id: CLAUDE, subject: { sub: "u", groups: ["engineering"] }, audience, scopes: ["read"] })).body).toMatchObject({ audience, resource: a.resource });
    // a second endpoint behind the same authorization server: the scopes of the two must not pool
    await makePolicy(ctx, policyDoc(b.name, { scopes: ["admin"], target: { audience } }));
    const pooled = await ask({ client_id: CLAUDE, subject: { sub: "u", groups: ["engineering"] }, audience, scopes: ["read", "admin"] });
    expect(pooled.body).toEqual({ decision: "deny", scopes: [], policy_ids: [], reasons: ["This audience fronts several MCP endpoints: name the resource too"], ttl: 0, error: "invalid_target" });
    expect((await ask({ client_id: CLAUDE, subject: { sub: "u", groups: ["engineering"] }, audience, resource: a.resource, scopes: ["read", "admin"] })).body.scopes).toEqual(["read"]);
  });

  it("refuses a registered agent that was revoked, and moving a published agent's environment is a reviewer's call", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    await gateway();
    const agent = await makeAgent(ctx, { publish: true });
    await makePolicy(ctx, policyDoc(target.name, { agents: [agent.agent.clientId], conditions: { environments: ["production"] } as never }));
    const forAgent = () => ask({ ...request(target.resource), client_id: agent.agent.clientId });
    expect((await forAgent()).body.decision).toBe("allow");
    const patch = (json: unknown, as: Principal) => call(route("PATCH", "/api/v1/agents/[id]"), "PATCH", `/api/v1/agents/${agent.id}`, { auth: token(as), params: { id: agent.id }, json });
    const refused = await patch({ environment: "staging" }, ctx.users.publisher);
    expect(refused.status).toBe(403);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("production");
    expect((await patch({ environment: "staging" }, ctx.users.approver)).status).toBe(200);
    expect((await forAgent()).body.decision).toBe("deny");
    const revoke = await call(route("POST", "/api/v1/agents/[id]/revoke"), "POST", `/api/v1/agents/${agent.id}/revoke`, { auth: token(ctx.users.approver), params: { id: agent.id }, json: {} });
    expect(revoke.status).toBe(200);
    expect((await forAgent()).body).toMatchObject({ decision: "deny", reasons: ["The agent is not approved: it has no published version, or it was revoked"] });
  });

  it("lists policies with filters and search", async () => {
    const target = await approvedTarget(ctx.users.publisher);
    const a = await makePolicy(ctx, policyDoc(target.name, { name: "Findable allow policy" }));
    await makePolicy(ctx, policyDoc(target.name, { name: "Pending one" }), { approve: false });
    const found = await list({ q: "findable", server: target.name });
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    expect(found.body.items[0]).toMatchObject({ status: "active", effect: "allow", server: { name: target.name }, resource: target.resource, suspended: null });
    const pending = await list({ state: "pending", server: target.name });
    expect(pending.body.items.map((p: { name: string }) => p.name)).toEqual(["Pending one"]);
    expect((await list({ state: "bogus" })).status).toBe(422);
    // filters read the version that decides: a pending deny version does not make an allow policy a deny
    const v2 = await addVersion(a.id, policyDoc(target.name, { name: "Renamed in review", effect: "deny", scopes: [], agents: ["https://other.example.com/agent"] }));
    expect(v2.status).toBe(201);
    expect((await list({ effect: "deny", server: target.name })).body.items.map((p: { id: string }) => p.id)).not.toContain(a.id);
    expect((await list({ agent: CLAUDE, server: target.name, state: "active" })).body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    // and a version under review does not rename the policy before it is approved
    expect((await get(a.id)).body.name).toBe("Findable allow policy");
  });

  it("keeps the gateway role for service accounts: a person cannot be given it", async () => {
    const res = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", { auth: token(ctx.users.admin), json: { email: "gw@test.local", name: "Gw", role: "gateway", password: "a-long-enough-password" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe("role");
    const sa = await call(route("POST", "/api/v1/service-accounts"), "POST", "/api/v1/service-accounts", { auth: token(ctx.users.admin), json: { name: `okta-${Date.now()}`, role: "gateway" } });
    expect(sa.status).toBe(201);
    const users = await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: { headers: { authorization: `Bearer ${sa.body.token}` } } });
    expect(users.status).toBe(403);
    const registry = await pub.get("/v0.1/servers", { authorization: `Bearer ${sa.body.token}` });
    expect(registry.status).toBe(200);
  });
});
