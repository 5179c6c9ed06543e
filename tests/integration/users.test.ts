import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/signin";
import { counts, describeEngines, insertToken, insertUser, sessionCookieFor, uid, useTestDatabase, type Principal } from "../helpers/context";
import { breakAuditInserts } from "../helpers/database";
import { apiError, bearer, call, session, token, type Auth } from "../helpers/http";
import { route } from "../helpers/routes";

// People: created by an admin with a hashed password, changed and disabled with immediate effect,
// guarded against locking everyone out, and every change audited in the same transaction.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const USER_KEYS = ["createdAt", "disabled", "email", "id", "kind", "lastLoginAt", "name", "role", "sso"];

describeEngines("users", (engine) => {
  const ctx = useTestDatabase(engine);
  const admin = () => token(ctx.users.admin);
  const patch = (id: string, json: unknown, auth: Auth = admin()) =>
    call(route("PATCH", "/api/v1/users/[id]"), "PATCH", `/api/v1/users/${id}`, { auth, params: { id }, json });
  const auditEventsCanBeRead = async (auth: Auth) => (await call(route("GET", "/api/v1/audit-events"), "GET", "/x", { auth })).status;

  /** A person with a token and a session cookie, made directly in the database. */
  async function person(role: Principal["role"]): Promise<Principal> {
    const u = await insertUser({ role });
    const t = await insertToken(u.id);
    return { role, id: u.id, email: u.email!, name: u.name, token: t.token, tokenId: t.row.id, cookie: await sessionCookieFor(u.id) };
  }

  it("creates a user: 201, e-mail lower-cased, password hashed with scrypt and never returned", async () => {
    const before = await counts();
    const res = await call(route("POST", "/api/v1/users"), "POST", "/api/v1/users", {
      auth: admin(),
      json: { email: "New.Person@Example.COM", name: "  New Person  ", role: "approver", password: "a long enough password" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), kind: "human", email: "new.person@example.com", name: "New Person", role: "approver", disabled: false, sso: false, createdAt: expect.stringMatching(ISO), lastLoginAt: null });
    expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
    expect(await counts()).toEqual({ ...before, users: before.users + 1, auditEvents: before.auditEvents + 1 });

    const row = await db().user.findUniqueOrThrow({ where: { id: res.body.id }, omit: { passwordHash: false } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("a long enough password", row.passwordHash)).toBe(true);
    expect(row.createdById).toBe(ctx.users.admin.id);
    // and the person can sign in with it
    expect(await signInWithPassword("NEW.PERSON@example.com", "a long enough password")).toEqual({ ok: true, userId: res.body.id });

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: res.body.id } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, actorType: "user", actorLabel: "admin@test.local", targetType: "user", targetLabel: "new.person@example.com", before: null });
    expect(event.after).toEqual(res.body);
  });

  it("the API never shows a password hash: not on create, update or list", async () => {
    const created = await call(route("POST", "/api/v1/users"), "POST", "/x", {
      auth: admin(),
      json: { email: `nohash-${uid()}@test.local`, name: "N", role: "auditor", password: "a long enough password" },
    });
    const updated = await patch(created.body.id, { password: "another long password" });
    const list = await call(route("GET", "/api/v1/users"), "GET", "/x", { auth: admin(), query: { limit: "100" } });
    for (const body of [created.body, updated.body, ...list.body.items]) expect(Object.keys(body).sort()).toEqual(USER_KEYS);
    expect(JSON.stringify([created.body, updated.body, list.body])).not.toContain("scrypt$");
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.update", targetId: created.body.id } });
    expect(JSON.stringify(event.after)).not.toContain("scrypt$");
    expect(event.after).toMatchObject({ passwordChanged: true });
  });

  it("a duplicate e-mail (in any case) is a 409 and writes nothing", async () => {
    const before = await counts();
    const res = await call(route("POST", "/api/v1/users"), "POST", "/x", {
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
      [0, 1, 2].map(() => call(route("POST", "/api/v1/users"), "POST", "/x", { auth: admin(), json: { email, name: "R", role: "auditor", password: "a long enough password" } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe("conflict");
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("a role change takes effect on the very next request, with the same cookie and token", async () => {
    const p = await person("publisher");
    for (const auth of [session(p), token(p)]) expect(await auditEventsCanBeRead(auth)).toBe(403);
    expect((await patch(p.id, { role: "auditor" })).status).toBe(200);
    for (const auth of [session(p), token(p)]) {
      expect(await auditEventsCanBeRead(auth)).toBe(200);
      expect((await call(route("GET", "/api/v1/me"), "GET", "/x", { auth })).body.role).toBe("auditor");
    }
    expect((await patch(p.id, { role: "publisher" })).status).toBe(200);
    for (const auth of [session(p), token(p)]) expect(await auditEventsCanBeRead(auth)).toBe(403);
  });

  it("disabling takes effect at once for cookie and token; enabling restores access", async () => {
    const p = await person("approver");
    const before = await counts();
    const res = await patch(p.id, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.id, disabled: true });
    for (const auth of [session(p), token(p)]) {
      const r = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth });
      expect(r.status).toBe(401);
    }
    expect(await signInWithPassword(p.email, "correct horse battery staple")).toEqual({ ok: false, reason: "invalid" });
    expect((await patch(p.id, { disabled: false })).status).toBe(200);
    for (const auth of [session(p), token(p)]) expect((await call(route("GET", "/api/v1/me"), "GET", "/x", { auth })).status).toBe(200);
    const events = await db().auditEvent.findMany({ where: { targetId: p.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["user.disable", "user.enable"]);
    expect(events[0].before).toMatchObject({ disabled: false });
    expect(events[0].after).toMatchObject({ disabled: true });
    expect((await counts()).auditEvents).toBe(before.auditEvents + 2 + 0);
  });

  it("nobody can disable themselves or change their own role (409); their name they may change", async () => {
    const me = ctx.users.admin;
    for (const body of [{ disabled: true }, { role: "auditor" }, { name: "x", role: "approver" }]) {
      const before = await counts();
      const res = await patch(me.id, body, session(me));
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", "You cannot disable yourself or change your own role"));
      expect(await counts()).toEqual(before);
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: me.id } })).role).toBe("admin");
    const renamed = await patch(me.id, { name: "Admin User", role: "admin" }, session(me));
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

  it("an SSO user's password cannot be set (422) and nothing changes", async () => {
    const u = await db().user.create({ data: { email: `sso-${uid()}@test.local`, name: "SSO", role: "auditor", ssoIssuer: "https://idp", ssoSubject: uid() } });
    const before = await counts();
    const res = await patch(u.id, { password: "a long enough password" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "SSO users sign in through the identity provider", [{ field: "password", message: "cannot be set for an SSO user" }]));
    expect(await counts()).toEqual(before);
  });

  it("each change writes exactly one audit event with before and after", async () => {
    const p = await person("publisher");
    const changes: [Record<string, unknown>, string, Record<string, unknown>, Record<string, unknown>][] = [
      [{ name: "Pat Renamed" }, "user.update", { name: p.name }, { name: "Pat Renamed" }],
      [{ role: "auditor" }, "user.update", { role: "publisher" }, { role: "auditor" }],
      [{ disabled: true }, "user.disable", { disabled: false }, { disabled: true }],
      [{ disabled: false, role: "approver" }, "user.enable", { disabled: true, role: "auditor" }, { disabled: false, role: "approver" }],
    ];
    for (const [body, action, before, after] of changes) {
      const seqBefore = (await db().auditEvent.findFirst({ orderBy: { seq: "desc" } }))?.seq ?? 0n;
      expect((await patch(p.id, body)).status).toBe(200);
      const events = await db().auditEvent.findMany({ where: { seq: { gt: seqBefore } } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action, targetType: "user", targetId: p.id, actorId: ctx.users.admin.id });
      expect(events[0].before).toMatchObject(before);
      expect(events[0].after).toMatchObject(after);
    }
  });

  it("a change whose audit event cannot be written does not happen (one transaction)", async () => {
    const p = await person("publisher");
    const row = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    const before = await counts();
    const restore = await breakAuditInserts(ctx.url);
    try {
      for (const body of [{ role: "admin" }, { disabled: true }]) {
        const res = await patch(p.id, body);
        expect(res.status).toBe(500);
        expect(res.body).toEqual(apiError("internal", "Internal server error"));
      }
      const created = await call(route("POST", "/api/v1/users"), "POST", "/x", {
        auth: admin(),
        json: { email: `unaudited-${uid()}@test.local`, name: "U", role: "admin", password: "a long enough password" },
      });
      expect(created.status).toBe(500);
    } finally {
      await restore();
    }
    expect(await counts()).toEqual(before);
    expect(await db().user.findUniqueOrThrow({ where: { id: p.id } })).toEqual(row);
  });

  it("GET /api/v1/users lists people only, newest first, in pages", async () => {
    await insertUser({ kind: "service", role: "admin", name: `svc-hidden-${uid()}` });
    const all = await call(route("GET", "/api/v1/users"), "GET", "/x", { auth: admin(), query: { limit: "100" } });
    expect(all.status).toBe(200);
    expect(all.body.items.every((u: { kind: string }) => u.kind === "human")).toBe(true);
    expect(all.body.items).toHaveLength(await db().user.count({ where: { kind: "human" } }));
    const created = all.body.items.map((u: { createdAt: string }) => Date.parse(u.createdAt));
    expect(created).toEqual([...created].sort((a: number, b: number) => b - a));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(route("GET", "/api/v1/users"), "GET", "/x", {
        auth: admin(),
        query: { limit: "3", ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((u: { id: string }) => u.id));
  });

  it.each([
    ["part of an e-mail", "auditor@"],
    ["an e-mail in capitals", "AUDITOR@TEST"],
    ["a name in lower case", "auditor user"],
    ["a name in capitals", "AUDITOR USER"],
    ["a name as written", "Auditor User"],
  ])("search finds a person by %s, the same on both engines", async (_label, q) => {
    const res = await call(route("GET", "/api/v1/users"), "GET", "/x", { auth: admin(), query: { q } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([ctx.users.auditor.id]);
  });
});
