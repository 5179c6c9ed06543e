import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import "@/lib/reviews/handlers";
import { describeEngines, uid, useTestDatabase, type Principal } from "../helpers/context";
import { call, session } from "../helpers/http";
import { route } from "../helpers/routes";
import { usePublicServer } from "../helpers/public";

// GET /allowlists/managed-settings.json on the public fast path: what the approved catalog turns
// into (allowed: active and deprecated versions; denied: revoked servers), what never appears
// (pending, rejected), ETags, the download variant, private mode, and rebuilding on approval.

const PATH = "/allowlists/managed-settings.json";
const SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

const auth = (p: Principal | string) => ({ authorization: `Bearer ${typeof p === "string" ? p : p.token}` });
const enc = encodeURIComponent;
const remoteDoc = (name: string, url: string, version = "1.0.0") => ({ $schema: SCHEMA, name, description: `Tools for ${name}`, version, remotes: [{ type: "streamable-http", url }] });
const npmDoc = (name: string, pkg: string, version = "1.0.0") => ({
  $schema: SCHEMA,
  name,
  description: `Tools for ${name}`,
  version,
  packages: [{ registryType: "npm", identifier: pkg, version, transport: { type: "stdio" } }],
});

describeEngines("client allowlists", (engine) => {
  const ctx = useTestDatabase(engine);
  const api = usePublicServer();

  afterEach(() => {
    delete process.env.REGISTRY_PRIVATE;
    resetEnvCache();
  });

  async function publish(d: { name: string; version: string }) {
    const res = await api.send("POST", "/v0.1/publish", d, auth(ctx.users.publisher));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function decide(name: string, version: string, decision: "approve" | "reject") {
    const review = await db().review.findFirstOrThrow({ where: { subjectType: "server-version", subjectName: name, subjectVersion: version, state: "pending" } });
    const res = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${review.id}/decision`, {
      auth: session(ctx.users.approver),
      params: { id: review.id },
      json: { decision, comment: decision === "approve" ? "fine" : "no" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function approved(d: { name: string; version: string }) {
    await publish(d);
    await decide(d.name, d.version, "approve");
  }

  it("approved servers are allowed by URL and by exact command; pending and rejected ones appear nowhere", async () => {
    const id = uid();
    const remote = remoteDoc(`io.example${id}/remote`, `https://remote-${id}.example.com/mcp`);
    const local = npmDoc(`io.example${id}/local`, `@acme/local-${id}`);
    const pending = remoteDoc(`io.example${id}/pending`, `https://pending-${id}.example.com/mcp`);
    const rejected = remoteDoc(`io.example${id}/rejected`, `https://rejected-${id}.example.com/mcp`);
    await approved(remote);
    await approved(local);
    await publish(pending);
    await publish(rejected);
    await decide(rejected.name, "1.0.0", "reject");

    const res = await api.get(PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(Object.keys(res.body)).toEqual(["allowedMcpServers", "deniedMcpServers"]);
    const { allowedMcpServers: allowed, deniedMcpServers: denied } = res.body;
    expect(allowed).toContainEqual({ serverUrl: `https://remote-${id}.example.com/mcp` });
    for (const command of [
      ["npx", `@acme/local-${id}@1.0.0`],
      ["npx", "-y", `@acme/local-${id}@1.0.0`],
      ["cmd", "/c", "npx", `@acme/local-${id}@1.0.0`],
      ["cmd", "/c", "npx", "-y", `@acme/local-${id}@1.0.0`],
    ]) {
      expect(allowed).toContainEqual({ serverCommand: command });
    }
    const text = JSON.stringify(res.body);
    for (const hidden of [`pending-${id}`, `rejected-${id}`, pending.name, rejected.name]) expect(text).not.toContain(hidden);
    // every entry names a server in exactly one way; allow entries never by the user-chosen name
    for (const m of [...allowed, ...denied]) expect(Object.keys(m)).toHaveLength(1);
    expect(allowed.some((m: object) => "serverName" in m)).toBe(false);

    const download = await api.get(`${PATH}?download=1`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="managed-settings.json"');
    expect(download.body).toEqual(res.body);
  });

  it("a deprecated server stays allowed; a revoked one moves to denied (by URL and by its registry name)", async () => {
    const id = uid();
    const old = remoteDoc(`io.example${id}/old`, `https://old-${id}.example.com/mcp`);
    const gone = remoteDoc(`io.example${id}/gone`, `https://gone-${id}.example.com/mcp`);
    await approved(old);
    await approved(gone);
    const dep = await api.send("PATCH", `/v0.1/servers/${enc(old.name)}/status`, { status: "deprecated", statusMessage: "use new" }, auth(ctx.users.approver));
    expect(dep.status).toBe(200);
    const del = await api.send("PATCH", `/v0.1/servers/${enc(gone.name)}/status`, { status: "deleted", statusMessage: "compromised" }, auth(ctx.users.approver));
    expect(del.status).toBe(200);

    const { body } = await api.get(PATH);
    expect(body.allowedMcpServers).toContainEqual({ serverUrl: `https://old-${id}.example.com/mcp` });
    expect(body.deniedMcpServers).not.toContainEqual({ serverUrl: `https://old-${id}.example.com/mcp` });
    expect(body.allowedMcpServers).not.toContainEqual({ serverUrl: `https://gone-${id}.example.com/mcp` });
    expect(body.deniedMcpServers).toContainEqual({ serverUrl: `https://gone-${id}.example.com/mcp` });
    expect(body.deniedMcpServers).toContainEqual({ serverName: gone.name });
  });

  it("strong ETag: If-None-Match is a 304 without a body, HEAD has no body; a change gives a new ETag", async () => {
    await approved(remoteDoc(`io.example${uid()}/etag`, `https://etag-${uid()}.example.com/mcp`));
    const first = await api.get(PATH);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await api.get(PATH, { "if-none-match": etag });
    expect([again.status, again.body]).toEqual([304, null]);
    // the download variant is the same bytes, so the same ETag
    expect((await api.get(`${PATH}?download=1`, { "if-none-match": etag })).status).toBe(304);
    const head = await fetch(api.url + PATH, { method: "HEAD" });
    expect([head.status, head.headers.get("etag"), await head.text()]).toEqual([200, etag, ""]);

    await approved(remoteDoc(`io.example${uid()}/etag2`, `https://etag2-${uid()}.example.com/mcp`));
    const changed = await api.get(PATH, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("an approval shows in the document within a second", async () => {
    await api.get(PATH); // the current snapshot's document is built
    const id = uid();
    const d = remoteDoc(`io.example${id}/fresh`, `https://fresh-${id}.example.com/mcp`);
    await approved(d);
    const deadline = Date.now() + 1000;
    let found = false;
    while (!found && Date.now() < deadline) {
      found = (await api.get(PATH)).body.allowedMcpServers.some((m: { serverUrl?: string }) => m.serverUrl === `https://fresh-${id}.example.com/mcp`);
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    expect(found).toBe(true);
  });

  it("REGISTRY_PRIVATE=true: 401 with resource_metadata without credentials; 200 with a registry.read token or a console session", async () => {
    process.env.REGISTRY_PRIVATE = "true";
    resetEnvCache();
    const anon = await api.get(PATH);
    expect([anon.status, anon.body]).toEqual([401, { error: "Authentication required: send a Portcullis API token as a Bearer token" }]);
    expect(anon.headers.get("www-authenticate")).toBe('Bearer resource_metadata="http://localhost:3000/.well-known/oauth-protected-resource"');
    const bad = await api.get(PATH, auth("pcl_not-a-real-token-at-all"));
    expect([bad.status, bad.body]).toEqual([401, { error: "Invalid, expired or revoked token" }]);
    // a bad token is not rescued by a valid cookie: the Authorization header decides
    expect((await api.get(PATH, { ...auth("pcl_not-a-real-token-at-all"), cookie: ctx.users.auditor.cookie })).status).toBe(401);

    const ok = await api.get(PATH, auth(ctx.users.auditor));
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.allowedMcpServers)).toBe(true);
    expect(ok.headers.get("cache-control")).toBe("private, no-cache");
    expect(ok.headers.get("vary")).toBe("Authorization, Cookie");
    const browser = await api.get(`${PATH}?download=1`, { cookie: ctx.users.publisher.cookie });
    expect(browser.status).toBe(200);
    expect(browser.body).toEqual(ok.body);
    expect((await api.get(PATH, { cookie: "next-auth.session-token=forged" })).status).toBe(401);
  });

  it("methods and bad query strings: 405, 204 preflight, 400 naming the parameter", async () => {
    const post = await api.send("POST", PATH, {});
    expect([post.status, post.body, post.headers.get("allow")]).toEqual([405, { error: "POST is not allowed here" }, "GET, HEAD, OPTIONS"]);
    const pre = await fetch(api.url + PATH, { method: "OPTIONS" });
    expect([pre.status, pre.headers.get("access-control-allow-methods")]).toEqual([204, "GET, HEAD, OPTIONS"]);
    for (const [q, error] of [
      ["download=yes", "download must be 1 or 0"],
      ["download=1&download=1", "download is given more than once"],
      ["download=%%", "The query string has invalid %-encoding"],
    ] as const) {
      const r = await api.get(`${PATH}?${q}`);
      expect([q, r.status, r.body]).toEqual([q, 400, { error }]);
    }
    expect((await api.get(`${PATH}?download=0`)).headers.get("content-disposition")).toBeNull();
  });
});
