// Headers every API response carries, set by the handlers themselves so a response is safe even
// when it does not pass through Next's `headers()` (route handlers called from the custom server,
// from tests, or answered before Next routes). The list mirrors next.config.ts; a unit test keeps
// the two equal.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "cross-origin-opener-policy": "same-origin",
};

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
