import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ProxyRange } from "@/lib/env";
import { setClientHeaders } from "@/lib/server/client";
import { responseHeaders } from "@/lib/server/security-headers";

// What server.ts does to every request before Next sees it: the security headers (so Next's
// own errors carry them too), refusals Next would answer with a bare 500 or worse (a method
// outside HTTP's usual set, a target that is not a parseable path, a path with bad %-encoding),
// and the trusted client headers (lib/server/client.ts). Refusals use the API's error shape.

export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const ALLOWED = new Set<string>(ALLOWED_METHODS);
export const ALLOW_HEADER = ALLOWED_METHODS.join(", ");

export interface EdgeOptions {
  trustedProxies: readonly ProxyRange[];
  /** PUBLIC_BASE_URL is https: send HSTS. */
  hsts: boolean;
}

export function edgeOptions(e: { TRUSTED_PROXIES: readonly ProxyRange[]; PUBLIC_BASE_URL: string }): EdgeOptions {
  return { trustedProxies: e.TRUSTED_PROXIES, hsts: e.PUBLIC_BASE_URL.startsWith("https:") };
}

function errorJson(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  const body = errorJson(code, message);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...extra,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

const CONTROL = /[\u0000-\u001F\u007F]/;

/** Why a request target cannot be served, or null when it can. */
// A path of plain printable ASCII (no %-escapes, no backslash) that starts with one "/" parses
// and decodes to itself: nothing below can refuse it, so it skips the URL parser (the public
// fast path sees such targets on nearly every request).
const PLAIN_PATH = /^\/(?!\/)[\x21-\x24\x26-\x5B\x5D-\x7E]*$/;

export function badTarget(url: string | undefined): string | null {
  if (!url) return "the request has no target";
  if (PLAIN_PATH.test(url)) return null;
  let path: string;
  if (url.startsWith("/")) {
    path = url.split(/[?#]/, 1)[0];
  } else if (/^https?:\/\//i.test(url)) {
    // absolute-form, which HTTP/1.1 servers must accept
    try {
      path = new URL(url).pathname;
    } catch {
      return "the request URL cannot be parsed";
    }
  } else {
    return "the request target must be a path";
  }
  try {
    new URL(url, "http://localhost");
  } catch {
    return "the request URL cannot be parsed";
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return "the request path has invalid %-encoding";
  }
  if (CONTROL.test(decoded)) return "the request path contains control characters";
  return null;
}

/**
 * Prepares a request for Next, or answers it. Returns true when the request was answered here
 * (and must not reach Next).
 */
export function handleEdges(req: IncomingMessage, res: ServerResponse, opts: EdgeOptions): boolean {
  for (const [name, value] of responseHeaders(opts.hsts)) res.setHeader(name, value);
  const method = req.method ?? "";
  if (!ALLOWED.has(method)) {
    refuse(req, res, 405, "method_not_allowed", `${method} is not allowed; use one of ${ALLOW_HEADER}`, { allow: ALLOW_HEADER });
    return true;
  }
  const bad = badTarget(req.url);
  if (bad) {
    refuse(req, res, 400, "bad_request", bad);
    return true;
  }
  setClientHeaders(req, opts.trustedProxies);
  return false;
}

/**
 * Node's answer to a request it cannot even parse (bad characters in the target or a header, an
 * oversized header) is a bare 400 without our headers; this one has them and the error shape.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, opts: EdgeOptions) {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  if (err.code === "HPE_INVALID_METHOD") {
    writeRaw(socket, opts, 405, "Method Not Allowed", errorJson("method_not_allowed", `the method is not allowed; use one of ${ALLOW_HEADER}`), [["Allow", ALLOW_HEADER]]);
    return;
  }
  const [status, reason, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "the request headers are too large"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "the request took too long to arrive"]
        : [400, "Bad Request", "the request cannot be parsed"];
  writeRaw(socket, opts, status, reason, errorJson("bad_request", message));
}

/** CONNECT never reaches the request listener (Node emits `connect`): refused like TRACE. */
export function answerConnect(socket: Duplex, opts: EdgeOptions) {
  writeRaw(socket, opts, 405, "Method Not Allowed", errorJson("method_not_allowed", `CONNECT is not allowed; use one of ${ALLOW_HEADER}`), [["Allow", ALLOW_HEADER]]);
}

function writeRaw(socket: Duplex, opts: EdgeOptions, status: number, reason: string, body: string, extra: [string, string][] = []) {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headers = [
    ...responseHeaders(opts.hsts),
    ...extra,
    ["Content-Type", "application/json"],
    ["Content-Length", String(Buffer.byteLength(body))],
    ["Cache-Control", "no-store"],
    ["Connection", "close"],
  ];
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`);
}
