// /api/auth/* — next-auth (local sign-in, OIDC SSO, sign-out)
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req as never, ctx as never, authOptions());
}

export { handler as GET, handler as POST };
