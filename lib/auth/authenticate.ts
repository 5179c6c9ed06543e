import { ApiError } from "@/lib/api/errors";
import { actorFromBearer, actorFromSessionCookie, bearerFrom, type Actor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { CLIENT_PROTO_HEADER } from "@/lib/server/client";
import { clientInfo } from "@/lib/server/client";

// Who is calling an /api/v1 handler: a bearer token or a session cookie (with CSRF checked for
// cookie-authenticated mutations). The actor carries the credential (session or token id, token
// prefix) and the client (address, user agent) for the audit trail.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What a session that must change its password may still call (sign-out is /api/auth). */
export const ALLOWED_BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set([
  "GET /api/v1/me",
  "HEAD /api/v1/me",
  "POST /api/v1/me/password",
  "DELETE /api/v1/me/sessions",
]);

export async function authenticate(req: Request): Promise<Actor> {
  const client = clientInfo(req.headers);
  const creds = bearerFrom(req.headers.get("authorization"));
  if (creds.kind === "malformed") throw new ApiError("unauthenticated", "Authorization header must be `Bearer <token>`");
  if (creds.kind === "bearer") {
    const actor = await actorFromBearer(creds.token, client);
    if (!actor) throw new ApiError("unauthenticated", "Invalid, expired or revoked token");
    return actor;
  }
  const actor = await actorFromSessionCookie(req.headers.get("cookie"), client);
  if (!actor) throw new ApiError("unauthenticated", "Sign in or send an API token");
  if (!SAFE_METHODS.has(req.method)) checkSameOrigin(req);
  if (actor.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${pathOf(req)}`)) {
    throw new ApiError("password_change_required", "Change your password first: POST /api/v1/me/password");
  }
  return actor;
}

function pathOf(req: Request): string {
  const path = new URL(req.url).pathname;
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** CSRF: a cookie-authenticated mutation must come from our own origin. */
export function checkSameOrigin(req: Request) {
  const origin = req.headers.get("origin");
  if (origin) {
    const allowed = new Set([new URL(env().PUBLIC_BASE_URL).origin]);
    const host = req.headers.get("host");
    if (host) {
      // server.ts sets this from the socket, or from X-Forwarded-Proto of a trusted proxy only.
      const proto = req.headers.get(CLIENT_PROTO_HEADER) ?? new URL(req.url).protocol.replace(":", "");
      allowed.add(`${proto}://${host}`);
    }
    if (allowed.has(origin)) return;
    throw new ApiError("csrf", "Cross-site request refused");
  }
  if (req.headers.get("sec-fetch-site") === "same-origin") return;
  throw new ApiError("csrf", "Cross-site request refused: Origin header missing");
}
