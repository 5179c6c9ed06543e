import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { signInWithPassword, signInWithSso } from "@/lib/auth/signin";

// next-auth: local accounts and one OIDC provider. JWT sessions carry only the user id; every
// request re-reads the user (lib/auth/actor.ts), so role changes and disabling apply at once.

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const result = await signInWithPassword(String(credentials?.email ?? ""), String(credentials?.password ?? ""));
        if (result.ok) return { id: result.userId };
        // next-auth passes the thrown message to the client as `error`.
        throw new Error(result.reason === "locked" ? "AccountLocked" : "CredentialsSignin");
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
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const claims = (profile ?? {}) as Record<string, unknown>;
        const id = await signInWithSso(
          {
            issuer: e.OIDC_ISSUER!,
            sub: String(claims.sub ?? account.providerAccountId),
            email: typeof claims.email === "string" ? claims.email : null,
            emailVerified: claims.email_verified === true,
            name: typeof claims.name === "string" ? claims.name : null,
            groups: claims[e.OIDC_ROLES_CLAIM],
          },
          e.OIDC_ROLE_MAP,
        );
        if (!id) return "/signin?error=NoRole";
        user.id = id;
        return true;
      },
      async jwt({ token, user }) {
        // On sign-in `user.id` is our user id (for SSO, set in signIn above).
        if (user?.id) token.sub = user.id;
        return { sub: token.sub, iat: token.iat, exp: token.exp, jti: token.jti };
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub } } as typeof session;
      },
    },
  };
}
