import { BASE_URL } from "./constants";
import type { Principal } from "./context";

// Calls App Router route handlers directly, as Next would: a Request and, for dynamic routes, a
// context whose params is a promise.

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** How the caller authenticates: an API token, a session cookie, raw headers, or nothing. */
export type Auth = { via: "token" | "session"; as: Principal } | { headers: Record<string, string> } | null;

export interface CallOptions {
  auth?: Auth;
  /** Serialised as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is (use with `headers` for content-type). */
  body?: BodyInit;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string> | string;
  /** Session mutations get our Origin by default; pass null to send none, or another origin. */
  origin?: string | null;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape; tests assert it exactly
}

export const token = (p: Principal): Auth => ({ via: "token", as: p });
export const session = (p: Principal): Auth => ({ via: "session", as: p });
export const bearer = (t: string): Auth => ({ headers: { authorization: `Bearer ${t}` } });

export function buildRequest(method: string, path: string, o: CallOptions = {}): Request {
  const url = new URL(path, BASE_URL);
  if (typeof o.query === "string") url.search = o.query;
  else if (o.query) for (const [k, v] of Object.entries(o.query)) url.searchParams.set(k, v);
  const headers = new Headers(o.headers);
  const auth = o.auth ?? null;
  if (auth && "via" in auth) {
    if (auth.via === "token") headers.set("authorization", `Bearer ${auth.as.token}`);
    else headers.set("cookie", auth.as.cookie);
  } else if (auth && "headers" in auth) {
    for (const [k, v] of Object.entries(auth.headers)) headers.set(k, v);
  }
  const sessionMutation = !!auth && "via" in auth && auth.via === "session" && !["GET", "HEAD"].includes(method);
  const origin = o.origin === undefined ? (sessionMutation ? BASE_URL : null) : o.origin;
  if (origin) headers.set("origin", origin);
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(url, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
}

export async function call(handler: Handler, method: string, path: string, o: CallOptions = {}): Promise<CallResult> {
  const res = await handler(buildRequest(method, path, o), { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}

/** The error JSON every /api/v1 error has. */
export function apiError(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
