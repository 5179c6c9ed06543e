import { createHash } from "node:crypto";
import { beforeEach, expect, it } from "vitest";
import { POST as setup } from "@/app/api/setup/route";
import { db } from "@/lib/db";
import { loadEnv } from "@/lib/env";
import { bootstrap, BOOTSTRAP_ACCOUNT, setupNeeded } from "@/lib/auth/bootstrap";
import { configureHashing, hashPassword, verifyPassword } from "@/lib/auth/password";
import { newToken } from "@/lib/auth/tokens";
import { counts, describeEngines, insertUser, resetData, useTestDatabase } from "../helpers/context";
import { rawSql } from "../helpers/database";
import { apiError, bearer, call, type Handler } from "../helpers/http";
import { route } from "../helpers/routes";
import { tempDir } from "../helpers/temp";

// First start: the admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, the automation token from
// BOOTSTRAP_ADMIN_TOKEN, or a one-time setup code for POST /api/setup.

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const envWith = (vars: Record<string, string> = {}) => loadEnv({ DATA_DIR: tempDir("bootstrap-env"), AUTH_SECRET: "s".repeat(32), ...vars });
const ADMIN_ENV = { BOOTSTRAP_ADMIN_EMAIL: "Root@Example.COM", BOOTSTRAP_ADMIN_PASSWORD: "bootstrap password 1" };
const SETUP_BODY = { email: "first@example.com", name: "First Admin", password: "first admin password" };

describeEngines("bootstrap and first-run setup", (engine) => {
  const ctx = useTestDatabase(engine, { seed: false });
  beforeEach(() => resetData());

  const postSetup = (json: unknown) => call(setup as unknown as Handler, "POST", "/api/setup", { json });
  const me = (t: string) => call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth: bearer(t) });

  it("creates the first admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, once", async () => {
    expect(await setupNeeded()).toBe(true);
    expect(await bootstrap(envWith(ADMIN_ENV))).toEqual({});
    const admins = await db().user.findMany({ omit: { passwordHash: false } });
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ kind: "human", email: "root@example.com", name: "Administrator", role: "admin", disabled: false });
    expect(await verifyPassword("bootstrap password 1", admins[0].passwordHash)).toBe(true);
    const events = await db().auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.create", actorType: "system", actorLabel: "bootstrap", targetId: admins[0].id, after: { email: "root@example.com", role: "admin" } });
    expect(await setupNeeded()).toBe(false);

    const before = await counts();
    expect(await bootstrap(envWith({ ...ADMIN_ENV, BOOTSTRAP_ADMIN_PASSWORD: "a different password" }))).toEqual({});
    expect(await counts()).toEqual(before);
    const again = await db().user.findUniqueOrThrow({ where: { id: admins[0].id }, omit: { passwordHash: false } });
    expect(again.passwordHash).toBe(admins[0].passwordHash);
  });

  it("does nothing to an existing installation, even with another BOOTSTRAP_ADMIN_EMAIL", async () => {
    await insertUser({ role: "auditor", email: "someone@example.com" });
    const before = await counts();
    expect(await bootstrap(envWith(ADMIN_ENV))).toEqual({});
    expect(await counts()).toEqual(before);
    expect(await db().user.findUnique({ where: { email: "root@example.com" } })).toBeNull();
  });

  it("BOOTSTRAP_ADMIN_TOKEN provisions an admin service-account token, stored hashed", async () => {
    const { token } = newToken();
    await insertUser({ role: "auditor" }); // not a first start
    await bootstrap(envWith({ BOOTSTRAP_ADMIN_TOKEN: token }));
    const account = await db().user.findFirstOrThrow({ where: { name: BOOTSTRAP_ACCOUNT } });
    expect(account).toMatchObject({ kind: "service", role: "admin", email: null, disabled: false });
    const rows = await db().apiToken.findMany({ where: { userId: account.id }, omit: { tokenHash: false } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "BOOTSTRAP_ADMIN_TOKEN", prefix: token.slice(0, 12), tokenHash: sha256(token), revokedAt: null });
    const dump = JSON.stringify(await Promise.all(["ApiToken", "User", "AuditEvent", "Setting"].map((t) => rawSql(ctx.url, `SELECT * FROM "${t}"`))), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(dump).not.toContain(token);

    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: account.id, kind: "service", role: "admin", via: "token" });
    expect((await call(route("GET", "/api/v1/users"), "GET", "/x", { auth: bearer(token) })).status).toBe(200);
    expect((await db().auditEvent.findMany({ orderBy: { seq: "asc" } })).map((e) => e.action)).toEqual(["service_account.create", "token.create"]);
  });

  it("the same BOOTSTRAP_ADMIN_TOKEN at every start changes nothing; a new value revokes the old", async () => {
    const first = newToken().token;
    await bootstrap(envWith({ BOOTSTRAP_ADMIN_TOKEN: first }));
    const before = await counts();
    await bootstrap(envWith({ BOOTSTRAP_ADMIN_TOKEN: first }));
    expect(await counts()).toEqual(before);

    const second = newToken().token;
    await bootstrap(envWith({ BOOTSTRAP_ADMIN_TOKEN: second }));
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
    const active = await db().apiToken.findMany({ where: { name: "BOOTSTRAP_ADMIN_TOKEN", revokedAt: null } });
    expect(active.map((t) => t.prefix)).toEqual([second.slice(0, 12)]);
    expect(await db().user.count({ where: { name: BOOTSTRAP_ACCOUNT } })).toBe(1);
  });

  it("with no user and no BOOTSTRAP_ADMIN_EMAIL, prints a one-time setup code, kept only as a hash", async () => {
    const { setupCode } = await bootstrap(envWith());
    expect(setupCode).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const row = await db().setting.findUniqueOrThrow({ where: { key: "setup.code" } });
    expect(row.value).toEqual({ hash: sha256(setupCode!), failures: 0 });
    const { setupCode: next } = await bootstrap(envWith());
    expect(next).not.toBe(setupCode); // a restart prints a new one, and the old one is void
    expect((await db().setting.findUniqueOrThrow({ where: { key: "setup.code" } })).value).toEqual({ hash: sha256(next!), failures: 0 });
  });

  it("POST /api/setup: wrong code 403 (counted), right code 201 once, then 409", async () => {
    const { setupCode } = await bootstrap(envWith());
    const before = await counts();
    const wrong = await postSetup({ ...SETUP_BODY, code: "not-the-code" });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual(apiError("forbidden", "Wrong setup code", [{ field: "code", message: "does not match the code in the server log" }]));
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    const rejected = await db().auditEvent.findFirstOrThrow({ where: { action: "setup.code_rejected" } });
    expect(rejected).toMatchObject({ actorType: "system", actorLabel: "setup", data: { reason: "wrong_code", failures: 1, attemptsLeft: 4 } });
    expect(JSON.stringify(rejected.data)).not.toContain("not-the-code");
    expect((await db().setting.findUniqueOrThrow({ where: { key: "setup.code" } })).value).toEqual({ hash: sha256(setupCode!), failures: 1 });

    const ok = await postSetup({ ...SETUP_BODY, email: "First@Example.com", code: ` ${setupCode} ` });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ id: expect.any(String), email: "first@example.com" });
    const user = await db().user.findUniqueOrThrow({ where: { id: ok.body.id }, omit: { passwordHash: false } });
    expect(user).toMatchObject({ kind: "human", role: "admin", name: "First Admin" });
    expect(await verifyPassword("first admin password", user.passwordHash)).toBe(true);
    expect(await db().setting.findUnique({ where: { key: "setup.code" } })).toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "user.create" } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "bootstrap", targetId: user.id, after: { email: "first@example.com", role: "admin", via: "setup" } });

    const afterSetup = await counts();
    const again = await postSetup({ ...SETUP_BODY, email: "second@example.com", code: setupCode });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(apiError("conflict", "Setup is already complete"));
    expect(await counts()).toEqual(afterSetup);
  });

  it("five wrong codes void the code until a restart prints a new one", async () => {
    const { setupCode } = await bootstrap(envWith());
    for (let i = 0; i < 5; i++) expect((await postSetup({ ...SETUP_BODY, code: `wrong-${i}` })).status).toBe(403);
    const locked = await postSetup({ ...SETUP_BODY, code: setupCode });
    expect(locked.status).toBe(403);
    expect(locked.body).toEqual(apiError("forbidden", "No valid setup code: restart the server to print a new one"));
    expect(await db().user.count()).toBe(0);
    const { setupCode: fresh } = await bootstrap(envWith());
    expect((await postSetup({ ...SETUP_BODY, code: fresh })).status).toBe(201);
  });

  it("without a setup code there is no setup", async () => {
    const res = await postSetup({ ...SETUP_BODY, code: "anything" });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(apiError("forbidden", "No valid setup code: restart the server to print a new one"));
    expect(await counts()).toEqual({ users: 0, tokens: 0, auditEvents: 1, reviews: 0, loginFailures: 0, settings: 0, userSessions: 0, servers: 0, serverVersions: 0, serverOwners: 0 });
    expect((await db().auditEvent.findFirstOrThrow({ where: { action: "setup.code_rejected" } })).data).toMatchObject({ reason: "no_code" });
  });

  it("a start with users present removes a leftover setup code", async () => {
    const { setupCode } = await bootstrap(envWith());
    await insertUser({ role: "admin" });
    expect(await bootstrap(envWith())).toEqual({});
    expect(await db().setting.findUnique({ where: { key: "setup.code" } })).toBeNull();
    const res = await postSetup({ ...SETUP_BODY, code: setupCode });
    expect(res.status).toBe(409);
  });

  it("two setups racing with the right code make exactly one admin", async () => {
    const { setupCode } = await bootstrap(envWith());
    const results = await Promise.all([
      postSetup({ ...SETUP_BODY, email: "a@example.com", code: setupCode }),
      postSetup({ ...SETUP_BODY, email: "b@example.com", code: setupCode }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body).toEqual(apiError("conflict", "Setup is already complete"));
    expect(await db().user.count()).toBe(1);
  });

  it("N wrong codes in parallel are each counted exactly once; after five the code is void", async () => {
    const { setupCode } = await bootstrap(envWith());
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => postSetup({ ...SETUP_BODY, code: `wrong-${i}` })));
    expect(results.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect((await db().setting.findUniqueOrThrow({ where: { key: "setup.code" } })).value).toEqual({ hash: sha256(setupCode!), failures: 4 });
    const more = await Promise.all(Array.from({ length: 6 }, (_, i) => postSetup({ ...SETUP_BODY, code: `again-${i}` })));
    expect(more.filter((r) => r.body.error.message === "Wrong setup code")).toHaveLength(1);
    expect(more.filter((r) => r.body.error.message === "No valid setup code: restart the server to print a new one")).toHaveLength(5);
    expect((await db().setting.findUniqueOrThrow({ where: { key: "setup.code" } })).value).toEqual({ hash: sha256(setupCode!), failures: 5 });
    const events = await db().auditEvent.findMany({ where: { action: "setup.code_rejected" } });
    expect(events.map((e) => (e.data as { reason: string }).reason).sort()).toEqual([...Array(5).fill("code_invalidated"), ...Array(5).fill("wrong_code")]);
    expect((await postSetup({ ...SETUP_BODY, code: setupCode })).status).toBe(403);
    expect(await db().user.count()).toBe(0);
  });

  it("once set up, POST /api/setup answers 409 before looking at the body or hashing anything", async () => {
    await insertUser({ role: "admin" });
    const before = await counts();
    for (const json of [{ ...SETUP_BODY, code: "x" }, { nonsense: true }]) {
      const res = await postSetup(json);
      expect(res.status).toBe(409);
      expect(res.body).toEqual(apiError("conflict", "Setup is already complete"));
    }
    expect(await counts()).toEqual(before);
  });

  it("a wrong code is refused before the password is hashed (no hashing capacity needed)", async () => {
    await bootstrap(envWith());
    configureHashing({ concurrency: 1, queue: 0 });
    const blocker = hashPassword("occupies the only slot");
    try {
      const res = await postSetup({ ...SETUP_BODY, code: "wrong-code" });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe("Wrong setup code");
    } finally {
      await blocker;
      configureHashing();
    }
  });
});
