import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import ipaddr from "ipaddr.js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseOutboundAllowlist, resetEnvCache } from "@/lib/env";
import { outboundFetch, OutboundError, specialUse, type Lookup, type OutboundOptions } from "@/lib/net/outbound";
import { tempDir } from "@/tests/helpers/temp";

// Only local servers on 127.0.0.1: names resolve through an injected lookup, never real DNS.

interface Seen {
  method: string;
  path: string;
  host: string;
  authorization?: string;
  body: string;
}

const seen: Seen[] = [];

function handler(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://x");
    const hit: Seen = { method: req.method ?? "", path: url.pathname, host: req.headers.host ?? "", body: Buffer.concat(chunks).toString() };
    if (req.headers.authorization) hit.authorization = req.headers.authorization;
    seen.push(hit);
    res.on("error", () => {});
    switch (url.pathname) {
      case "/ok":
        res.writeHead(200, { "content-type": "application/json", "x-multi": "a" });
        return res.end(JSON.stringify({ ok: true, accept: req.headers.accept ?? null }));
      case "/echo":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify(hit));
      case "/redirect":
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to") ?? "/ok" });
        return res.end();
      case "/loop":
        res.writeHead(302, { location: "/loop" });
        return res.end();
      case "/exact":
        return res.end("x".repeat(1000));
      case "/big": // chunked, no length announced: the limit has to hold while reading
        res.writeHead(200);
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(32 * 1024, 120));
        return res.end();
      case "/declared-big":
        res.writeHead(200, { "content-length": String(2 * 1024 * 1024) });
        return res.write("x");
      case "/slow":
        return; // never answers
      case "/slow-body":
        res.writeHead(200);
        return res.write("partial");
      default:
        res.writeHead(404);
        return res.end();
    }
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const httpServer = createHttpServer(handler);
let port = 0;
let base = "";

// A certificate for registry.test, made for this run (no key material kept in the repository).
let cert = "";
const httpsServer = (() => {
  const dir = tempDir("tls");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
    "-subj", "/CN=registry.test", "-addext", "subjectAltName=DNS:registry.test",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
  return createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert }, handler);
})();
let tlsPort = 0;

beforeAll(async () => {
  port = await listen(httpServer);
  base = `http://127.0.0.1:${port}`;
  tlsPort = await listen(httpsServer);
});
afterAll(async () => {
  await close(httpServer);
  await close(httpsServer);
});
afterEach(() => {
  seen.length = 0;
  resetEnvCache();
});

/** A resolver for made-up names; anything else fails as an unknown name would. */
const names = (table: Record<string, string | string[]>) => {
  const calls: string[] = [];
  const lookup: Lookup = async (host) => {
    calls.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return [found].flat().map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
};

const localhostOnly = parseOutboundAllowlist("127.0.0.1");
const registryOnly = parseOutboundAllowlist("registry.test");

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundError);
    const { code, message } = err as OutboundError;
    return { code, message };
  }
  throw new Error("the request succeeded");
}

const refusal = (host: string) => `${host}; outbound requests may not reach it unless OUTBOUND_ALLOWLIST names it`;

describe("outboundFetch: special-use addresses", () => {
  it("refuses loopback by default, before connecting", async () => {
    expect(await failure(outboundFetch(`${base}/ok`, { allowHttp: true }))).toEqual({
      code: "blocked_address",
      message: refusal("127.0.0.1 is a loopback address"),
    });
    expect(seen).toEqual([]);
  });

  it.each(["127.0.0.1", "127.0.0.0/8", "10.0.0.0/8, 127.0.0.1/32"])(
    "reaches loopback when OUTBOUND_ALLOWLIST=%s (and plain http, since the allowlist admits the host)",
    async (allow) => {
      vi.stubEnv("OUTBOUND_ALLOWLIST", allow);
      resetEnvCache();
      const res = await outboundFetch(`${base}/ok`, { accept: "application/json" });
      expect(res.status).toBe(200);
      expect(res.url).toBe(`${base}/ok`);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.json()).toEqual({ ok: true, accept: "application/json" });
      expect(res.text()).toBe('{"ok":true,"accept":"application/json"}');
      expect(res.body).toBeInstanceOf(Buffer);
    },
  );

  it("an allowlisted host name admits whatever it resolves to; the address itself stays refused", async () => {
    const lookup = names({ "registry.test": "127.0.0.1" });
    const res = await outboundFetch(`http://registry.test:${port}/echo`, { allowlist: registryOnly, lookup });
    expect(res.json()).toMatchObject({ method: "GET", path: "/echo", host: `registry.test:${port}` });
    expect(await failure(outboundFetch(`${base}/ok`, { allowlist: registryOnly }))).toEqual({
      code: "blocked_address",
      message: refusal("127.0.0.1 is a loopback address"),
    });
  });

  it.each([
    ["10.0.0.5", "a private address"],
    ["172.16.0.1", "a private address"],
    ["192.168.1.1", "a private address"],
    ["169.254.169.254", "a link-local address"],
    ["fd00:ec2::254", "a private address"],
    ["fe80::1", "a link-local address"],
    ["100.64.0.1", "a carrier-grade NAT address"],
    ["0.0.0.0", "an unspecified address"],
    ["::", "an unspecified address"],
    ["255.255.255.255", "a broadcast address"],
    ["224.0.0.1", "a multicast address"],
    ["ff02::1", "a multicast address"],
    ["240.0.0.1", "a reserved address"],
    ["192.0.2.10", "a reserved address"],
    ["2001:db8::1", "a reserved address"],
    ["127.0.0.53", "a loopback address"],
    ["::1", "a loopback address"],
  ])("refuses a host name resolving to %s (%s)", async (address, reason) => {
    const lookup = names({ "evil.test": ["93.184.215.14", address] });
    expect(await failure(outboundFetch("https://evil.test/x", { lookup }))).toEqual({
      code: "blocked_address",
      message: refusal(`evil.test resolves to ${ipaddr.parse(address).toString()}, ${reason}`),
    });
  });

  it("judges IPv6 forms carrying an IPv4 address by that address", async () => {
    const lookup = names({ "mapped.test": "::ffff:10.0.0.1", "nat64.test": "64:ff9b::a00:1", "6to4.test": "2002:7f00:1::1" });
    expect((await failure(outboundFetch("https://mapped.test/", { lookup }))).message).toBe(refusal("mapped.test resolves to 10.0.0.1, a private address"));
    expect((await failure(outboundFetch("https://nat64.test/", { lookup }))).message).toBe(refusal("nat64.test resolves to 64:ff9b::a00:1, a private address"));
    expect((await failure(outboundFetch("https://6to4.test/", { lookup }))).message).toBe(refusal("6to4.test resolves to 2002:7f00:1::1, a loopback address"));
    for (const a of ["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808", "::ffff:8.8.8.8"]) expect(specialUse(ipaddr.parse(a))).toBeNull();
  });

  it.each([
    ["http://[::1]/", "::1 is a loopback address"],
    ["http://0x7f.1/", "127.0.0.1 is a loopback address"],
    ["http://2130706433/", "127.0.0.1 is a loopback address"],
    ["https://[::ffff:169.254.169.254]/latest/meta-data", "::ffff:a9fe:a9fe is a link-local address"],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254 is a private address"],
  ])("refuses the address literal in %s", async (url, message) => {
    expect(await failure(outboundFetch(url, { allowHttp: true }))).toEqual({ code: "blocked_address", message: refusal(message) });
  });

  it("looks a host up once per hop and connects to the checked address with Host as the name", async () => {
    const lookup = names({ "registry.test": "127.0.0.1" });
    const res = await outboundFetch(`http://registry.test:${port}/redirect?to=/echo`, { allowlist: localhostOnly, lookup });
    expect(res.url).toBe(`http://registry.test:${port}/echo`);
    expect(lookup.calls).toEqual(["registry.test", "registry.test"]);
    expect(seen.map((s) => [s.path, s.host])).toEqual([["/redirect", `registry.test:${port}`], ["/echo", `registry.test:${port}`]]);
  });
});

describe("outboundFetch: redirects", () => {
  it("refuses a redirect to a special-use address after an allowed hop", async () => {
    const lookup = names({ "registry.test": "127.0.0.1", "internal.test": "10.0.0.5" });
    const viaAddress = `http://registry.test:${port}/redirect?to=${encodeURIComponent(`${base}/ok`)}`;
    expect(await failure(outboundFetch(viaAddress, { allowlist: registryOnly, lookup }))).toEqual({
      code: "blocked_address",
      message: refusal("127.0.0.1 is a loopback address"),
    });
    const viaName = `http://registry.test:${port}/redirect?to=${encodeURIComponent("https://internal.test/admin")}`;
    expect(await failure(outboundFetch(viaName, { allowlist: registryOnly, lookup }))).toEqual({
      code: "blocked_address",
      message: refusal("internal.test resolves to 10.0.0.5, a private address"),
    });
    expect(seen.map((s) => s.path)).toEqual(["/redirect", "/redirect"]);
  });

  it("stops after maxRedirects", async () => {
    const opts = { allowlist: localhostOnly, maxRedirects: 2 };
    expect(await failure(outboundFetch(`${base}/loop`, opts))).toEqual({
      code: "too_many_redirects",
      message: `127.0.0.1:${port} redirected more than 2 times`,
    });
    expect(seen).toHaveLength(3);
    seen.length = 0;
    expect(await failure(outboundFetch(`${base}/loop`, { allowlist: localhostOnly }))).toMatchObject({ message: `127.0.0.1:${port} redirected more than 3 times` });
    expect(seen).toHaveLength(4);
  });

  it("turns POST into GET on 303 and keeps it on 307; drops credentials when the origin changes", async () => {
    const lookup = names({ "registry.test": "127.0.0.1" });
    const post = { allowlist: localhostOnly, lookup, method: "POST", body: "payload", headers: { Authorization: "Bearer t0ken", "Content-Type": "text/plain" } };
    const seeOther = await outboundFetch(`${base}/redirect?status=303&to=/echo`, post);
    expect(seeOther.json()).toMatchObject({ method: "GET", body: "", authorization: "Bearer t0ken" });
    const temporary = await outboundFetch(`${base}/redirect?status=307&to=/echo`, post);
    expect(temporary.json()).toMatchObject({ method: "POST", body: "payload", authorization: "Bearer t0ken" });
    const elsewhere = await outboundFetch(`${base}/redirect?status=307&to=${encodeURIComponent(`http://registry.test:${port}/echo`)}`, post);
    expect(elsewhere.json()).toEqual({ method: "POST", path: "/echo", host: `registry.test:${port}`, body: "payload" });
  });

  it("refuses a redirect to a URL it would not fetch", async () => {
    for (const [to, message] of [
      ["ftp://127.0.0.1/x", "ftp: URLs are not fetched (only https)"],
      ["http://u:p@127.0.0.1/", "127.0.0.1: URLs with credentials (user:password@) are refused"],
      ["http://[", `127.0.0.1:${port} redirected to an invalid URL`],
    ]) {
      expect(await failure(outboundFetch(`${base}/redirect?to=${encodeURIComponent(to)}`, { allowlist: localhostOnly }))).toEqual({ code: "bad_url", message });
    }
  });
});

describe("outboundFetch: https", () => {
  const tls = (extra: OutboundOptions = {}) => ({ allowlist: localhostOnly, lookup: names({ "registry.test": "127.0.0.1", "other.test": "127.0.0.1" }), ca: cert, ...extra });

  it("verifies the certificate against the host name (SNI), not the address connected to", async () => {
    const res = await outboundFetch(`https://registry.test:${tlsPort}/echo`, tls());
    expect(res.json()).toMatchObject({ path: "/echo", host: `registry.test:${tlsPort}` });
    expect(await failure(outboundFetch(`https://other.test:${tlsPort}/echo`, tls()))).toEqual({
      code: "network",
      message: "other.test could not be reached (ERR_TLS_CERT_ALTNAME_INVALID)",
    });
  });

  it("refuses a redirect from https to plain http, even to an allowed host", async () => {
    const to = encodeURIComponent(`http://registry.test:${port}/ok`);
    expect(await failure(outboundFetch(`https://registry.test:${tlsPort}/redirect?to=${to}`, tls({ allowHttp: true })))).toEqual({
      code: "downgrade",
      message: `registry.test:${tlsPort} redirected from https to plain http (registry.test:${port}); refused`,
    });
  });
});

describe("outboundFetch: limits", () => {
  it("stops reading past maxBytes, announced or not; exactly maxBytes is fine", async () => {
    const opts = { allowlist: localhostOnly, maxBytes: 1000 };
    for (const path of ["/big", "/declared-big"]) {
      expect(await failure(outboundFetch(`${base}${path}`, opts))).toEqual({ code: "too_large", message: "127.0.0.1 sent more than 1000 bytes" });
    }
    expect((await outboundFetch(`${base}/exact`, opts)).body).toHaveLength(1000);
    expect(await failure(outboundFetch(`${base}/big`, { allowlist: localhostOnly }))).toEqual({ code: "too_large", message: "127.0.0.1 sent more than 1048576 bytes" });
  });

  it("gives up after timeoutMs, waiting for headers or for the body", async () => {
    for (const path of ["/slow", "/slow-body"]) {
      const started = Date.now();
      expect(await failure(outboundFetch(`${base}${path}`, { allowlist: localhostOnly, timeoutMs: 200 }))).toEqual({
        code: "timeout",
        message: `127.0.0.1:${port} did not answer within 200 ms`,
      });
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it("counts the time limit over all hops", async () => {
    const url = `${base}/redirect?to=${encodeURIComponent("/slow")}`;
    expect(await failure(outboundFetch(url, { allowlist: localhostOnly, timeoutMs: 200 }))).toMatchObject({ code: "timeout" });
    expect(seen.map((s) => s.path)).toEqual(["/redirect", "/slow"]);
  });
});

describe("outboundFetch: bad URLs and network failures", () => {
  const lookup = names({ "example.test": "8.8.8.8" });
  it.each([
    ["not a url", "not a valid URL"],
    ["/relative/path", "not a valid URL"],
    ["ftp://example.test/file", "ftp: URLs are not fetched (only https)"],
    ["file:///etc/passwd", "file: URLs are not fetched (only https)"],
    ["javascript:alert(1)", "javascript: URLs are not fetched (only https)"],
    ["https://user:secret@example.test/", "example.test: URLs with credentials (user:password@) are refused"],
    ["https://token@example.test/", "example.test: URLs with credentials (user:password@) are refused"],
    ["https://example.test:0/", "example.test:0: port 0 is not a valid port"],
    ["http://example.test/", "example.test: plain http is refused (https only) unless OUTBOUND_ALLOWLIST names the host"],
  ])("%s", async (url, message) => {
    expect(await failure(outboundFetch(url, { lookup }))).toEqual({ code: "bad_url", message });
  });

  it("reports names that do not resolve and refused connections", async () => {
    expect(await failure(outboundFetch("https://nowhere.test/", { lookup }))).toEqual({ code: "network", message: "nowhere.test could not be resolved" });
    const closed = createHttpServer();
    const closedPort = await listen(closed);
    await close(closed);
    expect(await failure(outboundFetch(`http://127.0.0.1:${closedPort}/`, { allowlist: localhostOnly }))).toEqual({
      code: "network",
      message: "127.0.0.1 could not be reached (ECONNREFUSED)",
    });
  });
});
