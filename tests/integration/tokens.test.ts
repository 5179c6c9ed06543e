import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import * as meTokens from "@/app/api/v1/me/tokens/route";
import { ROLES } from "../helpers/constants";
import { counts, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { rawSql } from "../helpers/database";
import { apiError, bearer, call, session, token, type Auth, type Handler } from "../helpers/http";
import { route } from "../helpers/routes";

// API tokens are issued to yourself or to service accounts, never to another person (a token acts
// as its owner). Every person may create and revoke personal tokens with their own permissions;
// tokens.manage covers service accounts' tokens and revoking anyone's. New tokens expire: after
// tokenDefaultLifetimeDays unless asked otherwise, never beyond tokenMaxLifetimeDays.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY = 86_400_000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const TOKEN_KEYS = ["createdAt", "createdBy", "expiresAt", "expiresSoon", "id", "lastUsedAt", "name", "prefix", "revokedAt", "userId", "userKind", "userName"];
const NOT_FOR_OTHERS = apiError("forbidden", "Tokens are issued to yourself or to service accounts");
const NEEDS_MANAGE = apiError("forbidden", "This needs the tokens.manage permission");

describeEngines("tokens", (engine) => {
  const ctx = useTestDatabase(engine);
  const admin = () => token(ctx.users.admin);
  const create = (json: unknown, auth: Auth = admin()) => call(route("POST", "/api/v1/tokens"), "POST", "/api/v1/tokens", { auth, json });
  const list = (query: Record<string, string>, auth: Auth = admin()) => call(route("GET", "/api/v1/tokens"), "GET", "/api/v1/tokens", { auth, query });
  const mine = (auth: Auth, query: Record<string, string> = {}) => call(meTokens.GET as Handler, "GET", "/api/v1/me/tokens", { auth, query });
  const revoke = (id: string, auth: Auth = admin()) => call(route("DELETE", "/api/v1/tokens/[id]"), "DELETE", `/api/v1/tokens/${id}`, { auth, params: { id } });
  const me = (auth: Auth) => call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth });
  const setSetting = (key: string, value: number) =>
    db().setting.upsert({ where: { key: `settings.${key}` }, create: { key: `settings.${key}`, value }, update: { value } });

  async function everything(): Promise<string> {
    const tables = ["User", "ApiToken", "AuditEvent", "Setting", "UserSession"];
    const dumps = await Promise.all(tables.map((t) => rawSql(ctx.url, `SELECT * FROM "${t}"`)));
    return JSON.stringify(dumps, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }

  async function serviceAccount(role: Principal["role"] = "publisher") {
    const sa = await insertUser({ kind: "service", role });
    const t = await insertToken(sa.id);
    return { ...sa, token: t.token };
  }

  it.each(ROLES.flatMap((role) => (["token", "session"] as const).map((via) => ({ role, via }))))(
    "a $role (via $via) issues a personal token: it acts as them, with their permissions",
    async ({ role, via }) => {
      const p = ctx.users[role];
      const auth = via === "token" ? token(p) : session(p);
      const start = Date.now();
      const before = await counts();
      const res = await create({ name: `  automation-${role}  ` }, auth);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.body).toEqual({
        id: expect.any(String),
        userId: p.id,
        userName: p.name,
        userKind: "human",
        name: `automation-${role}`,
        prefix: res.body.token.slice(0, 12),
        createdAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
        lastUsedAt: null,
        revokedAt: null,
        createdBy: { id: p.id, name: p.name },
        expiresSoon: false,
        token: expect.stringMatching(/^pcl_[A-Za-z0-9_-]{43}$/),
      });
      // the default lifetime: tokenDefaultLifetimeDays (90)
      const expires = Date.parse(res.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(start + 90 * DAY);
      expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY);
      expect(await counts()).toEqual({ ...before, tokens: before.tokens + 1, auditEvents: before.auditEvents + 1 });
      expect((await me(bearer(res.body.token))).body).toMatchObject({ id: p.id, role, via: "token" });
      // naming yourself is the same as naming nobody
      const own = await create({ userId: p.id, name: "own" }, auth);
      expect(own.status).toBe(201);
      expect(own.body.userId).toBe(p.id);
      const event = await db().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: res.body.id } });
      expect(event).toMatchObject({ actorId: p.id, targetType: "token", targetLabel: `${p.name}/automation-${role}`, data: { personal: true } });
      expect(await everything()).not.toContain(res.body.token);
      expect(await db().apiToken.findUniqueOrThrow({ where: { id: res.body.id }, omit: { tokenHash: false } })).toMatchObject({
        tokenHash: sha256(res.body.token),
        createdById: p.id,
      });
    },
  );

  it("nobody mints a token for another person, not even an admin (403, nothing written)", async () => {
    const robot = await serviceAccount("admin");
    for (const [auth, target] of [
      [admin(), ctx.users.auditor.id],
      [session(ctx.users.admin), ctx.users.publisher.id],
      [token(ctx.users.approver), ctx.users.admin.id],
      [bearer(robot.token), ctx.users.approver.id],
    ] as const) {
      const before = await counts();
      const res = await create({ userId: target, name: "impersonation" }, auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(NOT_FOR_OTHERS);
      expect(await counts()).toEqual(before);
    }
  });

  it("service accounts' tokens need tokens.manage; their own included", async () => {
    const sa = await serviceAccount("publisher");
    const ok = await create({ userId: sa.id, name: "deploy", expiresInDays: 30 }, admin());
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ userId: sa.id, userKind: "service", createdBy: { id: ctx.users.admin.id, name: "Admin User" } });
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: ok.body.id } })).toMatchObject({ data: { personal: false } });
    const before = await counts();
    for (const auth of [token(ctx.users.approver), session(ctx.users.auditor), bearer(sa.token)]) {
      const res = await create({ userId: sa.id, name: "sneaky" }, auth);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(NEEDS_MANAGE);
    }
    // a service account without tokens.manage cannot mint its own successors either
    const self = await create({ name: "successor" }, bearer(sa.token));
    expect(self.body).toEqual(NEEDS_MANAGE);
    expect(await counts()).toEqual(before);
    // an admin service account may
    const robot = await serviceAccount("admin");
    expect((await create({ name: "rotation" }, bearer(robot.token))).status).toBe(201);
  });

  it("an unknown owner is a 422; a disabled service account a 409", async () => {
    const before = await counts();
    const unknown = await create({ userId: "no-such-user", name: "x" });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual(apiError("validation_failed", "Invalid userId", [{ field: "userId", message: "no such user" }]));
    const off = await insertUser({ kind: "service", role: "auditor", disabled: true });
    const disabled = await create({ userId: off.id, name: "x" });
    expect(disabled.status).toBe(409);
    expect(disabled.body).toEqual(apiError("conflict", `${off.name} is disabled; enable it before issuing tokens`));
    expect(await counts()).toEqual({ ...before, users: before.users + 1 });
  });

  it("expiresInDays is honoured up to tokenMaxLifetimeDays; beyond is a 422 naming it", async () => {
    const start = Date.now();
    const week = await create({ name: "week", expiresInDays: 7 });
    expect(Date.parse(week.body.expiresAt)).toBeGreaterThanOrEqual(start + 7 * DAY);
    expect(Date.parse(week.body.expiresAt)).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    expect((await create({ name: "year", expiresInDays: 365 })).status).toBe(201);
    const before = await counts();
    for (const [json, message] of [
      [{ name: "too long", expiresInDays: 366 }, "must be at most 365 (the maximum token lifetime)"],
      [{ name: "zero", expiresInDays: 0 }, "must be at least 1"],
      [{ name: "half", expiresInDays: 0.5 }, "must be a whole number of days"],
    ] as const) {
      const res = await create(json);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(apiError("validation_failed", "Invalid expiresInDays", [{ field: "expiresInDays", message }]));
    }
    expect(await counts()).toEqual(before);
    // the limits are settings
    await setSetting("tokenMaxLifetimeDays", 30);
    await setSetting("tokenDefaultLifetimeDays", 10);
    try {
      const refused = await create({ name: "month and a day", expiresInDays: 31 });
      expect(refused.body).toEqual(
        apiError("validation_failed", "Invalid expiresInDays", [{ field: "expiresInDays", message: "must be at most 30 (the maximum token lifetime)" }]),
      );
      const byDefault = await create({ name: "default" });
      expect(Math.round((Date.parse(byDefault.body.expiresAt) - Date.now()) / DAY)).toBe(10);
    } finally {
      await db().setting.deleteMany({ where: { key: { in: ["settings.tokenMaxLifetimeDays", "settings.tokenDefaultLifetimeDays"] } } });
    }
  });

  it("the expiry is honoured: once past, the token is refused", async () => {
    const res = await create({ name: "short-lived", expiresInDays: 1 }, token(ctx.users.approver));
    expect((await me(bearer(res.body.token))).status).toBe(200);
    await db().apiToken.update({ where: { id: res.body.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const after = await me(bearer(res.body.token));
    expect(after.status).toBe(401);
    expect(after.body).toEqual(apiError("unauthenticated", "Invalid, expired or revoked token"));
  });

  it("expiresSoon flags live tokens expiring within tokenExpiryWarningDays; ?expiring=true lists them", async () => {
    const owner = await insertUser({ role: "auditor" });
    const now = Date.now();
    const soon = await insertToken(owner.id, { name: "soon", expiresAt: new Date(now + 3 * DAY) });
    const later = await insertToken(owner.id, { name: "later", expiresAt: new Date(now + 30 * DAY) });
    const gone = await insertToken(owner.id, { name: "expired", expiresAt: new Date(now - DAY) });
    const revoked = await insertToken(owner.id, { name: "revoked", expiresAt: new Date(now + 2 * DAY), revokedAt: new Date() });
    const never = await insertToken(owner.id, { name: "never" });
    const res = await list({ userId: owner.id, limit: "100" });
    expect(res.status).toBe(200);
    const flags = Object.fromEntries(res.body.items.map((t: { name: string; expiresSoon: boolean }) => [t.name, t.expiresSoon]));
    expect(flags).toEqual({ soon: true, later: false, expired: false, revoked: false, never: false });
    for (const t of res.body.items) expect(Object.keys(t).sort()).toEqual(TOKEN_KEYS);
    const expiring = await list({ userId: owner.id, expiring: "true" });
    expect(expiring.body.items.map((t: { id: string }) => t.id)).toEqual([soon.row.id]);
    await setSetting("tokenExpiryWarningDays", 60);
    try {
      const wider = await list({ userId: owner.id, expiring: "true" });
      expect(wider.body.items.map((t: { id: string }) => t.id).sort()).toEqual([soon.row.id, later.row.id].sort());
    } finally {
      await db().setting.delete({ where: { key: "settings.tokenExpiryWarningDays" } });
    }
    expect([gone, revoked, never].every((t) => !expiring.body.items.some((i: { id: string }) => i.id === t.row.id))).toBe(true);
    const all = await list({ userId: owner.id, expiring: "false", limit: "100" });
    expect(all.body.items).toHaveLength(5);
  });

  it("GET /api/v1/tokens needs users.read: auditors and approvers read, publishers may not", async () => {
    for (const role of ["admin", "approver", "auditor"] as const) expect((await list({}, token(ctx.users[role]))).status).toBe(200);
    const res = await list({}, token(ctx.users.publisher));
    expect(res.status).toBe(403);
    expect(res.body).toEqual(apiError("forbidden", "This needs the users.read permission"));
  });

  it.each([
    ["expiring", "yes", "query.expiring", "must be true or false"],
    ["limit", "0x10", "query.limit", "must be a whole number written in decimal"],
    ["userId", "a b", "query.userId", "is not a valid id"],
    ["q", "\u0007", "query.q", "must not contain control characters"],
  ])("?%s=%j is a 422 naming %s", async (key, value, field, message) => {
    const res = await list({ [key]: value });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", `Invalid ${field}`, [{ field, message }]));
  });

  it("GET /api/v1/me/tokens lists the caller's own tokens only, for every role", async () => {
    for (const role of ROLES) {
      const p = ctx.users[role];
      const created = await create({ name: `mine-${uid()}` }, token(p));
      for (const auth of [token(p), session(p)]) {
        const res = await mine(auth, { limit: "100" });
        expect(res.status).toBe(200);
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(Object.keys(res.body).sort()).toEqual(["items", "nextCursor"]);
        expect(res.body.items.length).toBeGreaterThan(0);
        expect(res.body.items.every((t: { userId: string }) => t.userId === p.id)).toBe(true);
        expect(res.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
        expect(JSON.stringify(res.body)).not.toMatch(/tokenHash|"token"/);
      }
      expect((await mine(token(p), { q: created.body.name })).body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    }
    const anonymous = await mine(null);
    expect(anonymous.status).toBe(401);
    // the owner is always the caller: another userId is not honoured
    const other = await mine(token(ctx.users.auditor), { userId: ctx.users.admin.id, limit: "100" });
    expect(other.status).toBe(200);
    expect(other.body.items.every((t: { userId: string }) => t.userId === ctx.users.auditor.id)).toBe(true);
  });

  it("everyone revokes their own tokens; others' need tokens.manage", async () => {
    const p = ctx.users.publisher;
    const own = await create({ name: "own" }, token(p));
    const before = await counts();
    const res = await revoke(own.body.id, session(p));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: own.body.id, revokedAt: expect.stringMatching(ISO), expiresSoon: false });
    expect(res.body).not.toHaveProperty("token");
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    expect((await me(bearer(own.body.token))).status).toBe(401);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "token.revoke", targetId: own.body.id } });
    expect(event).toMatchObject({ actorId: p.id, before: { revokedAt: null }, after: { revokedAt: res.body.revokedAt } });

    const others = await create({ name: "approver's" }, token(ctx.users.approver));
    const sa = await serviceAccount("auditor");
    const saToken = await create({ userId: sa.id, name: "svc" });
    for (const id of [others.body.id, saToken.body.id]) {
      const snapshot = await counts();
      for (const who of [ctx.users.publisher, ctx.users.auditor]) {
        const refused = await revoke(id, token(who));
        expect(refused.status).toBe(403);
        expect(refused.body).toEqual(NEEDS_MANAGE);
      }
      expect(await counts()).toEqual(snapshot);
      expect((await db().apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
      expect((await revoke(id, admin())).status).toBe(200);
    }
    const again = await revoke(own.body.id, token(p));
    expect(again.status).toBe(409);
    expect(again.body).toEqual(apiError("conflict", "Token is already revoked"));
    const missing = await revoke("no-such-token", token(p));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(apiError("not_found", "Token no-such-token not found"));
  });

  it("GET /api/v1/tokens shows prefixes and last use, never a token or its hash, and pages", async () => {
    const { token: t, row } = await insertToken(ctx.users.auditor.id, { name: `listed-${uid()}` });
    await me(bearer(t));
    await expect.poll(async () => (await db().apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    const res = await list({ q: row.name });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: row.id, prefix: row.prefix, userName: "Auditor User", lastUsedAt: expect.stringMatching(ISO), revokedAt: null, createdBy: null }),
    ]);
    const all = await list({ limit: "100" });
    const text = JSON.stringify(all.body);
    expect(text).not.toMatch(/tokenHash|"token"/);
    expect(text).not.toContain(t);
    expect(await list({ q: row.prefix })).toMatchObject({ body: { items: [expect.objectContaining({ id: row.id })] } });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list({ limit: "2", ...(cursor ? { cursor } : {}) });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(new Set(seen).size).toBe(await db().apiToken.count());
  });

  it("token search takes LIKE wildcards literally", async () => {
    const owner = await insertUser({ role: "auditor" });
    const tag = uid();
    const pct = await insertToken(owner.id, { name: `100% ${tag}` });
    const under = await insertToken(owner.id, { name: `ci_${tag}` });
    await insertToken(owner.id, { name: `plain ${tag}` });
    const ids = async (q: string) => (await list({ q, userId: owner.id, limit: "100" })).body.items.map((i: { id: string }) => i.id);
    expect(await ids("%")).toEqual([pct.row.id]);
    expect(await ids(`ci_${tag}`)).toEqual([under.row.id]);
    expect(await ids(`ci%${tag}`)).toEqual([]);
  });
});
