import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isLockedOut, pruneLoginFailures, signInWithPassword, signInWithSso } from "@/lib/auth/signin";
import { SETTING_DEFAULTS } from "@/lib/settings/schema";
import { SEED_PASSWORD, type TestRole } from "../helpers/constants";
import type { Role } from "@/lib/auth/permissions";
import { counts, describeEngines, insertUser, uid, useTestDatabase } from "../helpers/context";

// Local sign-in (scrypt, lockout after 5 failures in 15 minutes) and SSO sign-in (groups -> role).

const ROLE_MAP: Record<string, Role> = { "sec-reviewers": "approver", platform: "admin", "app-team": "publisher", compliance: "auditor" };
const ISSUER = "https://idp.test";
const LOCKOUT_FAILURES = SETTING_DEFAULTS.lockoutFailures;
const LOCKOUT_WINDOW_MS = SETTING_DEFAULTS.lockoutWindowMinutes * 60_000;

describeEngines("sign-in", (engine) => {
  useTestDatabase(engine);
  afterEach(() => db().setting.deleteMany({ where: { key: { startsWith: "settings." } } }));

  const freshUser = (role: TestRole = "publisher") => insertUser({ role, email: `signin-${uid()}@test.local` });
  const failures = (email: string) => db().loginFailure.count({ where: { email } });

  it("the right password signs in, stamps lastLoginAt and writes one audit event", async () => {
    const u = await freshUser();
    const before = await counts();
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: true, userId: u.id });
    const after = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.lastLoginAt).not.toBeNull();
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin", targetId: u.id } });
    expect(await db().auditEvent.count({ where: { action: "auth.signin_failed", targetId: u.id } })).toBe(0);
    expect(event).toMatchObject({ actorId: u.id, actorType: "user", data: { method: "password" } });
  });

  it("the e-mail is matched without regard to case or surrounding blanks", async () => {
    const u = await freshUser();
    expect(await signInWithPassword(`  ${u.email!.toUpperCase()} `, SEED_PASSWORD)).toEqual({ ok: true, userId: u.id });
  });

  it("a wrong password is refused and counted", async () => {
    const u = await freshUser();
    expect(await signInWithPassword(u.email!, "wrong password!")).toEqual({ ok: false, reason: "invalid" });
    expect(await failures(u.email!)).toBe(1);
  });

  it("five failures within 15 minutes lock the account: even the right password is refused", async () => {
    const u = await freshUser();
    for (let i = 1; i <= LOCKOUT_FAILURES; i++) {
      expect(await signInWithPassword(u.email!, `wrong ${i} password`)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(LOCKOUT_FAILURES).toBe(5);
    expect(await isLockedOut(u.email!)).toBe(true);
    const before = await counts();
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: false, reason: "locked" });
    expect(await signInWithPassword(u.email!, "wrong again")).toEqual({ ok: false, reason: "locked" });
    // refused while locked: no new failure rows, no sign-in event (two failed ones), lastLoginAt untouched
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 2 });
    const failed = await db().auditEvent.findMany({ where: { action: "auth.signin_failed", targetId: u.id }, orderBy: { seq: "asc" } });
    expect(failed.map((e) => (e.data as { reason: string }).reason)).toEqual([...Array(5).fill("wrong_password"), "locked", "locked"]);
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).lastLoginAt).toBeNull();
    const lockouts = await db().auditEvent.findMany({ where: { action: "auth.lockout", targetId: u.id } });
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actorType: "system", actorLabel: "sign-in", data: { failures: 5, windowMinutes: 15 } });
  });

  it("the lock lifts when the failures are older than 15 minutes", async () => {
    const u = await freshUser();
    const old = new Date(Date.now() - LOCKOUT_WINDOW_MS - 1000);
    await db().loginFailure.createMany({ data: Array.from({ length: 5 }, () => ({ email: u.email!, at: old })) });
    expect(LOCKOUT_WINDOW_MS).toBe(15 * 60_000);
    expect(await isLockedOut(u.email!)).toBe(false);
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: true, userId: u.id });
  });

  it("failures older than the window are pruned (at most once a minute), recent ones kept", async () => {
    const sprayed = `spray-${uid()}@example.test`;
    const kept = `kept-${uid()}@example.test`;
    const now = new Date();
    await db().loginFailure.createMany({
      data: [
        ...Array.from({ length: 3 }, () => ({ email: sprayed, at: new Date(now.getTime() - LOCKOUT_WINDOW_MS - 5_000) })),
        { email: kept, at: new Date(now.getTime() - 60_000) },
      ],
    });
    expect(await pruneLoginFailures(now, true)).toBeGreaterThanOrEqual(3);
    expect(await db().loginFailure.count({ where: { email: sprayed } })).toBe(0);
    expect(await db().loginFailure.count({ where: { email: kept } })).toBe(1);
    // Within the minute, a second call does nothing.
    await db().loginFailure.create({ data: { email: sprayed, at: new Date(now.getTime() - LOCKOUT_WINDOW_MS - 5_000) } });
    expect(await pruneLoginFailures(new Date(now.getTime() + 1_000))).toBe(0);
    expect(await db().loginFailure.count({ where: { email: sprayed } })).toBe(1);
  });

  it("failures just inside the window still count", async () => {
    const u = await freshUser();
    const recent = new Date(Date.now() - LOCKOUT_WINDOW_MS + 60_000);
    await db().loginFailure.createMany({ data: Array.from({ length: 5 }, () => ({ email: u.email!, at: recent })) });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: false, reason: "locked" });
  });

  it("a success resets the count: four failures, a success, four more failures leave it open", async () => {
    const u = await freshUser();
    await db().loginFailure.createMany({ data: Array.from({ length: 4 }, () => ({ email: u.email! })) });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: true, userId: u.id });
    expect(await failures(u.email!)).toBe(0);
    await db().loginFailure.createMany({ data: Array.from({ length: 4 }, () => ({ email: u.email! })) });
    expect(await isLockedOut(u.email!)).toBe(false);
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: true, userId: u.id });
  });

  it("the lockout is per account", async () => {
    const [a, b] = [await freshUser(), await freshUser()];
    await db().loginFailure.createMany({ data: Array.from({ length: 5 }, () => ({ email: a.email! })) });
    expect(await signInWithPassword(a.email!, SEED_PASSWORD)).toEqual({ ok: false, reason: "locked" });
    expect(await signInWithPassword(b.email!, SEED_PASSWORD)).toEqual({ ok: true, userId: b.id });
  });

  it("an unknown e-mail behaves like a wrong password, down to the lockout", async () => {
    const email = `nobody-${uid()}@test.local`;
    const users = await db().user.count();
    for (let i = 0; i < 5; i++) expect(await signInWithPassword(email, SEED_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(email, SEED_PASSWORD)).toEqual({ ok: false, reason: "locked" });
    expect(await db().user.count()).toBe(users);
    const lockout = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.lockout", targetLabel: email } });
    expect(lockout.targetId).toBe(email);
  });

  it("a disabled account is refused even with the right password", async () => {
    const u = await insertUser({ role: "admin", disabled: true, email: `disabled-${uid()}@test.local` });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
    expect(await failures(u.email!)).toBe(1);
  });

  it("an account without a password (SSO only) cannot sign in with one", async () => {
    const u = await insertUser({ role: "admin", passwordHash: null, email: `ssoonly-${uid()}@test.local` });
    expect(await signInWithPassword(u.email!, "")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(u.email!, "any password at all")).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["an empty e-mail", "", SEED_PASSWORD],
    ["an empty password", "admin@test.local", ""],
    ["a password over 256 characters", "admin@test.local", "p".repeat(257)],
    ["an e-mail over 254 characters", `${"e".repeat(250)}@test.local`, SEED_PASSWORD],
  ])("%s is refused without touching the database", async (_label, email, password) => {
    const before = await counts();
    expect(await signInWithPassword(email, password)).toEqual({ ok: false, reason: "invalid" });
    expect(await counts()).toEqual(before);
  });

  // SSO
  const sso = (
    sub: string,
    groups: unknown,
    extra: { email?: string | null; name?: string | null; emailVerified?: boolean } = {},
  ) => signInWithSso({ issuer: ISSUER, sub, groups, email: extra.email, name: extra.name, emailVerified: extra.emailVerified }, ROLE_MAP);

  it("creates an SSO user with the role its group maps to", async () => {
    const sub = `sub-${uid()}`;
    const id = await sso(sub, ["sec-reviewers"], { email: `Reviewer-${sub}@Corp.Example`, name: "Rae Viewer" });
    expect(id).toEqual(expect.any(String));
    const u = await db().user.findUniqueOrThrow({ where: { id: id! }, omit: { passwordHash: false } });
    expect(u).toMatchObject({ kind: "human", role: "approver", email: `reviewer-${sub}@corp.example`, name: "Rae Viewer", ssoIssuer: ISSUER, ssoSubject: sub, passwordHash: null, disabled: false });
    expect(u.lastLoginAt).not.toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin", targetId: id! } });
    expect(event).toMatchObject({ before: null, after: { role: "approver" }, data: { method: "sso", issuer: ISSUER } });
  });

  it.each([
    [["app-team", "sec-reviewers"], "approver"],
    [["compliance", "app-team"], "publisher"],
    [["compliance", "platform", "unmapped"], "admin"],
    [["compliance"], "auditor"],
    ["platform", "admin"],
  ] as [unknown, Role][])("the highest mapped role wins: %j -> %s", async (groups, role) => {
    const id = await sso(`sub-${uid()}`, groups);
    expect((await db().user.findUniqueOrThrow({ where: { id: id! } })).role).toBe(role);
  });

  it.each([[["unmapped", "other"]], [[]], [undefined], ["not-mapped"], [{ platform: true }]])(
    "no mapped group (%j): no access and no user created",
    async (groups) => {
      const before = await counts();
      const email = `none-${uid()}@corp.example`;
      expect(await sso(`sub-${uid()}`, groups, { email })).toBeNull();
      expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
      const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetLabel: email } });
      expect(event.data).toMatchObject({ method: "sso", reason: "no_role" });
    },
  );

  it("the role is updated on a later sign-in, up and down", async () => {
    const sub = `sub-${uid()}`;
    const id = await sso(sub, ["app-team"]);
    expect(await sso(sub, ["platform"])).toBe(id);
    expect((await db().user.findUniqueOrThrow({ where: { id: id! } })).role).toBe("admin");
    expect(await sso(sub, ["compliance"])).toBe(id);
    expect((await db().user.findUniqueOrThrow({ where: { id: id! } })).role).toBe("auditor");
    const events = await db().auditEvent.findMany({ where: { action: "auth.signin", targetId: id! }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [null, { role: "publisher" }],
      [{ role: "publisher" }, { role: "admin" }],
      [{ role: "admin" }, { role: "auditor" }],
    ]);
  });

  it("a disabled SSO user gets no access, and its role is left alone", async () => {
    const sub = `sub-${uid()}`;
    const id = await sso(sub, ["compliance"]);
    await db().user.update({ where: { id: id! }, data: { disabled: true } });
    const before = await counts();
    expect(await sso(sub, ["platform"])).toBeNull();
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    expect((await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetId: id! } })).data).toMatchObject({ method: "sso", reason: "disabled" });
    expect(await db().user.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ role: "auditor", disabled: true });
  });

  it("links a local account with the same, IdP-verified e-mail to the SSO identity", async () => {
    const local = await freshUser("publisher");
    const id = await sso(`sub-${uid()}`, ["sec-reviewers"], { email: local.email!.toUpperCase(), emailVerified: true });
    expect(id).toBe(local.id);
    expect(await db().user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ role: "approver", ssoIssuer: ISSUER });
  });

  it("does not link a local account when the IdP has not verified the e-mail", async () => {
    const local = await freshUser("publisher");
    const id = await sso(`sub-${uid()}`, ["platform"], { email: local.email!, emailVerified: false });
    expect(id).not.toBeNull();
    expect(id).not.toBe(local.id);
    // The local account keeps its role and stays unlinked; the new SSO user has no e-mail.
    expect(await db().user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ role: "publisher", ssoSubject: null });
    expect(await db().user.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ role: "admin", email: null });
  });

  it("the same subject at another issuer is another person", async () => {
    const sub = `sub-${uid()}`;
    const a = await sso(sub, ["compliance"]);
    const b = await signInWithSso({ issuer: "https://other-idp.test", sub, groups: ["compliance"] }, ROLE_MAP);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
  });

  it("a user without an e-mail is named by the subject", async () => {
    const sub = `sub-${uid()}`;
    const id = await sso(sub, ["compliance"], { email: null });
    expect(await db().user.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ email: null, name: sub });
  });
});
