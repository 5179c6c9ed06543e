import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { db, type Db } from "@/lib/db";
import type { Engine } from "@/lib/db/engine";
import { migrate } from "@/lib/db/migrate";
import { resetEnvCache } from "@/lib/env";
import { newToken } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/auth/actor";
import { ROLES, TEST_AUTH_SECRET, type TestRole } from "./constants";
import { createScratchDatabase, enginesUnderTest, testDatabaseUrl, type ScratchDatabase } from "./database";

// One scratch database per engine per test file, migrated and (optionally) seeded with one user
// per role, each with an API token and a session cookie.

export const SESSION_COOKIE = "next-auth.session-token";

export interface Principal {
  role: TestRole;
  id: string;
  email: string;
  name: string;
  token: string;
  tokenId: string;
  cookie: string;
}

export interface TestContext {
  engine: Engine;
  url: string;
  users: Record<TestRole, Principal>;
  /** The app's client (lib/db.ts `db()`), pointed at the scratch database. */
  db: Db;
}

/** describe.each over the engines under test; a named skipped test when PostgreSQL is not configured. */
export function describeEngines(name: string, fn: (engine: Engine) => void) {
  describe.each(enginesUnderTest())(`${name} [%s]`, fn);
  if (!testDatabaseUrl()) {
    describe(`${name} [postgresql]`, () => {
      it.skip("PostgreSQL not configured (set TEST_DATABASE_URL)", () => {});
    });
  }
}

/**
 * A describe block for behaviour only one engine has (SQLite's table rebuilds, PostgreSQL's
 * CREATE INDEX CONCURRENTLY): it runs on that engine alone, so no test is registered as skipped on
 * the other; PostgreSQL-only blocks are a named skip when PostgreSQL is not configured.
 */
export function describeEngine(engine: Engine, name: string, fn: () => void) {
  if (engine === "postgresql" && !testDatabaseUrl()) {
    describe(`${name} [postgresql]`, () => {
      it.skip("PostgreSQL not configured (set TEST_DATABASE_URL)", () => {});
    });
    return;
  }
  describe(`${name} [${engine}]`, fn);
}

/** Scratch databases made on demand within a describe block, dropped after it. */
export function scratchDatabases(engine: Engine): () => Promise<string> {
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const s of scratches) await s.drop();
  });
  return async () => {
    const s = await createScratchDatabase(engine);
    scratches.push(s);
    return s.url;
  };
}

export interface SessionCookieOptions {
  secret?: string;
  /** JWT lifetime in seconds (negative: already expired). */
  maxAge?: number;
  /** Use this session id (default: a new UserSession row for an existing user, else a random id). */
  sid?: string;
  /** The session version claimed (default: the user's current sessionVersion). */
  sv?: number;
  /** The session row's expiry (default: 8 hours from now). */
  expiresAt?: Date;
  /** Make no UserSession row (the cookie then names a session that does not exist). */
  noRow?: boolean;
}

/**
 * A session cookie value as next-auth would set it at sign-in for this user: a UserSession row
 * (when the user exists) and a JWT carrying sub, sid and sv.
 */
export async function sessionCookieFor(userId: string, opts: SessionCookieOptions = {}): Promise<string> {
  let sid = opts.sid ?? randomBytes(24).toString("base64url");
  let sv = opts.sv ?? 0;
  if (!opts.sid && !opts.noRow) {
    const user = await db().user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
    if (user) {
      const row = await db().userSession.create({
        data: { id: sid, userId, expiresAt: opts.expiresAt ?? new Date(Date.now() + 8 * 3_600_000) },
      });
      sid = row.id;
      if (opts.sv === undefined) sv = user.sessionVersion;
    }
  }
  const jwt = await encode({ token: { sub: userId, sid, sv }, secret: opts.secret ?? TEST_AUTH_SECRET, maxAge: opts.maxAge });
  return `${SESSION_COOKIE}=${jwt}`;
}

/** The session id (`sid`) a cookie from sessionCookieFor carries. */
export async function sessionIdOf(cookie: string): Promise<string> {
  const token = await decode({ token: cookie.slice(cookie.indexOf("=") + 1), secret: TEST_AUTH_SECRET });
  return String(token?.sid);
}

/** The Actor lib/ functions expect, for calling them at module level as this principal. */
export function actorOf(p: Principal, via: "session" | "token" = "session"): Actor {
  return { id: p.id, kind: "human", name: p.name, email: p.email, role: p.role, via };
}

let unique = 0;
/** A short unique suffix for names and e-mails within a run. */
export function uid(): string {
  unique += 1;
  return `${unique}${randomBytes(3).toString("hex")}`;
}

/** Inserts a user directly (no API, no audit), with the run's precomputed password hash. */
export async function insertUser(
  data: Partial<{
    role: TestRole;
    kind: "human" | "service";
    email: string | null;
    name: string;
    disabled: boolean;
    passwordHash: string | null;
    mustChangePassword: boolean;
  }> = {},
) {
  const kind = data.kind ?? "human";
  const n = uid();
  return db().user.create({
    data: {
      kind,
      role: data.role ?? "publisher",
      email: data.email !== undefined ? data.email : kind === "human" ? `user-${n}@test.local` : null,
      name: data.name ?? (kind === "human" ? `User ${n}` : `svc-${n}`),
      passwordHash: data.passwordHash !== undefined ? data.passwordHash : kind === "human" ? inject("seedPasswordHash") : null,
      disabled: data.disabled ?? false,
      mustChangePassword: data.mustChangePassword ?? false,
    },
  });
}

/** Inserts an API token for a user directly; returns the plaintext token and the row. */
export async function insertToken(userId: string, data: Partial<{ name: string; expiresAt: Date | null; revokedAt: Date | null }> = {}) {
  const t = newToken();
  const row = await db().apiToken.create({
    data: { userId, name: data.name ?? `token-${uid()}`, prefix: t.prefix, tokenHash: t.hash, expiresAt: data.expiresAt ?? null, revokedAt: data.revokedAt ?? null },
  });
  return { token: t.token, row };
}

/** Row counts of every table a request could write to. */
export async function counts() {
  const d = db();
  const [users, tokens, auditEvents, reviews, loginFailures, settings, userSessions, servers, serverVersions, serverOwners] = await Promise.all([
    d.user.count(),
    d.apiToken.count(),
    d.auditEvent.count(),
    d.review.count(),
    d.loginFailure.count(),
    // change signals (`*.generation`) are machinery, not settings: a write that bumps one is not a settings change
    d.setting.count({ where: { NOT: { key: { endsWith: ".generation" } } } }),
    d.userSession.count(),
    d.server.count(),
    d.serverVersion.count(),
    d.serverOwner.count(),
  ]);
  return { users, tokens, auditEvents, reviews, loginFailures, settings, userSessions, servers, serverVersions, serverOwners };
}

async function seed(): Promise<Record<TestRole, Principal>> {
  const out = {} as Record<TestRole, Principal>;
  for (const role of ROLES) {
    const user = await insertUser({ role, email: `${role}@test.local`, name: `${role[0].toUpperCase()}${role.slice(1)} User` });
    const { token, row } = await insertToken(user.id, { name: `${role}-token` });
    out[role] = { role, id: user.id, email: user.email!, name: user.name, token, tokenId: row.id, cookie: await sessionCookieFor(user.id) };
  }
  return out;
}

/** Deletes every row (for files that need an empty database between tests). */
export async function resetData() {
  const d = db();
  await d.apiToken.deleteMany();
  await d.userSession.deleteMany();
  await d.user.deleteMany();
  await d.review.deleteMany();
  await d.auditEvent.deleteMany();
  await d.loginFailure.deleteMany();
  await d.lease.deleteMany();
  await d.setting.deleteMany();
  await d.server.deleteMany();
  await d.agent.deleteMany();
  await d.policy.deleteMany();
  await d.signingKey.deleteMany();
  await d.assertionJti.deleteMany();
}

/**
 * Registers beforeAll/afterAll hooks that make, migrate (and seed) a scratch database for the
 * enclosing describe block, and point `db()` at it. The returned object is filled in beforeAll.
 */
export function useTestDatabase(engine: Engine, opts: { seed?: boolean } = {}): TestContext {
  const ctx = { engine } as TestContext;
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(engine);
    ctx.url = scratch.url;
    process.env.DATABASE_URL = scratch.url;
    resetEnvCache();
    await migrate(scratch.url);
    ctx.db = db();
    if (opts.seed !== false) ctx.users = await seed();
  });
  afterAll(async () => {
    const holder = globalThis as unknown as { __portcullisDb?: { client: Db } };
    await holder.__portcullisDb?.client.$disconnect().catch(() => {});
    delete holder.__portcullisDb;
    delete process.env.DATABASE_URL;
    await scratch?.drop();
  });
  return ctx;
}
