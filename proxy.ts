import { NextResponse, type NextRequest } from "next/server";

// Next 16 proxy (formerly middleware): sets the per-request CSP nonce and sends signed-out page
// visits to /signin. It only looks for the session cookie; every page, handler and action checks
// the session and permission itself.

const PUBLIC_PAGES = ["/signin", "/setup"];

function csp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const isPage = !pathname.startsWith("/api/");
  const hasSession =
    req.cookies.has("next-auth.session-token") || req.cookies.has("__Secure-next-auth.session-token");
  if (isPage && !hasSession && !PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    const url = req.nextUrl.clone();
    url.pathname = "/signin";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = csp(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  // The path being rendered, for requireActor (lib/auth/session.ts); always ours, never the client's.
  headers.set("x-portcullis-pathname", pathname);
  headers.set("content-security-policy", policy);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", policy);
  return res;
}

export const config = {
  // Pages and the console API; not static assets or the public machine endpoints.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|v0|v0.1|oauth|\\.well-known).*)"],
};
