import { SECURITY_HEADERS as SERVER_SECURITY_HEADERS } from "@/lib/server/security-headers";

// Headers every API response carries, set by the handlers themselves so a response is safe even
// when it does not pass through server.ts or Next's `headers()` (route handlers called directly,
// in tests or by another server). The one list is lib/server/security-headers.ts; a unit test
// checks it against next.config.ts.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(
  SERVER_SECURITY_HEADERS.map(([name, value]) => [name.toLowerCase(), value]),
);

/** Sets the security headers (and `Cache-Control: no-store` when `noStore` and none is set)
 * where the response has not set them itself. */
export function applyApiHeaders(headers: Headers, opts: { noStore?: boolean } = {}): Headers {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  if (opts.noStore && !headers.has("cache-control")) headers.set("cache-control", "no-store");
  return headers;
}

/**
 * The response with the API headers added. Responses with immutable headers (Response.redirect,
 * a fetched response passed through) are copied first.
 */
export function withApiHeaders(res: Response, opts: { noStore?: boolean } = {}): Response {
  try {
    applyApiHeaders(res.headers, opts);
    return res;
  } catch {
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: new Headers(res.headers) });
    applyApiHeaders(copy.headers, opts);
    return copy;
  }
}
