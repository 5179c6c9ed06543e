import { afterEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { bumpGeneration } from "@/lib/registry/generation";
import { OFFICIAL_META, PORTCULLIS_META } from "@/lib/registry/meta";
import "@/lib/reviews/handlers";
import { describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { call, session } from "../helpers/http";
import { route } from "../helpers/routes";
import { usePublicServer } from "../helpers/public";

// The Registry API v0.1 on the public fast path: publish (token), four-eyes approval through the
// console API, what is served (only approved; deprecated, deleted), status changes, the list's
// query parameters, CORS, ETags, private mode; every refusal stores nothing.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function doc(name: string, version = "1.0.0", extra: Record<string, unknown> = {}) {
  return {
    $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    name,
    description: `Tools for ${name}`,
    version,
    packages: [{ registryType: "npm", identifier: `@acme/${name.split("/")[1]}`, version, transport: { type: "stdio" } }],
    ...extra,
  };
}

const auth = (p: Principal | string) => ({ authorization: `Bearer ${typeof p === "string" ? p : p.token}` });
const enc = encodeURIComponent;

describeEngines("registry API v0.1", (engine) => {
  const ctx = useTestDatabase(engine);
  const api = usePublicServer();

  afterEach(() => {
    delete process.env.REGISTRY_PRIVATE;
    resetEnvCache();
  });

  const rows = async () => ({ servers: await db().server.count(), versions: await db().serverVersion.count(), reviews: await db().review.count() });

  async function publish(d: unknown, as: Principal = ctx.users.publisher) {
    return api.send("POST", "/v0.1/publish", d, auth(as));
  }

  async function approve(name: string, version: string, as: Principal = ctx.users.approver) {
    const review = await db().review.findFirstOrThrow({ where: { subjectType: "server-version", subjectName: name, subjectVersion: version, state: "pending" } });
    const res = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${review.id}/decision`, {
      auth: session(as),
      params: { id: review.id },
      json: { decision: "approve", comment: "looks right" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res;
  }

  async function approved(name: string, ...versions: string[]) {
    for (const v of versions) {
      expect((await publish(doc(name, v))).status).toBe(200);
      await approve(name, v);
    }
  }

  it("publish opens a pending review; nothing is served until an approver approves it, then at once", async () => {
    const name = `io.github.acme${uid()}/weather`;
    const res = await publish(doc(name));
    expect(res.status).toBe(200);
    expect(res.body.server).toEqual(doc(name));
    expect(res.body._meta[PORTCULLIS_META]).toEqual({ reviewState: "pending", reviewId: expect.any(String), warnings: [] });
    expect(res.body._meta[OFFICIAL_META]).toBeUndefined();
    const pending = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: session(ctx.users.approver), query: { state: "pending" } });
    expect(pending.body.items.find((r: { subject: { name: string } }) => r.subject.name === name)).toMatchObject({
      state: "pending",
      subject: { type: "server-version", name, version: "1.0.0" },
    });
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions`)).status).toBe(404);
    expect((await api.get(`/v0.1/servers?search=${enc(name)}`)).body).toEqual({ servers: [], metadata: { count: 0 } });

    // four-eyes: the submitter's own approval is refused
    const review = await db().review.findFirstOrThrow({ where: { subjectName: name } });
    const own = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${review.id}/decision`, {
      auth: session(ctx.users.publisher),
      params: { id: review.id },
      json: { decision: "approve" },
    });
    expect(own.status).toBe(403);

    await approve(name, "1.0.0");
    const list = await api.get(`/v0.1/servers?search=${enc(name)}`);
    expect(list.status).toBe(200);
    expect(list.body.metadata).toEqual({ count: 1 });
    const [entry] = list.body.servers;
    expect(entry.server).toEqual(doc(name));
    expect(entry._meta[OFFICIAL_META]).toEqual({ status: "active", statusChangedAt: expect.stringMatching(ISO), publishedAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO), isLatest: true });
    expect(entry._meta[PORTCULLIS_META]).toEqual({ reviewState: "approved" });
    expect(list.headers.get("access-control-allow-origin")).toBe("*");
    expect(list.headers.get("content-type")).toBe("application/json");
  });

  it("isLatest is the highest semver; versions newest first; latest and exact lookups; /v0 serves the same", async () => {
    const name = `com.example${uid()}/files`;
    await approved(name, "1.2.0", "1.10.0", "1.9.0");
    const versions = await api.get(`/v0.1/servers/${enc(name)}/versions`);
    expect(versions.body.servers.map((s: { server: { version: string } }) => s.server.version)).toEqual(["1.9.0", "1.10.0", "1.2.0"]);
    expect(versions.body.servers.map((s: { _meta: Record<string, { isLatest: boolean }> }) => s._meta[OFFICIAL_META].isLatest)).toEqual([false, true, false]);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/latest`)).body.server.version).toBe("1.10.0");
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/1.2.0`)).body.server.version).toBe("1.2.0");
    expect((await api.get(`/v0/servers/${enc(name)}/versions/latest`)).body.server.version).toBe("1.10.0");
    const latestOnly = await api.get(`/v0.1/servers?search=${enc(name)}&version=latest`);
    expect(latestOnly.body.servers.map((s: { server: { version: string } }) => s.server.version)).toEqual(["1.10.0"]);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/9.9.9`)).body).toEqual({ error: "Server version not found" });
    expect((await api.get(`/v0.1/servers/${enc("com.example/none")}/versions`)).body).toEqual({ error: "Server not found" });
    const build = "2.0.0+20130313144700";
    await approved(name, build);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/${enc(build)}`)).body.server.version).toBe(build);
  });

  it("ETags: a repeat with If-None-Match is a 304 without a body; a change gives a new ETag", async () => {
    const name = `io.example${uid()}/etag`;
    await approved(name, "1.0.0");
    const path = `/v0.1/servers/${enc(name)}/versions`;
    const first = await api.get(path);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await api.get(path, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    await approved(name, "1.1.0");
    const changed = await api.get(path, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("status: deprecate, revoke (deleted: hidden unless include_deleted), reviving a revoked version is 409", async () => {
    const name = `io.example${uid()}/status`;
    await approved(name, "1.0.0", "2.0.0");
    const path = `/v0.1/servers/${enc(name)}/versions/2.0.0/status`;
    const dep = await api.send("PATCH", path, { status: "deprecated", statusMessage: "use 3.x" }, auth(ctx.users.approver));
    expect(dep.status).toBe(200);
    expect(dep.body._meta[OFFICIAL_META]).toMatchObject({ status: "deprecated", statusMessage: "use 3.x", isLatest: true });
    const del = await api.send("PATCH", path, { status: "deleted" }, auth(ctx.users.approver));
    expect(del.status).toBe(200);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/2.0.0`)).status).toBe(404);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/2.0.0?include_deleted=true`)).body._meta[OFFICIAL_META]).toMatchObject({ status: "deleted", isLatest: false });
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions/latest`)).body.server.version).toBe("1.0.0");
    const before = await db().serverVersion.findMany({ where: { server: { name } }, orderBy: { version: "asc" } });
    const revive = await api.send("PATCH", path, { status: "active" }, auth(ctx.users.approver));
    expect(revive.status).toBe(409);
    expect(revive.body).toEqual({ error: `${name} version 2.0.0 was revoked (deleted); a revoked version cannot be revived` });
    expect(await db().serverVersion.findMany({ where: { server: { name } }, orderBy: { version: "asc" } })).toEqual(before);
    // the whole server (2.0.0, already deleted, gets the new message: a change, audited too)
    const all = await api.send("PATCH", `/v0.1/servers/${enc(name)}/status`, { status: "deleted", statusMessage: "withdrawn" }, auth(ctx.users.admin));
    expect(all.status).toBe(200);
    expect(all.body.updatedCount).toBe(2);
    expect((await api.get(`/v0.1/servers/${enc(name)}/versions`)).status).toBe(404);
    const audit = await db().auditEvent.findMany({ where: { action: { startsWith: "server.version." }, targetLabel: { startsWith: name } }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["server.version.submit", "server.version.approve", "server.version.submit", "server.version.approve", "server.version.deprecate", "server.version.revoke", "server.version.revoke", "server.version.revoke"]);
  });

  it("a service account with reviews.decide may change status (not a review decision); publishers and auditors may not", async () => {
    const name = `io.example${uid()}/svc`;
    await approved(name, "1.0.0");
    const svc = await insertUser({ kind: "service", role: "approver" });
    const { token } = await insertToken(svc.id);
    const path = `/v0.1/servers/${enc(name)}/versions/1.0.0/status`;
    expect((await api.send("PATCH", path, { status: "deprecated" }, auth(token))).status).toBe(200);
    for (const p of [ctx.users.publisher, ctx.users.auditor]) {
      const r = await api.send("PATCH", path, { status: "active" }, auth(p));
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error: "This needs the reviews.decide permission" });
    }
    const anon = await api.send("PATCH", path, { status: "active" });
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe('Bearer resource_metadata="http://localhost:3000/.well-known/oauth-protected-resource"');
  });

  it("publish refusals: 401, 403, 409, 422 with the JSON pointer, 400/413/415 bodies; nothing stored", async () => {
    const name = `io.example${uid()}/refusals`;
    expect((await publish(doc(name))).status).toBe(200);
    const before = await rows();
    const cases: [string, Promise<{ status: number; body: unknown }>, number, unknown][] = [
      ["no token", api.send("POST", "/v0.1/publish", doc(`io.example${uid()}/x`)), 401, { error: "Authentication required: send a Portcullis API token as a Bearer token" }],
      ["bad token", api.send("POST", "/v0.1/publish", doc(`io.example${uid()}/x`), auth("pcl_not-a-real-token-at-all")), 401, { error: "Invalid, expired or revoked token" }],
      ["auditor", publish(doc(`io.example${uid()}/x`), ctx.users.auditor), 403, { error: "This needs the servers.submit permission" }],
      ["same version", publish(doc(name)), 409, { error: `${name} version 1.0.0 already exists (pending)` }],
      ["not owner", (async () => {
        const other = await insertUser({ role: "publisher" });
        const { token } = await insertToken(other.id);
        return api.send("POST", "/v0.1/publish", doc(name, "2.0.0"), auth(token));
      })(), 403, { error: `You do not own ${name}: only its owners (or an approver) may submit versions of it` }],
      ["not JSON", api.send("POST", "/v0.1/publish", "{", auth(ctx.users.publisher)), 400, { error: "Request body is not valid JSON" }],
      ["wrong type", api.send("POST", "/v0.1/publish", "{}", { ...auth(ctx.users.publisher), "content-type": "text/plain" }), 415, { error: "Content-Type must be application/json" }],
      ["too large", api.send("POST", "/v0.1/publish", JSON.stringify({ ...doc(`io.example${uid()}/big`), pad: "x".repeat(1_100_000) }), auth(ctx.users.publisher)), 413, { error: "Request body exceeds 1048576 bytes" }],
      ["NUL", api.send("POST", "/v0.1/publish", { ...doc(`io.example${uid()}/nul`), title: "a\u0000b" }, auth(ctx.users.publisher)), 422, { error: expect.stringMatching(/^Invalid \/title: /) }],
    ];
    for (const [what, p, status, body] of cases) {
      const r = await p;
      expect(r.status, what).toBe(status);
      expect(r.body, what).toEqual(body);
    }
    const invalid = await publish({ ...doc(`io.example${uid()}/long`), description: "d".repeat(101) });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toContain("/description");
    expect(await rows()).toEqual(before);
  });

  it("list parameters: limit, cursor pages, search (name, title, description), updated_since, include_deleted; bad values are 400", async () => {
    const tag = `pg${uid()}`;
    const names = [0, 1, 2, 3, 4].map((i) => `io.${tag}/server-${i}`);
    for (const n of names) await approved(n, "1.0.0");
    await approved(names[0], "1.1.0");
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await api.get(`/v0.1/servers?search=${tag}&limit=2${cursor ? `&cursor=${enc(cursor)}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.servers.map((s: { server: { name: string; version: string } }) => `${s.server.name}@${s.server.version}`));
      cursor = r.body.metadata.nextCursor;
      expect(r.body.metadata.count).toBe(r.body.servers.length);
      if (!cursor) break;
    }
    expect(seen).toEqual([`${names[0]}@1.0.0`, `${names[0]}@1.1.0`, ...names.slice(1).map((n) => `${n}@1.0.0`)]);
    // search is case-insensitive and covers the description
    expect((await api.get(`/v0.1/servers?search=${enc(`TOOLS FOR io.${tag}/server-3`)}`)).body.metadata.count).toBe(1);
    // updated_since includes what changed after it (and deleted entries)
    const t = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await api.send("PATCH", `/v0.1/servers/${enc(names[4])}/versions/1.0.0/status`, { status: "deleted" }, auth(ctx.users.approver));
    const since = await api.get(`/v0.1/servers?updated_since=${enc(t)}&search=${tag}`);
    expect(since.body.servers.map((s: { server: { name: string } }) => s.server.name)).toEqual([names[4]]);
    expect((await api.get(`/v0.1/servers?search=${tag}`)).body.metadata.count).toBe(5);
    expect((await api.get(`/v0.1/servers?search=${tag}&include_deleted=true`)).body.metadata.count).toBe(6);
    for (const [q, error] of [
      ["limit=0", "limit must be a whole number from 1 to 100"],
      ["limit=101", "limit must be a whole number from 1 to 100"],
      ["limit=0x10", "limit must be a whole number from 1 to 100"],
      ["limit=1e1", "limit must be a whole number from 1 to 100"],
      ["limit=2&limit=3", "limit is given more than once"],
      ["cursor=%%", "The query string has invalid %-encoding"],
      ["cursor=bm90LWEtY3Vyc29y", "cursor is not a cursor from this registry"],
      ["updated_since=yesterday", "updated_since must be an RFC 3339 date-time, e.g. 2025-08-07T13:15:04.280Z"],
      ["updated_since=2025-13-01T00:00:00Z", "updated_since must be an RFC 3339 date-time, e.g. 2025-08-07T13:15:04.280Z"],
      ["include_deleted=yes", "include_deleted must be true or false"],
      ["search=a%00b", "search contains characters that are not allowed"],
    ] as const) {
      const r = await api.get(`/v0.1/servers?${q}`);
      expect([q, r.status, r.body]).toEqual([q, 400, { error }]);
    }
  });

  it("another process's change is served within a second (the generation poll)", async () => {
    const name = `io.example${uid()}/poll`;
    await approved(name, "1.0.0");
    // Written straight to the database, as another replica would: no in-process hook fires.
    await db().$transaction(async (tx) => {
      await tx.serverVersion.updateMany({ where: { server: { name } }, data: { status: "deprecated", statusMessage: "elsewhere" } });
      await bumpGeneration(tx);
    });
    const deadline = Date.now() + 1000;
    let status = "";
    while (Date.now() < deadline) {
      status = (await api.get(`/v0.1/servers/${enc(name)}/versions/1.0.0`)).body._meta[OFFICIAL_META].status;
      if (status === "deprecated") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe("deprecated");
  });

  it("methods, CORS preflight, unknown paths", async () => {
    const pre = await fetch(`${api.url}/v0.1/servers`, { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    const post = await api.send("POST", "/v0.1/servers", {});
    expect([post.status, post.body, post.headers.get("allow")]).toEqual([405, { error: "POST is not allowed here" }, "GET, HEAD, OPTIONS"]);
    expect((await api.get("/v0.1/nothing")).body).toEqual({ error: "Not found" });
    expect((await api.get("/v0.1/servers/%FF/versions")).body).toEqual({ error: "serverName has invalid %-encoding" });
    const head = await fetch(`${api.url}/v0.1/servers`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("REGISTRY_PRIVATE=true: 401 with resource_metadata, 200 with a registry.read token; the metadata document", async () => {
    process.env.REGISTRY_PRIVATE = "true";
    resetEnvCache();
    const anon = await api.get("/v0.1/servers");
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe('Bearer resource_metadata="http://localhost:3000/.well-known/oauth-protected-resource"');
    const ok = await api.get("/v0.1/servers", auth(ctx.users.auditor));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("vary")).toBe("Authorization");
    const meta = await api.get("/.well-known/oauth-protected-resource");
    expect(meta.body).toEqual({
      resource: "http://localhost:3000/v0.1",
      resource_name: "Portcullis MCP registry",
      bearer_methods_supported: ["header"],
      scopes_supported: ["registry.read"],
      resource_documentation: "http://localhost:3000/docs/registry",
    });
  });
});
