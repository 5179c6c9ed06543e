import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db";
import { isRefusal } from "@/lib/api/methods";
import { submitForReview } from "@/lib/reviews/data";
import { syncServiceActor } from "@/lib/registry/sync";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { ROLES, SEED_PASSWORD, type TestRole } from "../helpers/constants";
import { actorOf, counts, describeEngines, insertToken, insertUser, sessionCookieFor, uid, useTestDatabase, type TestContext } from "../helpers/context";
import { apiError, buildRequest, call, session, token, type CallOptions, type CallResult, type Handler } from "../helpers/http";
import { API_V1_MODULES, HTTP_METHODS, route } from "../helpers/routes";
import { cimdDoc, makeAgent, newSlug } from "../helpers/agents";
import { insertSnapshot, poisonFinding, serverWithVersion } from "../helpers/snapshots";
import { startModernServer, type ModernServer } from "../helpers/mcp-servers";
import { resetEnvCache } from "@/lib/env";
import { approvedTarget, makePolicy, policyDoc } from "../helpers/policies";

// Who may call what: every /api/v1 route and method, for each role (with an API token and with a
// session cookie) and anonymously. Expectations are DESIGN.md's permission table, written out.

registerReviewSubject("access-fixture", { async onDecision() {} });

interface Prepared {
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  /** State a refused request must leave untouched. */
  probe?: () => Promise<unknown>;
  /** Waits for work the call started in the background (a sync run) before counting. */
  settle?: () => Promise<void>;
}

interface RouteCase {
  method: string;
  pattern: string;
  permission: string | null;
  allowed: readonly TestRole[];
  success: number;
  /** `role` is the caller (anonymous calls: the publisher), for cases that depend on who asks. */
  prepare?: (ctx: TestContext, role: TestRole) => Promise<Prepared>;
  /** The call ends the caller's sessions: issue the principal a fresh cookie afterwards. */
  endsSessions?: boolean;
  /** Audit events an allowed call writes (default: none for GET, one for anything else). */
  audits?: number;
  /** The success body is not JSON (NDJSON, a file): read it as text. */
  text?: boolean;
}

const EVERYONE = ROLES;
const ADMIN = ["admin"] as const;
const DECIDERS = ["admin", "approver"] as const;
const AUDIT_READERS = ["admin", "approver", "auditor"] as const;
const USER_READERS = ["admin", "approver", "auditor"] as const;
const SUBMITTERS = ["admin", "approver", "publisher"] as const;

const serverJson = (name: string) => ({ name, description: "A test server", version: "1.0.0", remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp" }] });
const fixtureReview = (ctx: TestContext, submitter: TestRole = "publisher") => {
  const n = uid();
  return db().$transaction((tx) => submitForReview(tx, { type: "access-fixture", id: `s-${n}`, name: `Subject ${n}`, version: "1.0.0" }, actorOf(ctx.users[submitter])));
};
const ownedServer = (ctx: TestContext, extraOwner?: string) =>
  db().server.create({
    data: {
      name: `io.example${uid()}/owned`,
      createdById: ctx.users.publisher.id,
      owners: { create: [{ userId: ctx.users.publisher.id, addedById: ctx.users.publisher.id }, ...(extraOwner ? [{ userId: extraOwner, addedById: ctx.users.publisher.id }] : [])] },
    },
  });
const upstream = (ctx: TestContext, baseUrl = "https://registry.example.com") =>
  db().upstream.create({ data: { name: `up-${uid()}`, baseUrl, intervalMinutes: 0, createdById: ctx.users.admin.id } });
let settingRound = 0;
// A real MCP server on loopback for the case that takes a snapshot.
let mcp: ModernServer;
beforeAll(async () => {
  mcp = await startModernServer([{ name: "search", description: "Search the docs", params: ["query"] }]);
  process.env.OUTBOUND_ALLOWLIST = "127.0.0.1";
  resetEnvCache();
});
afterAll(async () => {
  await mcp?.close();
  delete process.env.OUTBOUND_ALLOWLIST;
  resetEnvCache();
});

const CASES: RouteCase[] = [
  { method: "GET", pattern: "/api/v1/me", permission: null, allowed: EVERYONE, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/me/password",
    permission: null,
    allowed: EVERYONE,
    success: 200,
    endsSessions: true,
    prepare: async (ctx) => {
      // every run starts from the seed password
      await db().user.updateMany({ where: { id: { in: Object.values(ctx.users).map((u) => u.id) } }, data: { passwordHash: inject("seedPasswordHash") } });
      return { json: { currentPassword: SEED_PASSWORD, newPassword: `another long password ${uid()}` } };
    },
  },
  { method: "GET", pattern: "/api/v1/me/sessions", permission: null, allowed: EVERYONE, success: 200 },
  { method: "DELETE", pattern: "/api/v1/me/sessions", permission: null, allowed: EVERYONE, success: 200, endsSessions: true },
  { method: "GET", pattern: "/api/v1/me/tokens", permission: null, allowed: EVERYONE, success: 200 },
  { method: "GET", pattern: "/api/v1/users", permission: "users.read", allowed: USER_READERS, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/users",
    permission: "users.manage",
    allowed: ADMIN,
    success: 201,
    prepare: async () => {
      const email = `new-${uid()}@test.local`;
      return {
        json: { email, name: "New Person", role: "auditor", password: "a long enough password" },
        probe: () => db().user.findUnique({ where: { email } }),
      };
    },
  },
  {
    method: "PATCH",
    pattern: "/api/v1/users/[id]",
    permission: "users.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      const u = await insertUser({ role: "publisher" });
      return { params: { id: u.id }, json: { role: "auditor" }, probe: () => db().user.findUnique({ where: { id: u.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/users/[id]/unlock",
    permission: "users.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      const u = await insertUser({ role: "publisher" });
      await db().loginFailure.createMany({ data: Array.from({ length: 5 }, () => ({ email: u.email!, address: "198.51.100.9" })) });
      return { params: { id: u.id }, probe: () => db().loginFailure.count({ where: { email: u.email! } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/users/[id]/sessions",
    permission: "users.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      const u = await insertUser({ role: "publisher" });
      await sessionCookieFor(u.id);
      return {
        params: { id: u.id },
        probe: () => db().user.findUnique({ where: { id: u.id }, include: { sessions: true } }),
      };
    },
  },
  { method: "GET", pattern: "/api/v1/service-accounts", permission: "users.read", allowed: USER_READERS, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/service-accounts",
    permission: "users.manage",
    allowed: ADMIN,
    success: 201,
    prepare: async () => {
      const name = `svc-${uid()}`;
      return { json: { name, role: "auditor" }, probe: () => db().user.findFirst({ where: { name } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/service-accounts/[id]",
    permission: "users.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      const sa = await insertUser({ kind: "service", role: "auditor" });
      await insertToken(sa.id);
      return {
        params: { id: sa.id },
        probe: () => db().user.findUnique({ where: { id: sa.id }, include: { tokens: true } }),
      };
    },
  },
  { method: "GET", pattern: "/api/v1/tokens", permission: "users.read", allowed: USER_READERS, success: 200 },
  {
    // a personal token: every person may issue their own (service accounts' tokens: tokens.test.ts)
    method: "POST",
    pattern: "/api/v1/tokens",
    permission: null,
    allowed: EVERYONE,
    success: 201,
    prepare: async () => {
      const name = `t-${uid()}`;
      return { json: { name }, probe: () => db().apiToken.findFirst({ where: { name } }) };
    },
  },
  {
    // someone else's token (a service account's): tokens.manage; one's own: tokens.test.ts
    method: "DELETE",
    pattern: "/api/v1/tokens/[id]",
    permission: "tokens.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      const sa = await insertUser({ kind: "service", role: "auditor" });
      const { row } = await insertToken(sa.id);
      return { params: { id: row.id }, probe: () => db().apiToken.findUnique({ where: { id: row.id } }) };
    },
  },
  { method: "GET", pattern: "/api/v1/reviews", permission: "catalog.read", allowed: EVERYONE, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/reviews/[id]/decision",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const n = uid();
      const review = await db().$transaction((tx) =>
        submitForReview(tx, { type: "access-fixture", id: `s-${n}`, name: `Subject ${n}`, version: "1.0.0" }, actorOf(ctx.users.publisher)),
      );
      return {
        params: { id: review.id },
        json: { decision: "approve", comment: "looks fine" },
        probe: () => db().review.findUnique({ where: { id: review.id } }),
      };
    },
  },
  { method: "GET", pattern: "/api/v1/servers", permission: "catalog.read", allowed: EVERYONE, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/servers",
    permission: "servers.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 3, // server.create, server.version.submit, review.submit
    prepare: async () => {
      const name = `io.example${uid()}/access`;
      return { json: { document: serverJson(name) }, probe: () => db().server.findUnique({ where: { name } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/servers/[id]",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => {
      const s = await db().server.create({ data: { name: `io.example${uid()}/read`, createdById: ctx.users.publisher.id } });
      return { params: { id: s.id } };
    },
  },
  {
    // owners (here: the publisher) and reviewers; reviewer-only fields: registry-catalog.test.ts
    method: "PATCH",
    pattern: "/api/v1/servers/[id]",
    permission: "servers.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const s = await db().server.create({
        data: { name: `io.example${uid()}/meta`, createdById: ctx.users.publisher.id, owners: { create: { userId: ctx.users.publisher.id, addedById: ctx.users.publisher.id } } },
      });
      return { params: { id: s.id }, json: { tags: ["files"], ownerTeam: "Platform" }, probe: () => db().server.findUnique({ where: { id: s.id } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/reviews/[id]",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await fixtureReview(ctx)).id } }),
  },
  {
    // each caller withdraws their own submission; someone else's: registry-review.test.ts
    method: "POST",
    pattern: "/api/v1/reviews/[id]/withdraw",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx, role) => {
      const review = await fixtureReview(ctx, role);
      return { params: { id: review.id }, probe: () => db().review.findUnique({ where: { id: review.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/reviews/decisions",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const review = await fixtureReview(ctx);
      return { json: { ids: [review.id], decision: "approve", comment: "batch" }, probe: () => db().review.findUnique({ where: { id: review.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/servers/[id]/owners",
    permission: "servers.submit",
    allowed: SUBMITTERS,
    success: 201,
    prepare: async (ctx) => {
      const s = await ownedServer(ctx);
      const other = await insertUser({ role: "publisher" });
      return { params: { id: s.id }, json: { userId: other.id }, probe: () => db().serverOwner.findMany({ where: { serverId: s.id }, orderBy: { userId: "asc" } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/servers/[id]/owners/[userId]",
    permission: "servers.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const other = await insertUser({ role: "publisher" });
      const s = await ownedServer(ctx, other.id);
      return { params: { id: s.id, userId: other.id }, probe: () => db().serverOwner.findMany({ where: { serverId: s.id }, orderBy: { userId: "asc" } }) };
    },
  },
  {
    method: "PUT",
    pattern: "/api/v1/servers/[id]/versions/[versionId]/status",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const s = await ownedServer(ctx);
      const v = await db().serverVersion.create({
        data: { serverId: s.id, version: "1.0.0", document: serverJson(s.name), description: "A test server", warnings: [], state: "approved", isLatest: true, publishedAt: new Date(), submittedById: ctx.users.publisher.id },
      });
      return { params: { id: s.id, versionId: v.id }, json: { status: "deprecated", statusMessage: "use 2.x" }, probe: () => db().serverVersion.findUnique({ where: { id: v.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/servers/import",
    permission: "servers.submit",
    allowed: SUBMITTERS,
    success: 200,
    audits: 3, // server.create, server.version.submit, review.submit
    prepare: async () => {
      const name = `io.example${uid()}/imported`;
      return { json: { documents: [serverJson(name)] }, probe: () => db().server.findUnique({ where: { name } }) };
    },
  },
  { method: "GET", pattern: "/api/v1/upstreams", permission: "catalog.read", allowed: EVERYONE, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/upstreams",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 201,
    prepare: async () => {
      const name = `up-${uid()}`;
      return { json: { name, baseUrl: "https://registry.example.com" }, probe: () => db().upstream.findUnique({ where: { name } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/upstreams/[id]",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await upstream(ctx)).id } }),
  },
  {
    method: "PATCH",
    pattern: "/api/v1/upstreams/[id]",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const u = await upstream(ctx);
      return { params: { id: u.id }, json: { intervalMinutes: 30 }, probe: () => db().upstream.findUnique({ where: { id: u.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/upstreams/[id]",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const u = await upstream(ctx);
      return { params: { id: u.id }, probe: () => db().upstream.findUnique({ where: { id: u.id } }) };
    },
  },
  {
    // the run fails at once (a private address, refused by the outbound guard): start + fail
    method: "POST",
    pattern: "/api/v1/upstreams/[id]/sync",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 202,
    audits: 2,
    prepare: async (ctx) => {
      await syncServiceActor();
      const u = await upstream(ctx, "http://10.255.255.1");
      return {
        params: { id: u.id },
        probe: () => db().upstream.findUnique({ where: { id: u.id }, select: { status: true, lastStartedAt: true } }),
        settle: async () => {
          for (let i = 0; i < 100 && (await db().upstream.findUnique({ where: { id: u.id } }))?.status === "running"; i++) await new Promise((r) => setTimeout(r, 20));
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/upstreams/[id]/rules",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await upstream(ctx)).id } }),
  },
  {
    method: "POST",
    pattern: "/api/v1/upstreams/[id]/rules",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 201,
    audits: 2, // sync.rule.create, review.submit
    prepare: async (ctx) => {
      const u = await upstream(ctx);
      return { params: { id: u.id }, json: { namespace: "io.github.acme/" }, probe: () => db().syncAllowRule.findMany({ where: { upstreamId: u.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/upstreams/[id]/rules/[ruleId]",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const u = await upstream(ctx);
      const rule = await db().syncAllowRule.create({ data: { upstreamId: u.id, namespace: "io.github.acme/", state: "approved", createdById: ctx.users.admin.id, approvedById: ctx.users.approver.id, approvedAt: new Date() } });
      return { params: { id: u.id, ruleId: rule.id }, probe: () => db().syncAllowRule.findUnique({ where: { id: rule.id } }) };
    },
  },
  { method: "GET", pattern: "/api/v1/audit-events", permission: "audit.read", allowed: AUDIT_READERS, success: 200 },
  {
    method: "GET",
    pattern: "/api/v1/audit-events/[id]",
    permission: "audit.read",
    allowed: AUDIT_READERS,
    success: 200,
    prepare: async () => ({ params: { id: (await db().auditEvent.findFirstOrThrow({ orderBy: { seq: "asc" } })).id } }),
  },
  { method: "GET", pattern: "/api/v1/audit/integrity", permission: "audit.read", allowed: AUDIT_READERS, success: 200 },
  { method: "POST", pattern: "/api/v1/audit/integrity", permission: "audit.read", allowed: AUDIT_READERS, success: 202, prepare: async () => ({ json: {} }) },
  {
    // exporting is itself audited
    method: "GET",
    pattern: "/api/v1/audit/export",
    permission: "audit.export",
    allowed: AUDIT_READERS,
    success: 200,
    audits: 1,
    text: true,
    prepare: async () => ({ query: { stream: "console" } }),
  },
  { method: "GET", pattern: "/api/v1/stats", permission: "catalog.read", allowed: EVERYONE, success: 200 },
  { method: "GET", pattern: "/api/v1/settings", permission: "settings.manage", allowed: ADMIN, success: 200 },
  {
    method: "PATCH",
    pattern: "/api/v1/settings",
    permission: "settings.manage",
    allowed: ADMIN,
    success: 200,
    prepare: async () => {
      settingRound += 1;
      return { json: { auditRetentionDays: 1000 + settingRound }, probe: () => db().setting.findMany({ orderBy: { key: "asc" } }) };
    },
  },
  { method: "GET", pattern: "/api/v1/agents", permission: "agents.read", allowed: EVERYONE, success: 200 },
  {
    method: "POST",
    pattern: "/api/v1/agents",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 3, // agent.create, agent.version.submit, review.submit
    prepare: async () => {
      const slug = newSlug("access");
      return { json: { slug, name: "Access agent", kind: "interactive", document: cimdDoc(slug) }, probe: () => db().agent.findUnique({ where: { slug } }) };
    },
  },
  { method: "GET", pattern: "/api/v1/agents/client-ids", permission: "agents.read", allowed: EVERYONE, success: 200 },
  {
    method: "GET",
    pattern: "/api/v1/agents/[id]",
    permission: "agents.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await makeAgent(ctx)).id } }),
  },
  {
    method: "PATCH",
    pattern: "/api/v1/agents/[id]",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx);
      return { params: { id: a.id }, json: { purpose: "Triage tickets" }, probe: () => db().agent.findUnique({ where: { id: a.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/agents/[id]",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true });
      return { params: { id: a.id }, probe: () => db().agent.findUnique({ where: { id: a.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/versions",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 2, // agent.version.submit, review.submit
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true });
      return { params: { id: a.id }, json: { document: cimdDoc(a.slug, { client_name: "Renamed" }) }, probe: () => db().agentVersion.findMany({ where: { agentId: a.id }, orderBy: { number: "asc" } }) };
    },
  },
  {
    method: "PUT",
    pattern: "/api/v1/agents/[id]/draft",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx);
      return { params: { id: a.id }, json: { document: { client_name: "Draft" } }, probe: () => db().agent.findUnique({ where: { id: a.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/agents/[id]/draft",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx);
      await db().agent.update({ where: { id: a.id }, data: { draftDocument: "{}" } });
      return { params: { id: a.id }, probe: () => db().agent.findUnique({ where: { id: a.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/revoke",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true });
      return { params: { id: a.id }, json: { reason: "compromised" }, probe: () => db().agent.findUnique({ where: { id: a.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/owners",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx);
      const other = await insertUser({ role: "publisher" });
      return { params: { id: a.id }, json: { userId: other.id }, probe: () => db().agentOwner.findMany({ where: { agentId: a.id }, orderBy: { userId: "asc" } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/agents/[id]/owners/[userId]",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 200,
    prepare: async (ctx) => {
      const a = await makeAgent(ctx);
      const other = await insertUser({ role: "publisher" });
      await db().agentOwner.create({ data: { agentId: a.id, userId: other.id, addedById: ctx.users.publisher.id } });
      return { params: { id: a.id, userId: other.id }, probe: () => db().agentOwner.findMany({ where: { agentId: a.id }, orderBy: { userId: "asc" } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/agents/[id]/keys",
    permission: "agents.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await makeAgent(ctx, { publish: true, kind: "headless" })).id } }),
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/keys",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 3, // agent.version.submit, review.submit, agent.key.generate
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true, kind: "headless" });
      return { params: { id: a.id }, json: { action: "generate" }, probe: () => db().agentVersion.findMany({ where: { agentId: a.id }, orderBy: { number: "asc" } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/keys/[kid]/retire",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 3, // agent.version.submit, review.submit, agent.key.retire
    prepare: async (ctx) => {
      const slug = newSlug("retire");
      const base = cimdDoc(slug, { token_endpoint_auth_method: "none" });
      const a = await makeAgent(ctx, { publish: true, slug, document: { ...base, jwks: { keys: [{ kty: "EC", crv: "P-256", kid: "old", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }] } } });
      return { params: { id: a.id, kid: "old" }, probe: () => db().agentVersion.findMany({ where: { agentId: a.id }, orderBy: { number: "asc" } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/agents/[id]/exchange-secret",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 1, // agent.exchange_secret.issue
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true });
      return { params: { id: a.id }, probe: () => db().agent.findUnique({ where: { id: a.id }, select: { exchangeSecretHash: true, exchangeSecretPrefix: true } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/agents/[id]/exchange-secret",
    permission: "agents.submit",
    allowed: SUBMITTERS,
    success: 204,
    audits: 1, // agent.exchange_secret.remove
    prepare: async (ctx) => {
      const a = await makeAgent(ctx, { publish: true });
      await db().agent.update({ where: { id: a.id }, data: { exchangeSecretHash: "0".repeat(64), exchangeSecretPrefix: "pcxs_0000000", exchangeSecretIssuedAt: new Date() } });
      return { params: { id: a.id }, probe: () => db().agent.findUnique({ where: { id: a.id }, select: { exchangeSecretHash: true, exchangeSecretPrefix: true } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/servers/[id]/snapshots",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => {
      const { server, version } = await serverWithVersion(ctx.users.publisher);
      await insertSnapshot(server.id, version.id);
      return { params: { id: server.id } };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/servers/[id]/snapshots",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 201,
    prepare: async (ctx) => {
      const { server } = await serverWithVersion(ctx.users.publisher, mcp.url);
      return { params: { id: server.id }, json: {}, probe: () => db().toolSnapshot.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/servers/[id]/snapshots/latest",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => {
      const { server, version } = await serverWithVersion(ctx.users.publisher);
      await insertSnapshot(server.id, version.id);
      return { params: { id: server.id } };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/servers/[id]/snapshots/[snapshotId]",
    permission: "catalog.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => {
      const { server, version } = await serverWithVersion(ctx.users.publisher);
      const snap = await insertSnapshot(server.id, version.id);
      return { params: { id: server.id, snapshotId: snap.id } };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/servers/[id]/snapshot-credentials",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => ({ params: { id: (await serverWithVersion(ctx.users.publisher)).server.id } }),
  },
  {
    method: "PUT",
    pattern: "/api/v1/servers/[id]/snapshot-credentials",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 204,
    prepare: async (ctx) => {
      const { server } = await serverWithVersion(ctx.users.publisher);
      return { params: { id: server.id }, json: { kind: "headers", headers: { "x-api-key": "access-secret" } }, probe: () => db().snapshotCredential.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/servers/[id]/snapshot-credentials",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 204,
    prepare: async (ctx) => {
      const { server } = await serverWithVersion(ctx.users.publisher);
      await db().snapshotCredential.create({ data: { serverId: server.id, kind: "headers", secret: "pcenc:v1:0000000000000000:AAAA", updatedById: ctx.users.admin.id } });
      return { params: { id: server.id }, probe: () => db().snapshotCredential.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/servers/[id]/findings/[key]/acknowledgement",
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 201,
    prepare: async (ctx) => {
      const { server, version } = await serverWithVersion(ctx.users.publisher);
      await insertSnapshot(server.id, version.id, { findings: [poisonFinding] });
      return { params: { id: server.id, key: poisonFinding.key }, json: { comment: "Reviewed: a quoted example" }, probe: () => db().findingAck.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "PUT",
    pattern: "/api/v1/servers/[id]/tools/[tool]/scopes",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const { server } = await serverWithVersion(ctx.users.publisher);
      return { params: { id: server.id, tool: "search" }, json: { scopes: ["docs:read"] }, probe: () => db().serverToolScope.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/servers/[id]/tools/[tool]/scopes",
    permission: "servers.recheck",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx) => {
      const { server } = await serverWithVersion(ctx.users.publisher);
      await db().serverToolScope.create({ data: { serverId: server.id, tool: "search", scopes: "docs:read", source: "edited" } });
      return { params: { id: server.id, tool: "search" }, probe: () => db().serverToolScope.findMany({ where: { serverId: server.id } }) };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/policies",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
  },
  {
    method: "POST",
    pattern: "/api/v1/policies",
    permission: "policies.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 3,
    prepare: async (ctx) => {
      const t = await approvedTarget(ctx.users.publisher);
      return { json: policyDoc(t.name), probe: () => db().policy.count() };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/policies/[id]",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => {
      const t = await approvedTarget(ctx.users.publisher);
      return { params: { id: (await makePolicy(ctx, policyDoc(t.name), { approve: false })).id } };
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/policies/[id]/versions",
    permission: "policies.submit",
    allowed: SUBMITTERS,
    success: 201,
    audits: 2,
    prepare: async (ctx) => {
      const t = await approvedTarget(ctx.users.publisher);
      const made = await makePolicy(ctx, policyDoc(t.name));
      return { params: { id: made.id }, json: policyDoc(t.name, { scopes: ["jira:write"] }), probe: () => db().policyVersion.findMany({ where: { policyId: made.id } }) };
    },
  },
  ...(["enable", "disable"] as const).map((verb) => ({
    method: "POST",
    pattern: `/api/v1/policies/[id]/${verb}`,
    permission: "reviews.decide",
    allowed: DECIDERS,
    success: 200,
    prepare: async (ctx: TestContext) => {
      const t = await approvedTarget(ctx.users.publisher);
      const made = await makePolicy(ctx, policyDoc(t.name));
      if (verb === "enable") await db().policy.update({ where: { id: made.id }, data: { enabled: false } });
      return { params: { id: made.id }, probe: () => db().policy.findUnique({ where: { id: made.id } }) };
    },
  })),
  {
    method: "POST",
    pattern: "/api/v1/policies/simulate",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
    audits: 0,
    prepare: async (ctx) => {
      const t = await approvedTarget(ctx.users.publisher);
      return { json: { client_id: "https://claude.example.com/client", subject: { sub: "u", groups: ["engineering"] }, server: t.name, scopes: ["jira:read"] } };
    },
  },
  {
    method: "GET",
    pattern: "/api/v1/policies/matrix",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ query: { server: (await approvedTarget(ctx.users.publisher)).name } }),
  },
  {
    method: "GET",
    pattern: "/api/v1/policies/targets",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
    prepare: async (ctx) => ({ query: { server: (await approvedTarget(ctx.users.publisher)).name } }),
  },
  {
    method: "GET",
    pattern: "/api/v1/policies/groups",
    permission: "policies.read",
    allowed: EVERYONE,
    success: 200,
  },
];

/** Unknown /api/v1 paths: a JSON 404 for everyone, signed in or not. */
const CATCH_ALL = "/api/v1/[...rest]";
const CATCH_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** The catch-all answers HEAD itself too (a 404 without a body). */
const CATCH_ALL_EXPORTS = [...CATCH_ALL_METHODS, "HEAD"];

/** `call`, but a non-JSON success body is read as text (errors are still JSON). */
async function callCase(c: RouteCase, path: string, o: CallOptions): Promise<CallResult> {
  if (!c.text) return call(route(c.method, c.pattern), c.method, path, o);
  const res = await (route(c.method, c.pattern) as Handler)(buildRequest(c.method, path, o), { params: Promise.resolve(o.params ?? {}) });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body: res.ok ? body : JSON.parse(body) };
}

const key = (c: { method: string; pattern: string }) => `${c.method} ${c.pattern}`;
const pathOf = (pattern: string, params: Record<string, string> = {}) => pattern.replace(/\[(\w+)\]/g, (_, p) => params[p]);

describe("the access table covers the API", () => {
  it("lists every route file under app/api/v1", () => {
    const dir = join(process.cwd(), "app/api/v1");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name === "route.ts") files.push("/api/v1/" + relative(dir, d).split(sep).join("/"));
      }
    };
    walk(dir);
    expect(files.map((f) => f.replace(/\/$/, "")).sort()).toEqual(Object.keys(API_V1_MODULES).sort());
  });

  it("has one case for every method every route implements", () => {
    // Refusals (methodsNotAllowed: 405) and OPTIONS are the methods test's business.
    const exported = Object.entries(API_V1_MODULES).flatMap(([pattern, mod]) =>
      HTTP_METHODS.filter((m) => m !== "OPTIONS" && typeof mod[m] === "function" && !isRefusal(mod[m])).map((method) => key({ method, pattern })),
    );
    const covered = [...CASES.map(key), ...CATCH_ALL_EXPORTS.map((method) => key({ method, pattern: CATCH_ALL }))];
    expect(covered.sort()).toEqual(exported.sort());
  });
});

describeEngines("access by role", (engine) => {
  const ctx = useTestDatabase(engine);

  const rows = CASES.flatMap((c) =>
    ROLES.flatMap((role) =>
      (["token", "session"] as const).map((via) => ({
        name: `${role} via ${via}: ${key(c)} -> ${c.allowed.includes(role) ? c.success : 403}`,
        c,
        role,
        via,
      })),
    ),
  );

  it.each(rows)("$name", async ({ c, role, via }) => {
    const actor = ctx.users[role];
    const prepared = (await c.prepare?.(ctx, role)) ?? {};
    const before = await counts();
    const probeBefore = await prepared.probe?.();
    const res = await callCase(c, pathOf(c.pattern, prepared.params), {
      auth: via === "token" ? token(actor) : session(actor),
      params: prepared.params,
      query: prepared.query,
      json: prepared.json,
    });
    if (c.endsSessions) ctx.users[role].cookie = await sessionCookieFor(actor.id);
    await prepared.settle?.();
    if (c.allowed.includes(role)) {
      expect(res.status, JSON.stringify(res.body)).toBe(c.success);
      if (c.pattern === "/api/v1/me") expect(res.body).toMatchObject({ id: actor.id, role, via });
      // every mutation writes exactly one audit event; reads write none
      expect((await counts()).auditEvents - before.auditEvents).toBe(c.audits ?? (c.method === "GET" ? 0 : 1));
    } else {
      expect(res.status).toBe(403);
      expect(res.body).toEqual(apiError("forbidden", `This needs the ${c.permission} permission`));
      expect(await counts()).toEqual(before);
      expect(await prepared.probe?.()).toEqual(probeBefore);
    }
  });

  it.each(CASES.map((c) => ({ name: `anonymous: ${key(c)} -> 401`, c })))("$name", async ({ c }) => {
    const prepared = (await c.prepare?.(ctx, "publisher")) ?? {};
    const before = await counts();
    const probeBefore = await prepared.probe?.();
    const res = await callCase(c, pathOf(c.pattern, prepared.params), {
      params: prepared.params,
      query: prepared.query,
      json: prepared.json,
      origin: "http://localhost:3000",
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(apiError("unauthenticated", "Sign in or send an API token"));
    expect(await counts()).toEqual(before);
    expect(await prepared.probe?.()).toEqual(probeBefore);
  });

  it.each(ROLES)("the dashboard counts only what %s may read", async (role) => {
    const res = await call(route("GET", "/api/v1/stats"), "GET", "/api/v1/stats", { auth: token(ctx.users[role]) });
    expect(res.status).toBe(200);
    const people = ["activeServiceAccounts", "activeTokens", "activeUsers", "lockedAccounts", "tokensExpiringSoon"];
    const catalog = ["driftedVersions", "failedChecks", "pendingReviews"];
    const expected: Record<TestRole, string[]> = {
      admin: [...people, ...catalog, "auditEvents24h"].sort(),
      approver: [...people, ...catalog, "auditEvents24h"].sort(),
      publisher: catalog,
      auditor: [...people, ...catalog, "auditEvents24h"].sort(),
    };
    expect(Object.keys(res.body).sort()).toEqual(expected[role]);
    for (const v of Object.values(res.body)) expect(Number.isInteger(v)).toBe(true);
  });

  it.each(CATCH_ALL_METHODS)("unknown API paths answer %s with a JSON 404, signed in or not", async (method) => {
    const h = route(method, CATCH_ALL);
    for (const auth of [undefined, token(ctx.users.admin)]) {
      const res = await call(h, method, "/api/v1/no/such/route", { auth, params: { rest: "no/such/route" } });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(apiError("not_found", `No API route ${method} /api/v1/no/such/route`));
    }
  });
});
