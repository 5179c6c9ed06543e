import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import type { ClientInfo } from "@/lib/server/client";
import { getSetting } from "@/lib/settings/data";

// Console sessions. The next-auth JWT carries `sub` (user id), `sid` (a UserSession row id) and
// `sv` (the user's sessionVersion when it was issued). A cookie is accepted only while its row
// exists, is not revoked and has not expired, and `sv` equals the user's sessionVersion: sign-out
// revokes the row; a password change, disable, role change or "sign out everywhere" bumps the
// version and so ends every session of that person at once.

export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";
export const PLAIN_SESSION_COOKIE = "next-auth.session-token";

/** The claims of our session JWT (next-auth adds iat, exp, jti). */
export interface SessionClaims {
  sub: string;
  sid: string;
  sv: number;
}

const MAX_ADDRESS = 100;

export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

/** Creates a session row for a sign-in; expires after the sessionMaxAgeHours setting. */
export async function createSession(tx: Tx, userId: string, client: ClientInfo, now = new Date()): Promise<{ id: string; expiresAt: Date }> {
  const hours = await getSetting("sessionMaxAgeHours", tx);
  const row = await tx.userSession.create({
    data: {
      id: newSessionId(),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
      address: client.address?.slice(0, MAX_ADDRESS) ?? null,
      userAgent: client.userAgent,
    },
  });
  return { id: row.id, expiresAt: row.expiresAt };
}

/** Revokes one session (sign-out); returns whether a live row was revoked. */
export async function revokeSession(tx: Tx, sid: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.userSession.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/**
 * Ends every session of a person: bumps sessionVersion (old JWTs are refused even without their
 * row) and revokes every live row. Returns the new version and how many rows were revoked.
 */
export async function endAllSessions(tx: Tx, userId: string, now = new Date()): Promise<{ sessionVersion: number; revoked: number }> {
  const user = await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  const { count } = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return { sessionVersion: user.sessionVersion, revoked: count };
}

/** Sign-out (next-auth `events.signOut`): revokes the session the cookie named, audited. */
export async function signOutSession(claims: { sub?: unknown; sid?: unknown }, client: ClientInfo): Promise<boolean> {
  const sid = typeof claims.sid === "string" ? claims.sid : null;
  const sub = typeof claims.sub === "string" ? claims.sub : null;
  if (!sid || !sub) return false;
  return db().$transaction(async (tx) => {
    const row = await tx.userSession.findUnique({ where: { id: sid }, include: { user: true } });
    if (!row || row.userId !== sub) return false;
    const revoked = await revokeSession(tx, sid);
    if (!revoked) return false;
    const u = row.user;
    const actor: Actor = {
      id: u.id,
      kind: "human",
      name: u.name,
      email: u.email,
      role: u.role as Actor["role"],
      via: "session",
      credentialId: sid,
      clientAddress: client.address,
      userAgent: client.userAgent,
    };
    await recordAudit(tx, actor, { action: "auth.signout", target: { type: "user", id: u.id, label: u.email ?? u.name }, data: { sessionId: sid } });
    return true;
  });
}

/** Whether next-auth uses the __Secure- cookie (it does when PUBLIC_BASE_URL is https). */
export function secureCookies(): boolean {
  return env().PUBLIC_BASE_URL.startsWith("https://");
}

export function sessionCookieName(): string {
  return secureCookies() ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE;
}

/** A Set-Cookie value carrying a fresh session JWT, with the attributes next-auth uses. */
export async function sessionSetCookie(claims: SessionClaims, maxAgeSeconds: number): Promise<string> {
  const jwt = await encode({ token: { ...claims }, secret: env().AUTH_SECRET, maxAge: maxAgeSeconds });
  const expires = new Date(Date.now() + maxAgeSeconds * 1000).toUTCString();
  return `${sessionCookieName()}=${jwt}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax${secureCookies() ? "; Secure" : ""}`;
}

/** Set-Cookie values that delete the session cookie (both names). */
export function clearSessionCookies(): string[] {
  return [
    `${PLAIN_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    `${SECURE_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`,
  ];
}
