import { decode } from "next-auth/jwt";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { hashToken } from "@/lib/auth/tokens";
import { isRole, roleHas, type Permission, type Role } from "@/lib/auth/permissions";
import type { ClientInfo } from "@/lib/server/client";

// Who is calling: a signed-in person (next-auth JWT cookie naming a UserSession row) or an API
// token. Either way the user row is re-read on every request, so disabling a user or changing a
// role takes effect at once (and a bumped sessionVersion ends every session).

export interface Actor {
  id: string;
  kind: "human" | "service";
  name: string;
  email: string | null;
  role: Role;
  /** "cli": a command run on the host (npm run import), with database access and no credential. */
  via: "session" | "token" | "cli";
  tokenId?: string;
  /** When the token used expires (epoch ms; null when it never does). */
  tokenExpiresAt?: number | null;
  /** The credential used: the session id (`sid`) or the token id. Audit events record it. */
  credentialId?: string;
  /** What people recognise the credential by: the token's prefix (sessions have none). */
  credentialLabel?: string;
  /** The client address (lib/server/client.ts: believed from X-Forwarded-For only behind a
   * trusted proxy) and user agent of the request. */
  clientAddress?: string | null;
  userAgent?: string | null;
  /** An admin set this person's password: until they change it, only the change-password page
   * and endpoint are reachable. */
  mustChangePassword?: boolean;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && roleHas(actor.role, permission);
}

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** A cookie's value from a Cookie header; undefined when absent or not decodable (bad %-encoding). */
export function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const NO_CLIENT: ClientInfo = { address: null, userAgent: null };

/** A person acting through a console session (also the actor of their own sign-in event). */
export function sessionActor(
  user: { id: string; name: string; email: string | null; role: Role; mustChangePassword?: boolean },
  client: ClientInfo,
  sessionId?: string,
): Actor {
  return {
    id: user.id,
    kind: "human",
    name: user.name,
    email: user.email,
    role: user.role,
    via: "session",
    credentialId: sessionId,
    clientAddress: client.address,
    userAgent: client.userAgent,
    ...(user.mustChangePassword === undefined ? {} : { mustChangePassword: user.mustChangePassword }),
  };
}
const LAST_SEEN_GRANULARITY_MS = 60_000;

/**
 * Resolves the session cookie's user; null when absent, invalid, expired, signed out, ended by
 * a session-version bump, or the user is disabled. One query: the session row with its user.
 */
export async function actorFromSessionCookie(cookieHeader: string | null, client: ClientInfo = NO_CLIENT): Promise<Actor | null> {
  for (const name of SESSION_COOKIES) {
    const raw = readCookie(cookieHeader, name);
    if (!raw) continue;
    if (raw.length > 8192) return null;
    const token = await decode({ token: raw, secret: env().AUTH_SECRET }).catch(() => null);
    const id = typeof token?.sub === "string" ? token.sub : null;
    const sid = typeof token?.sid === "string" && token.sid.length <= 100 ? token.sid : null;
    const sv = typeof token?.sv === "number" && Number.isSafeInteger(token.sv) ? token.sv : null;
    if (!id || !sid || sv === null) return null;
    const row = await db().userSession.findUnique({ where: { id: sid }, include: { user: true } });
    const now = Date.now();
    if (!row || row.userId !== id || row.revokedAt || row.expiresAt.getTime() <= now) return null;
    const user = row.user;
    if (user.disabled || user.kind !== "human" || !isRole(user.role) || user.sessionVersion !== sv) return null;
    if (now - row.lastSeenAt.getTime() > LAST_SEEN_GRANULARITY_MS) {
      void db()
        .userSession.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } })
        .catch(() => {});
    }
    return sessionActor(user, client, row.id);
  }
  return null;
}

const LAST_USED_GRANULARITY_MS = 60_000;

/** Resolves a bearer token; null when unknown, revoked, expired or its account is disabled. */
export async function actorFromBearer(token: string, client: ClientInfo = NO_CLIENT): Promise<Actor | null> {
  if (token.length < 16 || token.length > 512) return null;
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  const now = Date.now();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  const user = row.user;
  if (user.disabled || !isRole(user.role)) return null;
  // Coarse last-used stamp: one write a minute per token, not one per call.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    void db()
      .apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } })
      .catch(() => {});
  }
  return {
    id: user.id,
    kind: user.kind,
    name: user.name,
    email: user.email,
    role: user.role,
    via: "token",
    tokenId: row.id,
    tokenExpiresAt: row.expiresAt?.getTime() ?? null,
    credentialId: row.id,
    credentialLabel: row.prefix,
    clientAddress: client.address,
    userAgent: client.userAgent,
  };
}

export type Credentials = { kind: "none" } | { kind: "bearer"; token: string } | { kind: "malformed" };

export function bearerFrom(authorization: string | null): Credentials {
  if (!authorization) return { kind: "none" };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? { kind: "bearer", token: m[1] } : { kind: "malformed" };
}
