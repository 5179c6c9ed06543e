import type { IncomingMessage, ServerResponse } from "node:http";
import type { Precomputed } from "@/lib/public/snapshot";

// Small helpers for the public fast path: JSON answers, ETag revalidation, CORS. Headers set by
// the edges (security headers) are already on `res`.

export const CORS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "ETag",
};

/** Does If-None-Match name this ETag (weak comparison, as RFC 9110 asks for GET)? */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const inm = req.headers["if-none-match"];
  if (!inm) return false;
  if (inm.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return inm.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

export function sendPrecomputed(req: IncomingMessage, res: ServerResponse, p: Precomputed, headers: Record<string, string>): void {
  if (notModified(req, p.etag)) {
    res.writeHead(304, { etag: p.etag, ...headers });
    res.end();
    return;
  }
  res.writeHead(200, { "content-type": "application/json", "content-length": p.body.length, etag: p.etag, ...headers });
  res.end(req.method === "HEAD" ? undefined : p.body);
}

/** `{"error": "…"}`, the registry API's own error shape. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(req, res, status, { error: message }, { "cache-control": "no-store", ...headers });
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The query string's parameters; null when one is given twice or cannot be decoded. */
export function queryParams(rawQuery: string): Map<string, string> | { duplicate: string } | null {
  const out = new Map<string, string>();
  if (!rawQuery) return out;
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    let k: string;
    let v: string;
    try {
      k = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " "));
      v = decodeURIComponent((eq < 0 ? "" : part.slice(eq + 1)).replace(/\+/g, " "));
    } catch {
      return null;
    }
    if (out.has(k)) return { duplicate: k };
    out.set(k, v);
  }
  return out;
}

/** Reads a request body up to `limit` bytes as UTF-8; null when too large or not UTF-8. */
export function readBody(req: IncomingMessage, limit: number): Promise<{ text: string } | { error: "too_large" | "not_utf8" | "aborted" }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        resolve({ error: "too_large" });
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      try {
        resolve({ text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch {
        resolve({ error: "not_utf8" });
      }
    });
    req.on("error", () => {
      if (!done) resolve({ error: "aborted" });
      done = true;
    });
  });
}
