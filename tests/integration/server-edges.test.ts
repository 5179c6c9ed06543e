import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { parseTrustedProxies } from "@/lib/env";
import { answerClientError, answerConnect, ALLOW_HEADER, type EdgeOptions } from "@/lib/server/edges";
import { requestListener, type NextHandler } from "@/lib/server/listener";
import { HSTS, SECURITY_HEADERS } from "@/lib/server/security-headers";

// The request path of server.ts without Next: the same listener, clientError and connect
// handlers, in front of a stand-in for Next's request handler.

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

interface Seen {
  url?: string;
  headers?: IncomingMessage["headers"];
  rawHeaders?: string[];
}

/** A server wired like server.ts; `next` plays Next and records what it saw. */
async function serve(opts: Partial<EdgeOptions> = {}, next?: NextHandler) {
  const seen: Seen[] = [];
  const edges: EdgeOptions = { trustedProxies: [], hsts: false, ...opts };
  const handle: NextHandler =
    next ??
    (async (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ url: req.url, headers: req.headers, rawHeaders: req.rawHeaders });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
  const server = createServer(requestListener(async (req, res) => {
    if (next) seen.push({ url: req.url, headers: req.headers });
    return handle(req, res);
  }, edges, pino({ level: "silent" })));
  server.on("clientError", (err, socket) => answerClientError(err, socket, edges));
  server.on("connect", (_req, socket) => answerConnect(socket, edges));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, seen };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (no client-side URL or method checks) and parses the answer. */
function raw(port: number, text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const all = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = all.split("\r\n\r\n");
      const [statusLine, ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
    socket.end(text);
  });
}

const get = (port: number, target: string, headers: Record<string, string> = {}, method = "GET") =>
  raw(port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);

function expectSecurityHeaders(a: Answer, hsts = false) {
  for (const [name, value] of SECURITY_HEADERS) expect(a.headers[name.toLowerCase()], name).toBe(value);
  expect(a.headers["strict-transport-security"]).toBe(hsts ? HSTS[1] : undefined);
}

/** Removes chunked framing from a raw body, when Node used it. */
const unchunk = (a: Answer) => (a.headers["transfer-encoding"] === "chunked" ? a.body.split("\r\n").filter((_, i) => i % 2 === 1).join("") : a.body);

describe("security headers on every response", () => {
  it("next.config.ts and server.ts send the same set", async () => {
    const rules = await nextConfig.headers!();
    expect(rules).toEqual([{ source: "/:path*", headers: SECURITY_HEADERS.map(([key, value]) => ({ key, value })) }]);
  });

  it("on Next's own answers, errors included: 200, a plain-text 500, a 404", async () => {
    for (const [status, body] of [[200, "ok"], [500, "Internal Server Error"], [404, "not found"]] as const) {
      const { port } = await serve({}, async (_req, res) => {
        res.statusCode = status;
        res.end(body);
      });
      const a = await get(port, "/anything");
      expect(a.status).toBe(status);
      expectSecurityHeaders(a);
    }
  });

  it("on a handler that throws: a JSON 500, logged, nothing leaked", async () => {
    const { port } = await serve({}, async () => {
      throw new Error("database password is hunter2");
    });
    const a = await get(port, "/api/v1/users");
    expect(a.status).toBe(500);
    expectSecurityHeaders(a);
    expect(JSON.parse(unchunk(a))).toEqual({ error: { code: "internal", message: "Internal error" } });
  });

  it("HSTS on every response when PUBLIC_BASE_URL is https, refusals included", async () => {
    const { port } = await serve({ hsts: true });
    expectSecurityHeaders(await get(port, "/"), true);
    expectSecurityHeaders(await get(port, "/api/v1/%FF"), true);
    expectSecurityHeaders(await get(port, "/", {}, "TRACE"), true);
  });
});

describe("requests Next must not see", () => {
  it.each([
    ["/api/v1/%FF", "the request path has invalid %-encoding"],
    ["/api/v1/%", "the request path has invalid %-encoding"],
    ["/api/v1/users/%E0%A4%A", "the request path has invalid %-encoding"],
    ["/api/v1/users/%ED%A0%80", "the request path has invalid %-encoding"], // a lone surrogate, UTF-8 encoded
    ["/signin%FF", "the request path has invalid %-encoding"],
    ["/api/v1/users/a%00b", "the request path contains control characters"],
    ["/api/v1/users/%0D%0ASet-Cookie:x", "the request path contains control characters"],
    ["*", "the request target must be a path"],
    ["example.com:443", "the request cannot be parsed"], // refused by Node's parser already
    ["http://[::1/x", "the request URL cannot be parsed"],
  ])("GET %s -> 400 bad_request", async (target, message) => {
    const { port, seen } = await serve();
    const a = await get(port, target);
    expect(a.status).toBe(400);
    expectSecurityHeaders(a);
    expect(a.headers["content-type"]).toBe("application/json");
    expect(a.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(a.body)).toEqual({ error: { code: "bad_request", message } });
    expect(seen).toEqual([]);
  });

  it("bad %-encoding in the query string is left to the handlers (they validate their parameters)", async () => {
    const { port, seen } = await serve();
    expect((await get(port, "/api/v1/users?q=%FF")).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(["/api/v1/users?q=%FF"]);
  });

  it("an absolute-form target is served by its path", async () => {
    const { port, seen } = await serve();
    expect((await get(port, "http://127.0.0.1/api/health")).status).toBe(200);
    expect((await get(port, "http://127.0.0.1/api/v1/%FF")).status).toBe(400);
    expect(seen.map((s) => s.url)).toEqual(["http://127.0.0.1/api/health"]);
  });

  it("a target Node cannot parse at all gets the error shape and the headers, not a bare 400", async () => {
    const { port, seen } = await serve();
    const a = await raw(port, "GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(a.status).toBe(400);
    expectSecurityHeaders(a);
    expect(JSON.parse(a.body)).toEqual({ error: { code: "bad_request", message: "the request cannot be parsed" } });
    const h = await raw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(h.status).toBe(431);
    expectSecurityHeaders(h);
    expect(seen).toEqual([]);
  });

  it.each(["TRACE", "TRACK", "CONNECT", "PROPFIND", "PURGE", "LINK", "M-SEARCH"])("%s -> 405 with Allow and the error shape", async (method) => {
    const { port, seen } = await serve();
    const a = await get(port, method === "CONNECT" ? "127.0.0.1:443" : "/api/v1/users", {}, method);
    expect(a.status).toBe(405);
    expect(a.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(ALLOW_HEADER).toBe(a.headers.allow);
    expectSecurityHeaders(a);
    expect(JSON.parse(a.body)).toEqual({ error: { code: "method_not_allowed", message: expect.stringContaining("not allowed; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS") } });
    expect(seen).toEqual([]);
  });

  it.each(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])("%s reaches Next", async (method) => {
    const { port, seen } = await serve();
    expect((await get(port, "/api/v1/users", { "content-length": "0" }, method)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});

describe("client address and protocol (TRUSTED_PROXIES)", () => {
  const trusted = (raw: string) => parseTrustedProxies(raw).ranges;
  const client = (s: Seen[]) => [s[0].headers!["x-portcullis-client-address"], s[0].headers!["x-portcullis-client-proto"]];

  it("with no trusted proxy: the socket's peer and http, whatever the client claims", async () => {
    const { port, seen } = await serve();
    await get(port, "/", {
      "X-Forwarded-For": "203.0.113.9",
      "X-Forwarded-Proto": "https",
      "X-Portcullis-Client-Address": "198.51.100.66",
      "x-portcullis-client-proto": "https",
    });
    expect(client(seen)).toEqual(["127.0.0.1", "http"]);
  });

  it("drops every client-sent copy of the internal headers, raw headers too", async () => {
    const { port, seen } = await serve();
    await get(port, "/", { "X-Portcullis-Client-Address": "198.51.100.66", "x-portcullis-client-address": "198.51.100.67" });
    expect(client(seen)).toEqual(["127.0.0.1", "http"]);
    expect(seen[0].rawHeaders!.filter((n) => /^x-portcullis/i.test(n))).toEqual([]);
  });

  it("behind a trusted proxy: the right-most X-Forwarded-For hop that is not trusted, and its X-Forwarded-Proto", async () => {
    const { port, seen } = await serve({ trustedProxies: trusted("127.0.0.1, 10.0.0.0/8") });
    await get(port, "/", { "X-Forwarded-For": "198.51.100.66, 203.0.113.9, 10.1.2.3", "X-Forwarded-Proto": "https" });
    expect(client(seen)).toEqual(["203.0.113.9", "https"]);
  });

  it("a proxy that is not trusted is the client", async () => {
    const { port, seen } = await serve({ trustedProxies: trusted("10.0.0.0/8") });
    await get(port, "/", { "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https" });
    expect(client(seen)).toEqual(["127.0.0.1", "http"]);
  });

  it("the request carries the headers to Next's request object (through node:http)", async () => {
    const { port, seen } = await serve({ trustedProxies: trusted("127.0.0.1") });
    await new Promise<void>((resolve, reject) => {
      const r = request({ port, host: "127.0.0.1", path: "/", headers: { "x-forwarded-for": "2001:db8::7", "x-forwarded-proto": "HTTPS" } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      r.on("error", reject);
      r.end();
    });
    expect(client(seen)).toEqual(["2001:db8::7", "https"]);
  });
});
