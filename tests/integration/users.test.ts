import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/signin";
import * as unlockRoute from "@/app/api/v1/users/[id]/unlock/route";
import * as sessionsRoute from "@/app/api/v1/users/[id]/sessions/route";
import { counts, describeEngines, insertToken, insertUser, sessionCookieFor, uid, useTestDatabase, type Principal } from "../helpers/context";
import { breakAuditInserts } from "../helpers/database";
import { apiError, bearer, call, session, token, type Auth, type Handler } from "../helpers/http";
import { route } from "../helpers/routes";

// People: created by an admin with a hashed password, changed and disabled with immediate effect,
// guarded against locking everyone out (also when two admins act at once), every kind of change
// its own audit event in the same transaction, and no credential surviving a disable.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const USER_KEYS = ["createdAt", "createdBy", "disabled", "email", "id", "kind", "lastLoginAt", "locked", "lockedUntil", "mustChangePassword", "name", "role", "sso"];
const SEED_PASSWORD = "correct horse battery staple";

/** A failed request in the error shape (any error status). */
function expectRefused(res: { status: number; body: { error?: { code?: unknown } } }) {
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  expect(res.body.error?.code).toEqual(expect.any(String));
}

describeEngines("users", (engine) => {
  const ctx = useTestDatabase(engine);
  const admin = () => token(ctx.users.admin);
  const patch = (id: string, json: unknown, auth: Auth = admin()) =>
    call(route("PATCH", "/api/v1/users/[id]"), "PATCH", `/api/v1/users/${id}`, { auth, params: { id }, json });
  const list = (query: Record<string, string>, auth: Auth = admin()) => call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth, query });
  const unlock = (id: string, auth: Auth = admin()) =>
    call(unlockRoute.POST as Handler, "POST", `/api/v1/users/${id}/unlock`, { auth, params: { id } });
  const endSessions = (id: string, auth: Auth = admin()) =>
    call(sessionsRoute.DELETE as Handler, "DELETE", `/api/v1/users/${id}/sessions`, { auth, params: { id } });
  const me = (auth: Auth) => call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth });
  const auditEventsCanBeRead = async (auth: Auth) => (await call(route("GET", "/api/v1/audit-events"), "GET", "/api/v1/audit-events", { auth })).status;
  const lastSeq = async () => (await db().auditEvent.findFirst({ orderBy: { seq: "desc" } }))?.seq ?? 0n;
  const eventsSince = (seq: bigint) => db().auditEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: "asc" } });

  /** A person with a token and a session cookie, made directly in the database. */
  async function person(role: Principal["role"], name?: string): Promise<Principal> {
    const u = await insertUser({ role, name });
    const t = await insertToken(u.id);
    return { role, id: u.id, email: u.email!, name: u.name, token: t.token, tokenId: t.row.id, cookie: await sessionCookieFor(u.id) };
  }

  /** Records `n` failed sign-ins for an e-mail from one address, as sign-in would. */
  async function failSignIns(email: string, n = 5, address = "203.0.113.7") {
    const now = Date.now();
    await db().loginFailure.createMany({ data: Array.from({ length: n }, (_, i) => ({ email, address, at: new Date(now - i * 1000) })) });
  }

  it("creates a user: 201, e-mail lower-cased, password hashed, must be changed at first sign-in", async () => {
    const before = await counts();
    const res = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", {
      auth: admin(),
      json: { email: "New.Person@Example.COM", name: "  New Person  ", role: "approver", password: "a long enough password" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: "human",
      email: "new.person@example.com",
      name: "New Person",
      role: "approver",
      disabled: false,
      sso: false,
      mustChangePassword: true,
      createdAt: expect.stringMatching(ISO),
      lastLoginAt: null,
      locked: false,
      lockedUntil: null,
      createdBy: { id: ctx.users.admin.id, name: "Admin User" },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/"password|scrypt|sessionVersion/i);
    expect(await counts()).toEqual({ ...before, users: before.users + 1, auditEvents: before.auditEvents + 1 });

    const row = await db().user.findUniqueOrThrow({ where: { id: res.body.id }, omit: { passwordHash: false } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("a long enough password", row.passwordHash)).toBe(true);
    expect(row).toMatchObject({ createdById: ctx.users.admin.id, mustChangePassword: true });
    // and the person can sign in with it
    expect(await signInWithPassword("NEW.PERSON@example.com", "a long enough password")).toMatchObject({ ok: true, userId: res.body.id });

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: res.body.id } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, actorType: "user", actorLabel: "admin@test.local", targetType: "user", targetLabel: "new.person@example.com", before: null });
    // the audit record is the user without the live fields (lockout, creator's name)
    expect(event.after).toEqual(Object.fromEntries(Object.entries(res.body).filter(([k]) => !["locked", "lockedUntil", "createdBy"].includes(k))));
  });

  it("the API never shows a password hash or session version: not on create, update or list", async () => {
    const created = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", {
      auth: admin(),
      json: { email: `nohash-${uid()}@test.local`, name: "N", role: "auditor", password: "a long enough password" },
    });
    const updated = await patch(created.body.id, { password: "another long password" });
    const listed = await list({ limit: "100" });
    for (const body of [created.body, updated.body, ...listed.body.items]) expect(Object.keys(body).sort()).toEqual(USER_KEYS);
    expect(JSON.stringify([created.body, updated.body, listed.body])).not.toMatch(/scrypt\$|sessionVersion|passwordHash/);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_reset", targetId: created.body.id } });
    expect(JSON.stringify([event.before, event.after, event.data])).not.toContain("scrypt$");
    expect(event.after).toEqual({ mustChangePassword: true });
  });

  it("a duplicate e-mail (in any case) is a 409 and writes nothing", async () => {
    const before = await counts();
    const res = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", {
      auth: admin(),
      json: { email: "PUBLISHER@test.local", name: "Dup", role: "admin", password: "a long enough password" },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "A user with e-mail publisher@test.local already exists", [{ field: "email", message: "already in use" }]));
    expect(await counts()).toEqual(before);
  });

  it("concurrent creates with one e-mail make exactly one user", async () => {
    const email = `race-${uid()}@test.local`;
    const results = await Promise.all(
      [0, 1, 2].map(() => call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", { auth: admin(), json: { email, name: "R", role: "auditor", password: "a long enough password" } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe("conflict");
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("a role change applies to the person's tokens at once and ends their sessions", async () => {
    const p = await person("publisher");
    for (const auth of [session(p), token(p)]) expect(await auditEventsCanBeRead(auth)).toBe(403);
    expect((await patch(p.id, { role: "auditor" })).status).toBe(200);
    expect(await auditEventsCanBeRead(token(p))).toBe(200);
    expect((await me(token(p))).body.role).toBe("auditor");
    expect((await me(session(p))).status).toBe(401);
    // a new sign-in carries the new role
    const fresh = { ...p, cookie: await sessionCookieFor(p.id) };
    expect((await me(session(fresh))).body).toMatchObject({ role: "auditor", via: "session" });
    expect((await patch(p.id, { role: "publisher" })).status).toBe(200);
    expect(await auditEventsCanBeRead(token(p))).toBe(403);
  });

  it("disabling ends sessions and revokes tokens; enabling again revives no old credential", async () => {
    const p = await person("approver");
    const second = await insertToken(p.id);
    const secondCookie = await sessionCookieFor(p.id);
    const before = await counts();
    const res = await patch(p.id, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, disabled: true });
    const old: Auth[] = [session(p), token(p), bearer(second.token), { headers: { cookie: secondCookie } }];
    for (const auth of old) expect((await me(auth)).status).toBe(401);
    expect(await signInWithPassword(p.email, SEED_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect((await db().apiToken.findMany({ where: { userId: p.id } })).every((t) => t.revokedAt !== null)).toBe(true);
    expect(await db().userSession.count({ where: { userId: p.id, revokedAt: null } })).toBe(0);

    expect((await patch(p.id, { disabled: false })).status).toBe(200);
    for (const auth of old) {
      const r = await me(auth);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("unauthenticated");
    }
    // only new credentials work: a fresh sign-in
    expect(await signInWithPassword(p.email, SEED_PASSWORD)).toMatchObject({ ok: true, userId: p.id });
    expect((await me({ headers: { cookie: await sessionCookieFor(p.id) } })).status).toBe(200);

    const events = await db().auditEvent.findMany({ where: { targetId: p.id, action: { startsWith: "user." } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["user.disable", "user.enable"]);
    expect(events[0].before).toEqual({ disabled: false });
    expect(events[0].after).toEqual({ disabled: true, sessionsEnded: 2, tokensRevoked: 2 });
    expect(events[1].before).toEqual({ disabled: true });
    expect(events[1].after).toEqual({ disabled: false });
    expect((await counts()).auditEvents).toBeGreaterThanOrEqual(before.auditEvents + 2);
  });

  it("an admin's password reset ends the person's sessions and requires a change at next sign-in", async () => {
    const p = await person("auditor");
    expect((await me(session(p))).status).toBe(200);
    const res = await patch(p.id, { password: "a brand new password" });
    expect(res.status).toBe(200);
    expect(res.body.mustChangePassword).toBe(true);
    expect((await me(session(p))).status).toBe(401);
    // tokens are the person's own automation: a reset does not revoke them
    expect((await me(token(p))).status).toBe(200);
    const row = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    expect(row.mustChangePassword).toBe(true);
    expect(row.sessionVersion).toBe(1);
  });

  it("nobody can disable themselves or change their own role (409); their name they may change", async () => {
    const self = ctx.users.admin;
    for (const body of [{ disabled: true }, { role: "auditor" }, { name: "x", role: "approver" }]) {
      const before = await counts();
      const res = await patch(self.id, body, token(self));
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", "You cannot disable yourself or change your own role"));
      expect(await counts()).toEqual(before);
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: self.id } })).role).toBe("admin");
    const renamed = await patch(self.id, { name: "Admin User", role: "admin" }, token(self));
    expect(renamed.status).toBe(200);
  });

  it("the last active admin cannot be demoted or disabled, even by an admin service account", async () => {
    // only one human admin: the seeded one
    await db().user.updateMany({ where: { kind: "human", role: "admin", id: { not: ctx.users.admin.id } }, data: { disabled: true } });
    expect(await db().user.count({ where: { kind: "human", role: "admin", disabled: false } })).toBe(1);
    const robot = await insertUser({ kind: "service", role: "admin" });
    const { token: robotToken } = await insertToken(robot.id);
    const target = await db().user.findUniqueOrThrow({ where: { id: ctx.users.admin.id } });
    for (const body of [{ role: "approver" }, { disabled: true }, { role: "auditor", disabled: true }]) {
      const before = await counts();
      const res = await patch(ctx.users.admin.id, body, bearer(robotToken));
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", "This is the last active admin; make another admin first"));
      expect(await counts()).toEqual(before);
      expect(await db().user.findUniqueOrThrow({ where: { id: ctx.users.admin.id } })).toEqual(target);
    }
    // with a second admin, the first may be demoted
    const second = await person("admin");
    expect((await patch(ctx.users.admin.id, { role: "approver" }, bearer(robotToken))).status).toBe(200);
    expect((await patch(ctx.users.admin.id, { role: "admin" }, token(second))).status).toBe(200);
  });

  it.each([
    ["demote", { role: "approver" }],
    ["disable", { disabled: true }],
  ])("two admins who %s each other at once leave one admin (the guard holds under concurrency)", async (_label, change) => {
    // Exactly two active human admins, A and B; each acts on the other in parallel, several times.
    for (let round = 0; round < 5; round++) {
      const a = await person("admin");
      const b = await person("admin");
      await db().user.updateMany({ where: { kind: "human", role: "admin", id: { notIn: [a.id, b.id] } }, data: { disabled: true } });
      const results = await Promise.all([patch(b.id, change, token(a)), patch(a.id, change, token(b))]);
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body).toEqual(apiError("conflict", "This is the last active admin; make another admin first"));
      expect(await db().user.count({ where: { kind: "human", role: "admin", disabled: false } })).toBe(1);
    }
    // leave the seeded admin in charge for the tests that follow
    await db().user.update({ where: { id: ctx.users.admin.id }, data: { disabled: false, role: "admin" } });
  });

  it("an SSO user's password cannot be set (422) and nothing changes", async () => {
    const u = await db().user.create({ data: { email: `sso-${uid()}@test.local`, name: "SSO", role: "auditor", ssoIssuer: "https://idp", ssoSubject: uid() } });
    const before = await counts();
    const res = await patch(u.id, { password: "a long enough password" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "SSO users sign in through the identity provider", [{ field: "password", message: "cannot be set for an SSO user" }]));
    expect(await counts()).toEqual(before);
  });

  it("each kind of change is its own audit action; only what changed is logged", async () => {
    const p = await person("publisher", `Pat ${uid()}`);
    const cases: [Record<string, unknown>, { action: string; before: unknown; after: unknown; data?: unknown }[]][] = [
      [{ name: "Pat Renamed" }, [{ action: "user.rename", before: { name: p.name }, after: { name: "Pat Renamed" } }]],
      [
        { role: "admin", disabled: false, reason: "on call this quarter" },
        [{ action: "user.role_change", before: { role: "publisher" }, after: { role: "admin" }, data: { reason: "on call this quarter" } }],
      ],
      [{ role: "admin", name: "Pat Renamed" }, []],
      [{ disabled: true }, [{ action: "user.disable", before: { disabled: false }, after: { disabled: true, sessionsEnded: 0, tokensRevoked: 1 } }]],
      [
        { disabled: false, role: "approver", name: "Pat Again", password: "a fresh long password" },
        [
          { action: "user.rename", before: { name: "Pat Renamed" }, after: { name: "Pat Again" } },
          { action: "user.role_change", before: { role: "admin" }, after: { role: "approver" } },
          { action: "user.enable", before: { disabled: true }, after: { disabled: false } },
          { action: "user.password_reset", before: { mustChangePassword: false }, after: { mustChangePassword: true } },
        ],
      ],
    ];
    for (const [body, expected] of cases) {
      const seq = await lastSeq();
      const res = await patch(p.id, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const events = await eventsSince(seq);
      expect(events.map((e) => ({ action: e.action, before: e.before, after: e.after, ...(e.data ? { data: e.data } : {}) }))).toEqual(expected);
      for (const e of events) expect(e).toMatchObject({ targetType: "user", targetId: p.id, actorId: ctx.users.admin.id });
    }
  });

  it("a reason is bounded safe text (422 naming it) and alone is not a change", async () => {
    const p = await person("auditor");
    const before = await counts();
    for (const [body, field, message] of [
      [{ role: "approver", reason: "x".repeat(501) }, "reason", "must be at most 500 characters"],
      [{ role: "approver", reason: "bad\u0000byte" }, "reason", "must not contain control characters"],
      [{ reason: "just because" }, "(body)", "send at least one of name, role, disabled, password"],
    ] as const) {
      const res = await patch(p.id, body);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ field, message }]);
    }
    expect(await counts()).toEqual(before);
    expect((await db().user.findUniqueOrThrow({ where: { id: p.id } })).role).toBe("auditor");
  });

  it("a change whose audit event cannot be written does not happen (one transaction)", async () => {
    const p = await person("publisher");
    const row = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    const tokenRow = await db().apiToken.findUniqueOrThrow({ where: { id: p.tokenId } });
    const before = await counts();
    const restore = await breakAuditInserts(ctx.url);
    try {
      for (const body of [{ role: "admin" }, { disabled: true }, { password: "a long enough password" }]) {
        // How a failing audit insert is reported is the error mapper's business (lib/api/errors.ts);
        // here it matters that the request fails and nothing of it is kept.
        expectRefused(await patch(p.id, body));
      }
      const created = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", {
        auth: admin(),
        json: { email: `unaudited-${uid()}@test.local`, name: "U", role: "admin", password: "a long enough password" },
      });
      expectRefused(created);
    } finally {
      await restore();
    }
    expect(await counts()).toEqual(before);
    expect(await db().user.findUniqueOrThrow({ where: { id: p.id } })).toEqual(row);
    expect(await db().apiToken.findUniqueOrThrow({ where: { id: p.tokenId } })).toEqual(tokenRow);
    expect((await me(session(p))).status).toBe(200);
  });

  it("GET /api/v1/users lists people only, newest first, in pages", async () => {
    await insertUser({ kind: "service", role: "admin", name: `svc-hidden-${uid()}` });
    const all = await list({ limit: "100" });
    expect(all.status).toBe(200);
    expect(all.body.items.every((u: { kind: string }) => u.kind === "human")).toBe(true);
    expect(all.body.items).toHaveLength(await db().user.count({ where: { kind: "human" } }));
    const created = all.body.items.map((u: { createdAt: string }) => Date.parse(u.createdAt));
    expect(created).toEqual([...created].sort((a: number, b: number) => b - a));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list({ limit: "3", ...(cursor ? { cursor } : {}) });
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((u: { id: string }) => u.id));
  });

  it("auditors and approvers may read the list (users.read); publishers may not; only admins change", async () => {
    for (const role of ["auditor", "approver"] as const) expect((await list({}, token(ctx.users[role]))).status).toBe(200);
    const refused = await list({}, token(ctx.users.publisher));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(apiError("forbidden", "This needs the users.read permission"));
    const p = await person("publisher");
    const before = await counts();
    for (const role of ["auditor", "approver"] as const) {
      const res = await patch(p.id, { role: "admin" }, token(ctx.users[role]));
      expect(res.body).toEqual(apiError("forbidden", "This needs the users.manage permission"));
      expect((await unlock(p.id, token(ctx.users[role]))).status).toBe(403);
      expect((await endSessions(p.id, token(ctx.users[role]))).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["part of an e-mail", "auditor@"],
    ["an e-mail in capitals", "AUDITOR@TEST"],
    ["a name in lower case", "auditor user"],
    ["a name in capitals", "AUDITOR USER"],
    ["a name as written", "Auditor User"],
  ])("search finds a person by %s, the same on both engines", async (_label, q) => {
    const res = await list({ q });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([ctx.users.auditor.id]);
  });

  it("search takes LIKE wildcards literally: q=% and q=_ match only names or e-mails containing them", async () => {
    const tag = uid();
    const percent = await insertUser({ name: `Hundred % ${tag}` });
    const underscore = await insertUser({ name: `Snake ${tag}`, email: `snake_${tag}@test.local` });
    const backslash = await insertUser({ name: `Back \\ slash ${tag}` });
    const plain = await insertUser({ name: `Plain ${tag}` });
    const ids = async (q: string) => (await list({ q, limit: "100" })).body.items.map((u: { id: string }) => u.id).sort();
    expect(await ids("%")).toEqual([percent.id]);
    expect(await ids("_")).toEqual([underscore.id]);
    expect(await ids("\\")).toEqual([backslash.id]);
    expect(await ids(`% ${tag}`)).toEqual([percent.id]);
    expect(await ids(`snake_${tag}`)).toEqual([underscore.id]);
    expect(await ids(`snake%${tag}`)).toEqual([]);
    expect(await ids(`plain ${tag}`)).toEqual([plain.id]);
    // pages of a literal search visit every match once
    const more = [await insertUser({ name: `More %% ${tag}` }), await insertUser({ name: `Most % ${tag}` })];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list({ q: "%", limit: "1", ...(cursor ? { cursor } : {}) });
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([percent.id, ...more.map((u) => u.id)].sort());
  });

  it.each([
    ["limit", "0x10", "query.limit", "must be a whole number written in decimal"],
    ["limit", "0", "query.limit", "must be at least 1"],
    ["limit", "101", "query.limit", "must be at most 100"],
    ["q", "a\u0000b", "query.q", "must not contain control characters"],
    ["q", "x".repeat(201), "query.q", "must be at most 200 characters"],
  ])("?%s=%j is a 422 naming %s", async (key, value, field, message) => {
    const res = await list({ [key]: value });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", `Invalid ${field}`, [{ field, message }]));
  });

  it("shows lockout state; an admin unlocks (audited), and unlocking an unlocked person is a 409", async () => {
    const p = await person("publisher");
    await failSignIns(p.email, 5);
    const listed = (await list({ q: p.email })).body.items[0];
    expect(listed).toMatchObject({ id: p.id, locked: true, lockedUntil: expect.stringMatching(ISO) });
    expect(Date.parse(listed.lockedUntil)).toBeGreaterThan(Date.now());
    expect(await signInWithPassword(p.email, SEED_PASSWORD, { client: { address: "203.0.113.7", userAgent: null } })).toMatchObject({ ok: false });

    const before = await counts();
    const res = await unlock(p.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, locked: false, lockedUntil: null });
    expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
    expect(await db().loginFailure.count({ where: { email: p.email } })).toBe(0);
    expect((await counts()).auditEvents).toBe(before.auditEvents + 1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.unlock", targetId: p.id } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, targetType: "user", before: { locked: true, lockedUntil: listed.lockedUntil }, after: { locked: false } });
    expect(await signInWithPassword(p.email, SEED_PASSWORD, { client: { address: "203.0.113.7", userAgent: null } })).toMatchObject({ ok: true });

    const again = await counts();
    const second = await unlock(p.id);
    expect(second.status).toBe(409);
    expect(second.body).toEqual(apiError("conflict", `${p.email} is not locked`));
    expect(await counts()).toEqual(again);
    const missing = await unlock("no-such-user");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(apiError("not_found", "User no-such-user not found"));
  });

  it("two admins unlocking at once: one unlocks, the other gets a 409", async () => {
    const p = await person("auditor");
    await failSignIns(p.email, 5);
    const otherAdmin = await person("admin");
    const results = await Promise.all([unlock(p.id), unlock(p.id, token(otherAdmin))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db().auditEvent.count({ where: { action: "user.unlock", targetId: p.id } })).toBe(1);
  });

  it("DELETE /api/v1/users/{id}/sessions signs the person out everywhere; tokens keep working", async () => {
    const p = await person("approver");
    const other = await sessionCookieFor(p.id);
    const before = await counts();
    const res = await endSessions(p.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, disabled: false });
    expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
    for (const auth of [session(p), { headers: { cookie: other } }]) expect((await me(auth)).status).toBe(401);
    expect((await me(token(p))).status).toBe(200);
    expect((await counts()).auditEvents).toBe(before.auditEvents + 1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.sessions_revoke", targetId: p.id } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, after: { sessionsEnded: 2 } });
    expect((await me({ headers: { cookie: await sessionCookieFor(p.id) } })).status).toBe(200);
    expect((await endSessions("no-such-user")).status).toBe(404);
  });

  it("the dashboard counts locked accounts and tokens expiring soon, for users.read only", async () => {
    const stats = async (auth: Auth = admin()) => (await call(route("GET", "/api/v1/stats"), "GET", "/api/v1/stats", { auth })).body;
    const before = await stats();
    const locked = await person("publisher");
    await failSignIns(locked.email, 5);
    // failures below the limit, or for an e-mail nobody has, lock no account
    await failSignIns((await person("auditor")).email, 4);
    await failSignIns(`nobody-${uid()}@test.local`, 6);
    await insertToken(locked.id, { expiresAt: new Date(Date.now() + 2 * 86_400_000) });
    await insertToken(locked.id, { expiresAt: new Date(Date.now() + 60 * 86_400_000) });
    const after = await stats();
    expect(after.lockedAccounts).toBe(before.lockedAccounts + 1);
    expect(after.tokensExpiringSoon).toBe(before.tokensExpiringSoon + 1);
    for (const role of ["auditor", "approver"] as const) expect(await stats(token(ctx.users[role]))).toMatchObject({ lockedAccounts: after.lockedAccounts });
    expect(await stats(token(ctx.users.publisher))).not.toHaveProperty("lockedAccounts");
    expect((await unlock(locked.id)).status).toBe(200);
    expect((await stats()).lockedAccounts).toBe(before.lockedAccounts);
  });
});
