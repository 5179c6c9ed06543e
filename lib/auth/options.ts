import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { currentClient } from "@/lib/auth/request-context";
import { signOutSession } from "@/lib/auth/sessions";
import { signInWithPassword, ssoSignIn, type SignInFailure } from "@/lib/auth/signin";
import { safeRedirectPath } from "@/lib/client/routes";
import { logger } from "@/lib/log";

// next-auth: local accounts and one OIDC provider. The JWT carries the user id (`sub`), the
// UserSession id (`sid`) and the user's session version (`sv`); every request re-reads the
// session row and the user (lib/auth/actor.ts), so sign-out, disabling, role and password
// changes apply at once. The route (app/api/auth/[...nextauth]) runs next-auth inside
// runWithClient(), so the callbacks know the client address and user agent.

export const DEFAULT_SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
/** @deprecated the sessionMaxAgeHours setting decides; kept for callers of the old name. */
export const SESSION_MAX_AGE_SECONDS = DEFAULT_SESSION_MAX_AGE_SECONDS;

/** The next-auth error code the sign-in page shows for each refusal. */
export const SIGNIN_ERROR: Record<SignInFailure, string> = {
  invalid: "CredentialsSignin",
  locked: "AccountLocked",
  throttled: "TooManyAttempts",
  busy: "ServerBusy",
};

interface SessionUser {
  id: string;
  sid?: string;
  sv?: number;
}

export function authOptions(opts: { sessionMaxAgeSeconds?: number } = {}): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const result = await signInWithPassword(String(credentials?.email ?? ""), String(credentials?.password ?? ""), {
          client: currentClient(),
          session: true,
        });
        if (result.ok && result.session) {
          const user: SessionUser = { id: result.userId, sid: result.session.id, sv: result.session.version };
          return user;
        }
        // next-auth passes the thrown message to the client as `error`.
        throw new Error(result.ok ? "CredentialsSignin" : SIGNIN_ERROR[result.reason]);
      },
    }),
  ];
  if (e.oidcEnabled) {
    providers.push({
      id: "oidc",
      name: e.OIDC_DISPLAY_NAME,
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER!.replace(/\/+$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: `openid email profile ${e.OIDC_ROLES_CLAIM}`.trim() } },
      profile(claims: Record<string, unknown>) {
        return { id: String(claims.sub), ...claims };
      },
    });
  }
  return {
    secret: e.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: opts.sessionMaxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const claims = (profile ?? {}) as Record<string, unknown>;
        const result = await ssoSignIn(
          {
            issuer: e.OIDC_ISSUER!,
            sub: String(claims.sub ?? account.providerAccountId),
            email: typeof claims.email === "string" ? claims.email : null,
            emailVerified: claims.email_verified === true,
            name: typeof claims.name === "string" ? claims.name : null,
            groups: claims[e.OIDC_ROLES_CLAIM],
          },
          e.OIDC_ROLE_MAP,
          { client: currentClient(), session: true },
        );
        if (!result?.session) return "/signin?error=NoRole";
        const u = user as SessionUser;
        u.id = result.userId;
        u.sid = result.session.id;
        u.sv = result.session.version;
        return true;
      },
      async jwt({ token, user }) {
        // On sign-in `user` is what authorize() or signIn() above produced.
        const u = user as SessionUser | undefined;
        if (u?.id) return { sub: u.id, sid: u.sid, sv: u.sv, iat: token.iat, exp: token.exp, jti: token.jti };
        // Later calls (GET /api/auth/session): a session ended server-side is not renewed; the
        // throw makes next-auth delete the cookie.
        if (!(await sessionIsLive(token))) throw new Error("SessionEnded");
        return { sub: token.sub, sid: token.sid, sv: token.sv, iat: token.iat, exp: token.exp, jti: token.jti };
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub } } as typeof session;
      },
      // Where next-auth may send the browser (callbackUrl on sign-in and sign-out): only our
      // own origin, resolved and checked like the sign-in page does.
      async redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, baseUrl) ?? "/"}`;
      },
    },
    events: {
      async signOut({ token }) {
        const claims = (token ?? {}) as { sub?: unknown; sid?: unknown };
        await signOutSession(claims, currentClient()).catch((err: unknown) => {
          logger().error({ err }, "could not end the session at sign-out");
        });
      },
    },
  };
}

async function sessionIsLive(token: { sub?: unknown; sid?: unknown; sv?: unknown }): Promise<boolean> {
  if (typeof token.sid !== "string" || typeof token.sub !== "string" || typeof token.sv !== "number") return false;
  const row = await db().userSession.findUnique({ where: { id: token.sid }, include: { user: true } });
  return (
    !!row &&
    row.userId === token.sub &&
    !row.revokedAt &&
    row.expiresAt.getTime() > Date.now() &&
    !row.user.disabled &&
    row.user.sessionVersion === token.sv
  );
}
