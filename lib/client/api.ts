// The one fetch wrapper for the console's JSON API: same-origin cookies, JSON in and out, and the
// error shape { error: { code, message, details } } turned into a thrown ApiClientError.

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiClientError";
  }

  /** Field errors from a 422 (or a 409 naming a field), keyed by field name without "body." */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const d of this.details as unknown[]) {
      if (d && typeof d === "object" && typeof (d as FieldIssue).field === "string") {
        const { field, message } = d as FieldIssue;
        out[field.replace(/^body\./, "")] ??= String(message);
      }
    }
    return out;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, query, signal } = options;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiClientError(0, "network_error", "Could not reach the Portcullis server. Check your connection and try again.");
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    throw new ApiClientError(
      res.status,
      typeof e?.code === "string" ? e.code : `http_${res.status}`,
      typeof e?.message === "string" ? e.message : `Request failed (HTTP ${res.status})`,
      e?.details,
    );
  }
  return json as T;
}

/** A message for people: the API's own message, or a generic one for anything unexpected. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiClientError) return err.message;
  return "Something went wrong. Try again.";
}
