import { bumpTokens } from "@/lib/auth/token-cache";
import { db, lockKey, type Tx } from "@/lib/db";
import { sessionActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { HashingBusyError, verifyPassword } from "@/lib/auth/password";
import { isRole, roleFromGroups, type Role } from "@/lib/auth/permissions";
import { stateOf, windowStart } from "@/lib/auth/lockout";
import { createSession } from "@/lib/auth/sessions";
import { logger } from "@/lib/log";
import type { ClientInfo } from "@/lib/server/client";
import { getSettings } from "@/lib/settings/data";
import type { Settings } from "@/lib/settings/schema";

// Local sign-in with lockout and throttling, and SSO sign-in with group -> role mapping.
//
// Every password attempt is recorded BEFORE the password is checked, under a lock on the
// client address and on the e-mail, and refused without hashing when a limit is already
// reached (lib/settings: lockoutFailures per e-mail and address, lockoutAccountFailures per
// e-mail from everywhere, throttlePerAddress per address across e-mails, all over
// lockoutWindowMinutes). Concurrent guesses therefore queue on the lock and at most the limit of
// them are ever evaluated. A success removes its own attempt and the failures of that e-mail from
// that address. The attempt that reaches a limit writes the one `auth.lockout` event.

const UNKNOWN_CLIENT: ClientInfo = { address: null, userAgent: null };

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/**
 * Drops attempts older than the lockout window: they no longer count, and a password spray over
 * many e-mails would otherwise leave rows behind for good. At most once a minute per process.
 */
export async function pruneLoginFailures(now = new Date(), force = false): Promise<number> {
  if (!force && now.getTime() - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now.getTime();
  const { lockoutWindowMinutes } = await getSettings();
  const { count } = await db().loginFailure.deleteMany({ where: { at: { lt: windowStart(now, lockoutWindowMinutes) } } });
  return count;
}

export type PasswordMethod = "password" | "password_change";

export type SignInFailure = "invalid" | "locked" | "throttled" | "busy";
export type SignInResult =
  | { ok: true; userId: string; session?: { id: string; version: number; expiresAt: Date } }
  | { ok: false; reason: SignInFailure };

/** Why a failed sign-in failed, as the audit event records it (never the password). */
export type FailureReason = "unknown_email" | "wrong_password" | "no_password" | "disabled" | "locked" | "throttled" | "no_role";

export interface SignInOptions {
  /** The client (address and user agent): throttles, session row, audit. */
  client?: ClientInfo;
  /** Create a UserSession row and return it (next-auth sign-in does). */
  session?: boolean;
  now?: Date;
}

/** Whether the e-mail is locked for sign-in from this address (or from everywhere). */
export async function isLockedOut(email: string, address = "", now = new Date()): Promise<boolean> {
  const limits = await getSettings();
  const attempts = await db().loginFailure.findMany({
    where: { email, at: { gt: windowStart(now, limits.lockoutWindowMinutes) } },
    select: { address: true, at: true },
  });
  const state = stateOf(attempts, limits);
  return state.lockedEverywhere || attempts.filter((a) => a.address === address).length >= limits.lockoutFailures;
}

const SIGN_IN_SYSTEM = { kind: "system" as const, label: "sign-in" };

export async function auditFailure(
  tx: Tx,
  email: string,
  userId: string | undefined,
  reason: FailureReason,
  client: ClientInfo,
  method: PasswordMethod | "sso" = "password",
) {
  await recordAudit(tx, SIGN_IN_SYSTEM, {
    action: "auth.signin_failed",
    target: { type: "user", id: userId ?? email, label: email },
    data: { method, reason, address: client.address, userAgent: client.userAgent },
  });
}

export type Attempt =
  | { kind: "refused"; reason: "locked" | "throttled" }
  | { kind: "recorded"; id: string; pairPosition: number; accountPosition: number };

/** Step 1, under the locks: refuse when a limit is reached, else record the attempt. */
export async function recordAttempt(
  email: string,
  address: string,
  client: ClientInfo,
  limits: Settings,
  now: Date,
  method: PasswordMethod = "password",
): Promise<Attempt> {
  return db().$transaction(async (tx) => {
    // Always address first, then e-mail: concurrent sign-ins never wait on each other in a cycle.
    await lockKey(tx, `signin-address:${address}`);
    await lockKey(tx, `signin-email:${email}`);
    const since = windowStart(now, limits.lockoutWindowMinutes);
    const [perAddress, pair, account] = await Promise.all([
      tx.loginFailure.count({ where: { address, at: { gt: since } } }),
      tx.loginFailure.count({ where: { email, address, at: { gt: since } } }),
      tx.loginFailure.count({ where: { email, at: { gt: since } } }),
    ]);
    let refused: "locked" | "throttled" | null = null;
    if (pair >= limits.lockoutFailures || account >= limits.lockoutAccountFailures) refused = "locked";
    else if (perAddress >= limits.throttlePerAddress) refused = "throttled";
    if (refused) {
      const user = await tx.user.findUnique({ where: { email }, select: { id: true } });
      await auditFailure(tx, email, user?.id, refused, client, method);
      return { kind: "refused", reason: refused };
    }
    const row = await tx.loginFailure.create({ data: { email, address, at: now } });
    return { kind: "recorded", id: row.id, pairPosition: pair + 1, accountPosition: account + 1 };
  });
}

/** Step 3 of a failure: audit it, and write the lockout event if this attempt reached a limit. */
export async function recordFailure(
  email: string,
  address: string,
  attempt: Extract<Attempt, { kind: "recorded" }>,
  user: { id: string } | null,
  reason: FailureReason,
  client: ClientInfo,
  limits: Settings,
  now: Date,
  method: PasswordMethod = "password",
) {
  await db().$transaction(async (tx) => {
    await lockKey(tx, `signin-email:${email}`);
    await auditFailure(tx, email, user?.id, reason, client, method);
    const reachedAccount = attempt.accountPosition === limits.lockoutAccountFailures;
    const reachedPair = attempt.pairPosition === limits.lockoutFailures;
    if (!reachedAccount && !reachedPair) return;
    // Re-count: an earlier attempt that succeeded meanwhile cleared the failures (no lockout then).
    const since = windowStart(now, limits.lockoutWindowMinutes);
    const account = await tx.loginFailure.count({ where: { email, at: { gt: since } } });
    const pair = await tx.loginFailure.count({ where: { email, address, at: { gt: since } } });
    const everywhere = reachedAccount && account >= limits.lockoutAccountFailures;
    const here = reachedPair && pair >= limits.lockoutFailures;
    if (!everywhere && !here) return;
    await recordAudit(tx, SIGN_IN_SYSTEM, {
      action: "auth.lockout",
      target: { type: "user", id: user?.id ?? email, label: email },
      data: {
        scope: everywhere ? "account" : "address",
        failures: everywhere ? account : pair,
        windowMinutes: limits.lockoutWindowMinutes,
        address: client.address,
      },
    });
  });
}

export async function signInWithPassword(rawEmail: string, password: string, opts: SignInOptions = {}): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  if (!email || !password || email.length > 254 || password.length > 256) return { ok: false, reason: "invalid" };
  const client = opts.client ?? UNKNOWN_CLIENT;
  const address = client.address ?? "";
  const now = opts.now ?? new Date();
  const limits = await getSettings();

  const attempt = await recordAttempt(email, address, client, limits, now);
  if (attempt.kind === "refused") return { ok: false, reason: attempt.reason };

  let user: Awaited<ReturnType<typeof findForSignIn>> = null;
  let valid: boolean;
  try {
    user = await findForSignIn(email);
    valid = await verifyPassword(password, user?.passwordHash);
  } catch (err) {
    // Not evaluated (server busy, database trouble): the attempt does not count.
    await db().loginFailure.deleteMany({ where: { id: attempt.id } }).catch(() => {});
    if (err instanceof HashingBusyError) {
      logger().warn({ address: client.address }, "sign-in refused: password hashing at capacity");
      return { ok: false, reason: "busy" };
    }
    throw err;
  }

  if (!valid || !user || user.disabled || user.kind !== "human" || !isRole(user.role)) {
    const reason: FailureReason = !user || user.kind !== "human"
      ? "unknown_email"
      : !user.passwordHash
        ? "no_password"
        : !valid
          ? "wrong_password"
          : "disabled";
    await recordFailure(email, address, attempt, user, reason, client, limits, now);
    await pruneLoginFailures(now);
    return { ok: false, reason: "invalid" };
  }

  const signedIn = user;
  const role = user.role;
  const session = await db().$transaction(async (tx) => {
    // The attempt was not a failure after all; earlier failures from this address are forgiven.
    await tx.loginFailure.deleteMany({ where: { OR: [{ id: attempt.id }, { email, address }] } });
    const fresh = await tx.user.update({ where: { id: signedIn.id }, data: { lastLoginAt: now }, select: { sessionVersion: true } });
    const created = opts.session ? await createSession(tx, signedIn.id, client, now) : undefined;
    await recordAudit(tx, sessionActor({ ...signedIn, role, mustChangePassword: undefined }, client, created?.id), {
      action: "auth.signin",
      target: { type: "user", id: signedIn.id, label: signedIn.email },
      data: { method: "password" },
    });
    return created ? { id: created.id, version: fresh.sessionVersion, expiresAt: created.expiresAt } : undefined;
  });
  return session ? { ok: true, userId: signedIn.id, session } : { ok: true, userId: signedIn.id };
}

function findForSignIn(email: string) {
  return db().user.findUnique({ where: { email }, omit: { passwordHash: false } });
}

export interface SsoProfile {
  issuer: string;
  sub: string;
  email?: string | null;
  /** The IdP's `email_verified` claim: only a verified e-mail may link to an existing account. */
  emailVerified?: boolean;
  name?: string | null;
  groups: unknown;
}

export interface SsoSignIn {
  userId: string;
  session?: { id: string; version: number; expiresAt: Date };
}

/** Creates or updates the SSO user; null (no access) when no group maps to a role. */
export async function signInWithSso(p: SsoProfile, roleMap: Record<string, Role>): Promise<string | null> {
  return (await ssoSignIn(p, roleMap))?.userId ?? null;
}

/** signInWithSso, optionally creating the session (next-auth sign-in). */
export async function ssoSignIn(p: SsoProfile, roleMap: Record<string, Role>, opts: SignInOptions = {}): Promise<SsoSignIn | null> {
  const client = opts.client ?? UNKNOWN_CLIENT;
  const now = opts.now ?? new Date();
  const role = roleFromGroups(p.groups, roleMap);
  const email = p.email?.trim().toLowerCase() || null;
  const label = email ?? `${p.issuer}#${p.sub}`;
  if (!role || !isRole(role)) {
    await db().$transaction((tx) => auditFailure(tx, label, undefined, "no_role", client, "sso"));
    return null;
  }
  return db().$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { ssoIssuer_ssoSubject: { ssoIssuer: p.issuer, ssoSubject: p.sub } } });
    let ownEmail = email;
    if (!user && email) {
      const holder = await tx.user.findUnique({ where: { email } });
      // Link an existing local account with the same e-mail, but only when the IdP vouches for
      // the address: otherwise anyone able to set their e-mail at the IdP could take it over.
      if (holder && holder.kind === "human" && !holder.ssoSubject && p.emailVerified === true) user = holder;
      else if (holder) ownEmail = null;
    }
    const name = p.name?.trim() || email || p.sub;
    if (user?.disabled) {
      await auditFailure(tx, user.email ?? label, user.id, "disabled", client, "sso");
      return null;
    }
    const saved = user
      ? await tx.user.update({
          where: { id: user.id },
          data: { role, name, ssoIssuer: p.issuer, ssoSubject: p.sub, lastLoginAt: now },
        })
      : await tx.user.create({
          data: { email: ownEmail, name, role, ssoIssuer: p.issuer, ssoSubject: p.sub, lastLoginAt: now },
        });
    const created = opts.session ? await createSession(tx, saved.id, client, now) : undefined;
    // The IdP moved this person to another role: tokens the fast path cached carry the old one.
    if (user && user.role !== role) await bumpTokens(tx);
    await recordAudit(tx, sessionActor({ ...saved, role, mustChangePassword: undefined }, client, created?.id), {
      action: "auth.signin",
      target: { type: "user", id: saved.id, label: saved.email ?? saved.name },
      before: user ? { role: user.role } : undefined,
      after: { role },
      data: { method: "sso", issuer: p.issuer },
    });
    return { userId: saved.id, session: created ? { id: created.id, version: saved.sessionVersion, expiresAt: created.expiresAt } : undefined };
  });
}
