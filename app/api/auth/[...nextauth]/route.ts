// /api/auth/* — next-auth (local sign-in, OIDC SSO, sign-out)
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { runWithClient } from "@/lib/auth/request-context";
import { clientInfo } from "@/lib/server/client";
import { getSetting } from "@/lib/settings/data";

// next-auth's callbacks do not see the request: run it with the client (address, user agent)
// in async-local storage, for the throttle, the session row and the audit events.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const hours = await getSetting("sessionMaxAgeHours");
  return runWithClient(clientInfo(req.headers), () =>
    NextAuth(req as never, ctx as never, authOptions({ sessionMaxAgeSeconds: hours * 3600 })),
  );
}

export { handler as GET, handler as POST };
