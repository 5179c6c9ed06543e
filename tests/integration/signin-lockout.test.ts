import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { clearLockout, lockoutStates } from "@/lib/auth/lockout";
import { configureHashing, hashPassword, hashingLoad } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/signin";
import type { SettingKey } from "@/lib/settings/schema";
import { SEED_PASSWORD } from "../helpers/constants";
import { counts, describeEngines, insertUser, uid, useTestDatabase } from "../helpers/context";

// Lockout per (e-mail, address) and per e-mail, throttle per address, the hashing cap, and the
// race: attempts are recorded before the password is checked, under a lock.

const dump = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
const from = (address: string, userAgent = "test-agent/1") => ({ client: { address, userAgent } });

describeEngines("sign-in lockout and throttle", (engine) => {
  useTestDatabase(engine);
  afterEach(async () => {
    configureHashing();
    await db().setting.deleteMany({ where: { key: { startsWith: "settings." } } });
  });

  const setSetting = (key: SettingKey, value: number) =>
    db().setting.upsert({ where: { key: `settings.${key}` }, create: { key: `settings.${key}`, value }, update: { value } });
  const freshUser = () => insertUser({ role: "admin", email: `lock-${uid()}@test.local` });
  const lockoutEvents = (email: string) => db().auditEvent.findMany({ where: { action: "auth.lockout", targetLabel: email } });

  it("20 concurrent wrong guesses: exactly 5 are evaluated, the rest refused unhashed; one lockout event; then the right password is refused", async () => {
    const u = await freshUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInWithPassword(u.email!, `wrong guess ${i}`, from("203.0.113.7"))),
    );
    const tally = results.reduce<Record<string, number>>((acc, r) => {
      const k = r.ok ? "ok" : r.reason;
      acc[k] = (acc[k] ?? 0) + 1;
      return acc;
    }, {});
    expect(tally).toEqual({ invalid: 5, locked: 15 });
    expect(await db().loginFailure.count({ where: { email: u.email! } })).toBe(5);
    const events = await lockoutEvents(u.email!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetId: u.id, data: { scope: "address", failures: 5, windowMinutes: 15, address: "203.0.113.7" } });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("203.0.113.7"))).toEqual({ ok: false, reason: "locked" });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).lastLoginAt).toBeNull();
    const failed = await db().auditEvent.findMany({ where: { action: "auth.signin_failed", targetId: u.id } });
    expect(failed).toHaveLength(21);
    expect(dump(failed)).not.toContain("wrong guess");
  });

  it("20 concurrent guesses with the right one among them: never more than 5 evaluated", async () => {
    const u = await freshUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInWithPassword(u.email!, i === 19 ? SEED_PASSWORD : `wrong guess ${i}`, from("203.0.113.8"))),
    );
    const evaluated = results.filter((r) => r.ok || r.reason === "invalid").length;
    expect(evaluated).toBeLessThanOrEqual(5);
    expect(results.filter((r) => !r.ok && r.reason === "locked").length).toBeGreaterThanOrEqual(15);
    expect((await lockoutEvents(u.email!)).length).toBeLessThanOrEqual(1);
  });

  it("a lockout from one address leaves the account open from another, and the owner can sign in", async () => {
    const u = await freshUser();
    for (let i = 0; i < 5; i++) await signInWithPassword(u.email!, `wrong ${i} password`, from("198.51.100.1"));
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("198.51.100.1"))).toEqual({ ok: false, reason: "locked" });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("192.0.2.50"))).toEqual({ ok: true, userId: u.id });
    // The attacker's failures are not forgiven by the owner's success elsewhere.
    expect(await db().loginFailure.count({ where: { email: u.email!, address: "198.51.100.1" } })).toBe(5);
    const state = (await lockoutStates([u.email!])).get(u.email!);
    expect(state).toMatchObject({ locked: true, lockedEverywhere: false, failures: 5, until: expect.any(String) });
  });

  it("lockoutAccountFailures from many addresses locks the account everywhere, with one event", async () => {
    await setSetting("lockoutAccountFailures", 6);
    const u = await freshUser();
    for (let i = 0; i < 6; i++) {
      expect(await signInWithPassword(u.email!, `wrong ${i} password`, from(`198.51.100.${10 + i}`))).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("192.0.2.99"))).toEqual({ ok: false, reason: "locked" });
    const events = await lockoutEvents(u.email!);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ scope: "account", failures: 6 });
    expect((await lockoutStates([u.email!])).get(u.email!)).toMatchObject({ locked: true, lockedEverywhere: true, failures: 6 });
  });

  it("the per-address throttle refuses an address spraying many accounts, unhashed, even with a right password", async () => {
    await setSetting("throttlePerAddress", 3);
    const target = await freshUser();
    for (let i = 0; i < 3; i++) {
      expect(await signInWithPassword(`spray-${uid()}@test.local`, "Password123!", from("203.0.113.66"))).toEqual({ ok: false, reason: "invalid" });
    }
    const before = await counts();
    expect(await signInWithPassword(target.email!, SEED_PASSWORD, from("203.0.113.66"))).toEqual({ ok: false, reason: "throttled" });
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetId: target.id } });
    expect(event.data).toMatchObject({ method: "password", reason: "throttled", address: "203.0.113.66" });
    // Other addresses are unaffected.
    expect(await signInWithPassword(target.email!, SEED_PASSWORD, from("203.0.113.67"))).toEqual({ ok: true, userId: target.id });
  });

  it("over the hashing capacity a sign-in is refused as busy at once, and not counted", async () => {
    configureHashing({ concurrency: 1, queue: 0 });
    const u = await freshUser();
    const blocker = hashPassword("occupies the only slot");
    expect(hashingLoad()).toEqual({ running: 1, waiting: 0 });
    const before = await counts();
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("192.0.2.1"))).toEqual({ ok: false, reason: "busy" });
    expect(await counts()).toEqual(before);
    await blocker;
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("192.0.2.1"))).toEqual({ ok: true, userId: u.id });
  });

  it("the hashing queue is bounded: beyond it, calls fail fast instead of waiting", async () => {
    configureHashing({ concurrency: 1, queue: 2 });
    const calls = Array.from({ length: 5 }, (_, i) => hashPassword(`password number ${i}`).then(() => "done", (e: Error) => e.message));
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === "done")).toHaveLength(3);
    expect(outcomes.filter((o) => o !== "done")).toEqual(Array(2).fill("The server is busy checking passwords; try again in a moment"));
    expect(hashingLoad()).toEqual({ running: 0, waiting: 0 });
  });

  it("a sign-in with session: true creates the session row with client, expiry from sessionMaxAgeHours", async () => {
    await setSetting("sessionMaxAgeHours", 2);
    const u = await freshUser();
    const start = Date.now();
    const r = await signInWithPassword(u.email!, SEED_PASSWORD, { client: { address: "192.0.2.7", userAgent: "Firefox/1" }, session: true });
    expect(r).toMatchObject({ ok: true, userId: u.id, session: { id: expect.any(String), version: 0 } });
    if (!r.ok || !r.session) throw new Error("no session");
    const row = await db().userSession.findUniqueOrThrow({ where: { id: r.session.id } });
    expect(row).toMatchObject({ userId: u.id, address: "192.0.2.7", userAgent: "Firefox/1", revokedAt: null });
    expect(row.expiresAt.getTime() - start).toBeGreaterThanOrEqual(2 * 3_600_000 - 1000);
    expect(row.expiresAt.getTime() - start).toBeLessThanOrEqual(2 * 3_600_000 + 5000);
    expect(r.session.id.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    ["unknown_email", async () => ({ email: `ghost-${uid()}@test.local`, password: SEED_PASSWORD })],
    ["wrong_password", async () => ({ email: (await freshUser()).email!, password: "not the password" })],
    ["disabled", async () => ({ email: (await insertUser({ role: "admin", disabled: true, email: `d-${uid()}@test.local` })).email!, password: SEED_PASSWORD })],
    ["no_password", async () => ({ email: (await insertUser({ role: "admin", passwordHash: null, email: `n-${uid()}@test.local` })).email!, password: SEED_PASSWORD })],
  ])("a failed sign-in (%s) is an auth.signin_failed event with its reason and client, never the password", async (reason, make) => {
    const { email, password } = await make();
    expect(await signInWithPassword(email, password, from("192.0.2.33", "Agent/2"))).toEqual({ ok: false, reason: "invalid" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.signin_failed", targetLabel: email } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "sign-in", data: { method: "password", reason, address: "192.0.2.33", userAgent: "Agent/2" } });
    expect(dump(event)).not.toContain(password);
  });

  it("clearLockout unlocks: the attempts are deleted", async () => {
    const u = await freshUser();
    for (let i = 0; i < 5; i++) await signInWithPassword(u.email!, `wrong ${i} password`, from("198.51.100.77"));
    expect((await lockoutStates([u.email!])).get(u.email!)?.locked).toBe(true);
    expect(await db().$transaction((tx) => clearLockout(tx, u.email!.toUpperCase()))).toBe(5);
    expect((await lockoutStates([u.email!, "unknown@test.local"])).get(u.email!)).toEqual({ locked: false, lockedEverywhere: false, failures: 0, until: null });
    expect(await signInWithPassword(u.email!, SEED_PASSWORD, from("198.51.100.77"))).toEqual({ ok: true, userId: u.id });
  });

  it("lockoutStates: until is when the oldest failure that keeps the lock ages out", async () => {
    const u = await freshUser();
    const now = new Date();
    const times = [14, 10, 8, 6, 3, 1].map((m) => new Date(now.getTime() - m * 60_000));
    await db().loginFailure.createMany({ data: times.map((at) => ({ email: u.email!, address: "198.51.100.9", at })) });
    const state = (await lockoutStates([u.email!], now)).get(u.email!)!;
    // 6 failures, limit 5: the lock lasts until the second oldest (10 min ago) leaves the 15-minute window.
    expect(state).toEqual({ locked: true, lockedEverywhere: false, failures: 6, until: new Date(times[1].getTime() + 15 * 60_000).toISOString() });
  });
});
