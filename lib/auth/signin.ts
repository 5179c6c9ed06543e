import { db, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { verifyPassword } from "@/lib/auth/password";
import { isRole, roleFromGroups, type Role } from "@/lib/auth/permissions";

// Local sign-in with lockout, and SSO sign-in with group -> role mapping.

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/**
 * Drops failures older than the lockout window: they no longer count, and a password spray over
 * many e-mails would otherwise leave rows behind for good. At most once a minute per process.
 */
export async function pruneLoginFailures(now = new Date(), force = false): Promise<number> {
  if (!force && now.getTime() - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now.getTime();
  const { count } = await db().loginFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - LOCKOUT_WINDOW_MS) } } });
  return count;
}

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "locked" };

/** Failures for this e-mail inside the lockout window. */
function recentFailures(client: Tx, email: string, now = new Date()): Promise<number> {
  return client.loginFailure.count({ where: { email, at: { gt: new Date(now.getTime() - LOCKOUT_WINDOW_MS) } } });
}

export async function isLockedOut(email: string, now = new Date()): Promise<boolean> {
  return (await recentFailures(db(), email, now)) >= LOCKOUT_FAILURES;
}

/** The person signing in, as the actor of their own sign-in audit event. */
function signingIn(user: { id: string; name: string; email: string | null; role: Role }): Actor {
  return { id: user.id, kind: "human", name: user.name, email: user.email, role: user.role, via: "session" };
}

export async function signInWithPassword(rawEmail: string, password: string): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  if (!email || !password || email.length > 254 || password.length > 256) return { ok: false, reason: "invalid" };
  if (await isLockedOut(email)) return { ok: false, reason: "locked" };
  const user = await db().user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const valid = await verifyPassword(password, user?.passwordHash);
  if (!valid || !user || user.disabled || user.kind !== "human") {
    await db().$transaction(async (tx) => {
      await tx.loginFailure.create({ data: { email } });
      const failures = await recentFailures(tx, email);
      if (failures === LOCKOUT_FAILURES) {
        await recordAudit(tx, { kind: "system", label: "sign-in" }, {
          action: "auth.lockout",
          target: { type: "user", id: user?.id ?? email, label: email },
          data: { failures, windowMinutes: LOCKOUT_WINDOW_MS / 60_000 },
        });
      }
    });
    await pruneLoginFailures();
    return { ok: false, reason: "invalid" };
  }
  await db().$transaction(async (tx) => {
    await tx.loginFailure.deleteMany({ where: { email } });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, signingIn(user), {
      action: "auth.signin",
      target: { type: "user", id: user.id, label: user.email },
      data: { method: "password" },
    });
  });
  return { ok: true, userId: user.id };
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

/** Creates or updates the SSO user; null (no access) when no group maps to a role. */
export async function signInWithSso(p: SsoProfile, roleMap: Record<string, Role>): Promise<string | null> {
  const role = roleFromGroups(p.groups, roleMap);
  if (!role || !isRole(role)) return null;
  const email = p.email?.trim().toLowerCase() || null;
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
    if (user?.disabled) return null;
    const saved = user
      ? await tx.user.update({
          where: { id: user.id },
          data: { role, name, ssoIssuer: p.issuer, ssoSubject: p.sub, lastLoginAt: new Date() },
        })
      : await tx.user.create({
          data: { email: ownEmail, name, role, ssoIssuer: p.issuer, ssoSubject: p.sub, lastLoginAt: new Date() },
        });
    await recordAudit(tx, signingIn({ ...saved, role }), {
      action: "auth.signin",
      target: { type: "user", id: saved.id, label: saved.email ?? saved.name },
      before: user ? { role: user.role } : undefined,
      after: { role },
      data: { method: "sso", issuer: p.issuer },
    });
    return saved.id;
  });
}
