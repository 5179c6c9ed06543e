// The headers every response carries. server.ts sets them before Next sees a request, so errors
// Next answers itself (and the refusals in lib/server/edges.ts) carry them too; next.config.ts
// lists the same set for `next dev`/`next start` (tests/integration/server-edges.test.ts checks
// the two agree). The CSP with its per-request nonce is set in proxy.ts.

export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/** Sent on every response when PUBLIC_BASE_URL is https. */
export const HSTS: readonly [string, string] = ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"];

export function responseHeaders(hsts: boolean): ReadonlyArray<readonly [string, string]> {
  return hsts ? [...SECURITY_HEADERS, HSTS] : SECURITY_HEADERS;
}
