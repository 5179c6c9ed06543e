import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { authenticate } from "@/lib/auth/authenticate";
import { signOutSession } from "@/lib/auth/sessions";
import { signInWithPassword } from "@/lib/auth/signin";
import { ApiError } from "@/lib/api/errors";
import { encode } from "next-auth/jwt";
import { BASE_URL, SEED_PASSWORD, TEST_AUTH_SECRET } from "../helpers/constants";
import { counts, describeEngines, insertToken, insertUser, sessionCookieFor, sessionIdOf, SESSION_COOKIE, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, buildRequest, call, session, token, type Auth } from "../helpers/http";
import { route } from "../helpers/routes";

// Sessions end server-side: sign-out, sign-out everywhere, password change or reset, disable;
// the forced password change after an admin set the password.

const ME = () => route("GET", "/api/v1/me");
const NO_AUTH = apiError("unauthenticated", "Sign in or send an API token");
const NEW_PASSWORD = "a brand new password 42";

describeEngines("sessions", (engine) => {
  const ctx = useTestDatabase(engine);

  async function person(role: Principal["role"] = "approver", extra: { mustChangePassword?: boolean; passwordHash?: string | null } = {}): Promise<Principal> {
    const u = await insertUser({ role, email: `s-${uid()}@test.local`, ...extra });
    const t = await insertToken(u.id);
    return { role, id: u.id, email: u.email!, name: u.name, token: t.token, tokenId: t.row.id, cookie: await sessionCookieFor(u.id) };
  }
  const meWith = (cookie: string) => call(ME(), "GET", "/api/v1/me", { auth: { headers: { cookie } } });
  const changePassword = (auth: Auth, json: unknown) => call(route("POST", "/api/v1/me/password"), "POST", "/api/v1/me/password", { auth, json, origin: BASE_URL });
  const setCookieOf = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));

  it("a cookie works until sign-out ends its session server-side; sign-out is audited once", async () => {
    const p = await person();
    expect((await meWith(p.cookie)).status).toBe(200);
    const sid = await sessionIdOf(p.cookie);
    expect(await signOutSession({ sub: p.id, sid }, { address: "192.0.2.4", userAgent: "UA/1" })).toBe(true);
    const res = await meWith(p.cookie);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(NO_AUTH);
    expect(await signOutSession({ sub: p.id, sid }, { address: null, userAgent: null })).toBe(false);
    const events = await db().auditEvent.findMany({ where: { action: "auth.signout", targetId: p.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: p.id, data: { sessionId: sid } });
    expect((await db().userSession.findUniqueOrThrow({ where: { id: sid } })).revokedAt).not.toBeNull();
    // Another person's claims cannot sign this session out.
    const q = await person();
    expect(await signOutSession({ sub: p.id, sid: await sessionIdOf(q.cookie) }, { address: null, userAgent: null })).toBe(false);
    expect((await meWith(q.cookie)).status).toBe(200);
  });

  it.each([
    ["without sid and sv (an old-style cookie)", async (p: Principal) => `${SESSION_COOKIE}=${await encode({ token: { sub: p.id }, secret: TEST_AUTH_SECRET })}`],
    ["naming a session that does not exist", (p: Principal) => sessionCookieFor(p.id, { noRow: true })],
    ["whose session expired server-side", (p: Principal) => sessionCookieFor(p.id, { expiresAt: new Date(Date.now() - 1000) })],
    ["with an older session version", async (p: Principal) => {
      await db().user.update({ where: { id: p.id }, data: { sessionVersion: 3 } });
      return sessionCookieFor(p.id, { sv: 2 });
    }],
    ["naming someone else's session", async (p: Principal) => sessionCookieFor(p.id, { sid: await sessionIdOf(ctx.users.admin.cookie) })],
    ["with sv as a string", async (p: Principal) => {
      const sid = await sessionIdOf(await sessionCookieFor(p.id));
      return `${SESSION_COOKIE}=${await encode({ token: { sub: p.id, sid, sv: "0" }, secret: TEST_AUTH_SECRET })}`;
    }],
  ])("a cookie %s -> 401", async (_label, make) => {
    const p = await person();
    const res = await meWith(await make(p));
    expect(res.status).toBe(401);
    expect(res.body).toEqual(NO_AUTH);
  });

  it.each([["%E0%A4%A"], ["%"], ["%zz"], ["%C0%80"]])("a session cookie with bad %%-encoding (%s) is no cookie: 401, not 500", async (value) => {
    const res = await meWith(`${SESSION_COOKIE}=${value}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(NO_AUTH);
    // ... and does not hide a good cookie under the other name
    const jwt = ctx.users.auditor.cookie.split("=")[1];
    expect((await meWith(`${SESSION_COOKIE}=${value}; __Secure-next-auth.session-token=${jwt}`)).status).toBe(200);
  });

  it("an admin's password reset ends the person's sessions", async () => {
    const p = await person();
    const res = await call(route("PATCH", "/api/v1/users/[id]"), "PATCH", "/x", { auth: token(ctx.users.admin), params: { id: p.id }, json: { password: "reset by the admin 1" } });
    expect(res.status).toBe(200);
    expect((await meWith(p.cookie)).status).toBe(401);
  });

  it("disable then enable revives no old session or token", async () => {
    const p = await person();
    const patch = (json: unknown) => call(route("PATCH", "/api/v1/users/[id]"), "PATCH", "/x", { auth: token(ctx.users.admin), params: { id: p.id }, json });
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await patch({ disabled: false })).status).toBe(200);
    expect((await meWith(p.cookie)).status).toBe(401);
    expect((await call(ME(), "GET", "/x", { auth: token(p) })).status).toBe(401);
    // A fresh sign-in works again.
    expect((await meWith(await sessionCookieFor(p.id))).status).toBe(200);
  });

  it("DELETE /api/v1/me/sessions signs out everywhere: every session ends, audited, the cookie is cleared", async () => {
    const p = await person();
    const other = await sessionCookieFor(p.id);
    const res = await call(route("DELETE", "/api/v1/me/sessions"), "DELETE", "/api/v1/me/sessions", { auth: session(p), origin: BASE_URL });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 2 });
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && /Max-Age=0/.test(c))).toBe(true);
    for (const c of [p.cookie, other]) expect((await meWith(c)).status).toBe(401);
    expect((await db().user.findUniqueOrThrow({ where: { id: p.id } })).sessionVersion).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "auth.signout_everywhere", targetId: p.id } })).toBe(1);
    // Tokens are not sessions: they keep working.
    expect((await call(ME(), "GET", "/x", { auth: token(p) })).status).toBe(200);
  });

  it("DELETE /api/v1/me/sessions with a session needs our origin (CSRF)", async () => {
    const p = await person();
    const res = await call(route("DELETE", "/api/v1/me/sessions"), "DELETE", "/x", { auth: session(p), origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await meWith(p.cookie)).status).toBe(200);
  });

  it("GET /api/v1/me/sessions lists the caller's live sessions, the current one marked", async () => {
    const p = await person();
    await sessionCookieFor(p.id);
    const res = await call(route("GET", "/api/v1/me/sessions"), "GET", "/x", { auth: session(p) });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([await sessionIdOf(p.cookie)]);
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  it("the actor carries the credential and client: session id, token id and prefix, address, user agent", async () => {
    const p = await person();
    const headers = { "x-portcullis-client-address": "198.51.100.23", "user-agent": "Probe/1.0" };
    const viaSession = await authenticate(buildRequest("GET", "/api/v1/me", { auth: session(p), headers }));
    expect(viaSession).toMatchObject({ id: p.id, via: "session", credentialId: await sessionIdOf(p.cookie), clientAddress: "198.51.100.23", userAgent: "Probe/1.0" });
    const viaToken = await authenticate(buildRequest("GET", "/api/v1/me", { auth: token(p), headers }));
    expect(viaToken).toMatchObject({ id: p.id, via: "token", tokenId: p.tokenId, credentialId: p.tokenId, credentialLabel: p.token.slice(0, 12), clientAddress: "198.51.100.23", userAgent: "Probe/1.0" });
  });

  // Password change
  it("POST /api/v1/me/password changes the password, ends other sessions and keeps this one as a fresh session", async () => {
    const p = await person();
    const elsewhere = await sessionCookieFor(p.id);
    const res = await changePassword(session(p), { currentPassword: SEED_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: true, sessionsEnded: 2 });
    const fresh = setCookieOf(res.headers);
    expect(fresh).toMatch(/HttpOnly/);
    expect(fresh).toMatch(/SameSite=Lax/);
    const freshCookie = fresh!.split(";")[0];
    expect((await meWith(freshCookie)).status).toBe(200);
    for (const c of [p.cookie, elsewhere]) expect((await meWith(c)).status).toBe(401);
    const u = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    expect(u).toMatchObject({ sessionVersion: 1, mustChangePassword: false });
    expect(await signInWithPassword(p.email, NEW_PASSWORD)).toEqual({ ok: true, userId: p.id });
    expect(await signInWithPassword(p.email, SEED_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_change", targetId: p.id } });
    expect(event).toMatchObject({ actorId: p.id, data: { sessionsEnded: 2, wasRequired: false } });
    expect(JSON.stringify(event.data)).not.toContain(NEW_PASSWORD);
  });

  it("a wrong current password -> 422 naming currentPassword, counted like a failed sign-in; five lock the change", async () => {
    const p = await person();
    const res = await changePassword(session(p), { currentPassword: "not my password", newPassword: NEW_PASSWORD });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid currentPassword", [{ field: "currentPassword", message: "is not correct" }]));
    expect(await db().loginFailure.count({ where: { email: p.email } })).toBe(1);
    expect((await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetId: p.id } })).data).toMatchObject({ method: "password_change", reason: "wrong_password" });
    for (let i = 0; i < 4; i++) expect((await changePassword(session(p), { currentPassword: `wrong ${i} password`, newPassword: NEW_PASSWORD })).status).toBe(422);
    const locked = await changePassword(session(p), { currentPassword: SEED_PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual(apiError("rate_limited", "Too many wrong passwords: try again later"));
    expect((await meWith(p.cookie)).status).toBe(200);
    expect(await signInWithPassword(p.email, NEW_PASSWORD)).toMatchObject({ ok: false });
  });

  it.each([
    [{ currentPassword: SEED_PASSWORD, newPassword: "short" }, "newPassword", "must be at least 12 characters"],
    [{ currentPassword: SEED_PASSWORD, newPassword: SEED_PASSWORD }, "newPassword", "must differ from the current password"],
    [{ currentPassword: "", newPassword: NEW_PASSWORD }, "currentPassword", "is required"],
    [{ newPassword: NEW_PASSWORD }, "currentPassword", expect.any(String)],
  ])("invalid body %j -> 422 on %s, nothing changed", async (json, field, message) => {
    const p = await person();
    const before = await counts();
    const res = await changePassword(session(p), json);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field, message }]);
    expect(await counts()).toEqual(before);
    expect((await meWith(p.cookie)).status).toBe(200);
  });

  it("an SSO-only person has no password to change: 409 with a clear message", async () => {
    const p = await person("approver", { passwordHash: null });
    const res = await changePassword(session(p), { currentPassword: "whatever it is", newPassword: NEW_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "Your account signs in through single sign-on: change your password at your identity provider"));
  });

  it("with a token the password changes too, every session ends, and no cookie is set", async () => {
    const p = await person();
    const res = await changePassword(token(p), { currentPassword: SEED_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: true, sessionsEnded: 1 });
    expect(setCookieOf(res.headers)).toBeUndefined();
    expect((await meWith(p.cookie)).status).toBe(401);
  });

  // Forced change after an admin set the password
  it("while a password change is required, the session reaches only /me, the change and sign-out everywhere", async () => {
    const p = await person("admin", { mustChangePassword: true });
    const me = await call(ME(), "GET", "/api/v1/me", { auth: session(p) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: p.id, mustChangePassword: true });
    const REQUIRED = apiError("password_change_required", "Change your password first: POST /api/v1/me/password");
    const users = await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: session(p) });
    expect(users.status).toBe(403);
    expect(users.body).toEqual(REQUIRED);
    const before = await counts();
    const create = await call(route("POST", "/api/v1/service-accounts"), "POST", "/api/v1/service-accounts", { auth: session(p), json: { name: `sa-${uid()}`, role: "auditor" } });
    expect(create.status).toBe(403);
    expect(create.body).toEqual(REQUIRED);
    expect(await counts()).toEqual(before);
    // A token (not derived from the password) is not held back.
    expect((await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: token(p) })).status).toBe(200);

    const changed = await changePassword(session(p), { currentPassword: SEED_PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    const cookie = setCookieOf(changed.headers)!.split(";")[0];
    const after = await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: { headers: { cookie } } });
    expect(after.status).toBe(200);
    expect((await call(ME(), "GET", "/api/v1/me", { auth: { headers: { cookie } } })).body).toMatchObject({ mustChangePassword: false });
    expect((await db().auditEvent.findFirstOrThrow({ where: { action: "user.password_change", targetId: p.id } })).data).toMatchObject({ wasRequired: true });
  });

  it("authenticate() names the password_change_required code with status 403", () => {
    expect(new ApiError("password_change_required", "x").status).toBe(403);
  });
});
