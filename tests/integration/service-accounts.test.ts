import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { ROLES, type TestRole } from "../helpers/constants";
import { counts, describeEngines, insertToken, uid, useTestDatabase } from "../helpers/context";
import { breakAuditInserts, rawSql } from "../helpers/database";
import { apiError, bearer, call, token } from "../helpers/http";
import { route } from "../helpers/routes";

// Service accounts and API tokens: created by an admin, shown once, stored hashed, usable as
// `Authorization: Bearer` with exactly the account's role, revocable at once.

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describeEngines("service accounts and tokens", (engine) => {
  const ctx = useTestDatabase(engine);
  const admin = () => token(ctx.users.admin);

  async function createServiceAccount(role: TestRole, name = `svc-${uid()}`) {
    const res = await call(route("POST", "/api/v1/service-accounts"), "POST", "/api/v1/service-accounts", { auth: admin(), json: { name, role } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string; role: string; tokenId: string; token: string };
  }

  /** Every text value in every table, to look for a leaked secret. */
  async function everything(): Promise<string> {
    const tables = ["User", "ApiToken", "AuditEvent", "Setting", "Review", "LoginFailure", "Lease"];
    const dumps = await Promise.all(tables.map((t) => rawSql(ctx.url, `SELECT * FROM "${t}"`)));
    return JSON.stringify(dumps, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }

  it("an admin creates one: 201 with the token, shown once and never stored", async () => {
    const before = await counts();
    const res = await call(route("POST", "/api/v1/service-accounts"), "POST", "/api/v1/service-accounts", {
      auth: admin(),
      json: { name: "ci-pipeline", role: "publisher" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({ id: expect.any(String), name: "ci-pipeline", role: "publisher", tokenId: expect.any(String), token: expect.stringMatching(/^pcl_[A-Za-z0-9_-]{43}$/) });
    expect(await counts()).toEqual({ ...before, users: before.users + 1, tokens: before.tokens + 1, auditEvents: before.auditEvents + 1 });

    const row = await db().apiToken.findUniqueOrThrow({ where: { id: res.body.tokenId }, omit: { tokenHash: false } });
    expect(row.tokenHash).toBe(sha256(res.body.token));
    expect(row.prefix).toBe(res.body.token.slice(0, 12));
    const account = await db().user.findUniqueOrThrow({ where: { id: res.body.id }, omit: { passwordHash: false } });
    expect(account).toMatchObject({ kind: "service", role: "publisher", email: null, passwordHash: null, disabled: false, createdById: ctx.users.admin.id });
    expect(await everything()).not.toContain(res.body.token);

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "service_account.create", targetId: res.body.id } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, actorType: "user", targetType: "service_account", targetLabel: "ci-pipeline" });
    expect(event.after).toMatchObject({ kind: "service", role: "publisher", tokenId: res.body.tokenId, tokenPrefix: row.prefix });
  });

  const PROBES: { pattern: string; method: string; permission: string; json?: () => unknown; allowed: TestRole[]; success: number }[] = [
    { method: "GET", pattern: "/api/v1/reviews", permission: "catalog.read", allowed: ["admin", "approver", "publisher", "auditor"], success: 200 },
    { method: "GET", pattern: "/api/v1/audit-events", permission: "audit.read", allowed: ["admin", "approver", "auditor"], success: 200 },
    { method: "GET", pattern: "/api/v1/users", permission: "users.manage", allowed: ["admin"], success: 200 },
    {
      method: "POST",
      pattern: "/api/v1/users",
      permission: "users.manage",
      json: () => ({ email: `sa-made-${uid()}@test.local`, name: "Made by SA", role: "auditor", password: "a long enough password" }),
      allowed: ["admin"],
      success: 201,
    },
  ];
  it.each(ROLES)("a %s service account's token carries exactly that role's permissions", async (role) => {
    const sa = await createServiceAccount(role);
    const me = await call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth: bearer(sa.token) });
    expect(me.body).toMatchObject({ id: sa.id, kind: "service", email: null, role, via: "token" });
    for (const p of PROBES) {
      const before = await counts();
      const res = await call(route(p.method, p.pattern), p.method, p.pattern, { auth: bearer(sa.token), json: p.json?.() });
      if (p.allowed.includes(role)) {
        expect(res.status, `${p.method} ${p.pattern}`).toBe(p.success);
      } else {
        expect(res.status, `${p.method} ${p.pattern}`).toBe(403);
        expect(res.body).toEqual(apiError("forbidden", `This needs the ${p.permission} permission`));
        expect(await counts()).toEqual(before);
      }
    }
  });

  it("an audit event by a service account names it as a service actor", async () => {
    const sa = await createServiceAccount("admin");
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", { auth: bearer(sa.token), json: { userId: ctx.users.auditor.id, name: `by-sa-${uid()}` } });
    expect(res.status).toBe(201);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: res.body.id } });
    expect(event).toMatchObject({ actorType: "service", actorId: sa.id, actorLabel: sa.name });
  });

  it("GET lists service accounts, never people, and never a token", async () => {
    const sa = await createServiceAccount("auditor");
    const res = await call(route("GET", "/api/v1/service-accounts"), "GET", "/x", { auth: admin(), query: { limit: "100" } });
    expect(res.status).toBe(200);
    const item = res.body.items.find((i: { id: string }) => i.id === sa.id);
    expect(item).toEqual({ id: sa.id, kind: "service", email: null, name: sa.name, role: "auditor", disabled: false, sso: false, createdAt: expect.stringMatching(ISO), lastLoginAt: null });
    expect(res.body.items.every((i: { kind: string }) => i.kind === "service")).toBe(true);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(sa.token);
    expect(text).not.toContain(sha256(sa.token));
    expect(text).not.toMatch(/tokenHash|passwordHash|"token"/);
  });

  it("DELETE revokes the account and every token it holds, at once", async () => {
    const sa = await createServiceAccount("approver");
    const second = await insertToken(sa.id);
    for (const t of [sa.token, second.token]) expect((await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(t) })).status).toBe(200);
    const before = await counts();
    const res = await call(route("DELETE", "/api/v1/service-accounts/[id]"), "DELETE", "/x", { auth: admin(), params: { id: sa.id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: sa.id, kind: "service", disabled: true });
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    for (const t of [sa.token, second.token]) {
      const r = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(t) });
      expect(r.status).toBe(401);
      expect(r.body).toEqual(apiError("unauthenticated", "Invalid, expired or revoked token"));
    }
    const tokens = await db().apiToken.findMany({ where: { userId: sa.id } });
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "service_account.revoke", targetId: sa.id } });
    expect(event.before).toMatchObject({ disabled: false });
    expect(event.after).toMatchObject({ disabled: true, tokensRevoked: 2 });
  });

  it("a duplicate name is a 409 and writes nothing", async () => {
    const sa = await createServiceAccount("auditor");
    const before = await counts();
    const res = await call(route("POST", "/api/v1/service-accounts"), "POST", "/x", { auth: admin(), json: { name: sa.name, role: "admin" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", `A service account named ${sa.name} already exists`, [{ field: "name", message: "already in use" }]));
    expect(await counts()).toEqual(before);
  });

  it("concurrent creates with one name make exactly one account", async () => {
    const name = `race-${uid()}`;
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => call(route("POST", "/api/v1/service-accounts"), "POST", "/x", { auth: admin(), json: { name, role: "auditor" } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await db().user.count({ where: { kind: "service", name } })).toBe(1);
  });

  it("if the audit event cannot be written, no account and no token are created", async () => {
    const before = await counts();
    const restore = await breakAuditInserts(ctx.url);
    try {
      const res = await call(route("POST", "/api/v1/service-accounts"), "POST", "/x", { auth: admin(), json: { name: `no-audit-${uid()}`, role: "admin" } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual(apiError("internal", "Internal server error"));
    } finally {
      await restore();
    }
    expect(await counts()).toEqual(before);
  });

  // The tokens API
  it("POST /api/v1/tokens issues a token for a user, with an expiry; the token acts as that user", async () => {
    const before = await counts();
    const start = Date.now();
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", {
      auth: admin(),
      json: { userId: ctx.users.auditor.id, name: "  laptop  ", expiresInDays: 7 },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      id: expect.any(String),
      userId: ctx.users.auditor.id,
      userName: "Auditor User",
      userKind: "human",
      name: "laptop",
      prefix: res.body.token.slice(0, 12),
      createdAt: expect.stringMatching(ISO),
      expiresAt: expect.stringMatching(ISO),
      lastUsedAt: null,
      revokedAt: null,
      token: expect.stringMatching(/^pcl_/),
    });
    const expires = Date.parse(res.body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(start + 7 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect(await counts()).toEqual({ ...before, tokens: before.tokens + 1, auditEvents: before.auditEvents + 1 });
    const me = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(res.body.token) });
    expect(me.body).toMatchObject({ id: ctx.users.auditor.id, role: "auditor", via: "token" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: res.body.id } });
    expect(JSON.stringify(event, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(res.body.token);
    expect(await everything()).not.toContain(res.body.token);
  });

  it("a token without expiresInDays never expires", async () => {
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", { auth: admin(), json: { userId: ctx.users.approver.id, name: "forever" } });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBeNull();
  });

  it("the expiry is honoured: once past, the token is refused", async () => {
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", { auth: admin(), json: { userId: ctx.users.approver.id, name: "short-lived", expiresInDays: 1 } });
    expect((await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(res.body.token) })).status).toBe(200);
    await db().apiToken.update({ where: { id: res.body.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const after = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(res.body.token) });
    expect(after.status).toBe(401);
    expect(after.body).toEqual(apiError("unauthenticated", "Invalid, expired or revoked token"));
  });

  it("DELETE /api/v1/tokens/{id} revokes at once, with one audit event", async () => {
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", { auth: admin(), json: { userId: ctx.users.publisher.id, name: "to-revoke" } });
    expect((await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(res.body.token) })).status).toBe(200);
    const before = await counts();
    const del = await call(route("DELETE", "/api/v1/tokens/[id]"), "DELETE", "/x", { auth: admin(), params: { id: res.body.id } });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: res.body.id, revokedAt: expect.stringMatching(ISO) });
    expect(del.body).not.toHaveProperty("token");
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    const after = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(res.body.token) });
    expect(after.status).toBe(401);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "token.revoke", targetId: res.body.id } });
    expect(event.before).toMatchObject({ revokedAt: null });
    expect(event.after).toMatchObject({ revokedAt: del.body.revokedAt });
  });

  it("GET /api/v1/tokens shows prefixes and last use, never a token or its hash, and pages", async () => {
    const { token: t, row } = await insertToken(ctx.users.auditor.id, { name: `listed-${uid()}` });
    await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: bearer(t) });
    await expect.poll(async () => (await db().apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    const res = await call(route("GET", "/api/v1/tokens"), "GET", "/x", { auth: admin(), query: { q: row.name } });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: row.id, prefix: row.prefix, userName: "Auditor User", lastUsedAt: expect.stringMatching(ISO), revokedAt: null }),
    ]);
    const all = await call(route("GET", "/api/v1/tokens"), "GET", "/x", { auth: admin(), query: { limit: "100" } });
    const text = JSON.stringify(all.body);
    expect(text).not.toMatch(/tokenHash|"token"/);
    expect(text).not.toContain(t);

    // pagination: walking pages of 2 visits every token once, newest first
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(route("GET", "/api/v1/tokens"), "GET", "/x", {
        auth: admin(),
        query: { limit: "2", ...(cursor ? { cursor } : {}) },
      });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(await db().apiToken.count());
  });
});
