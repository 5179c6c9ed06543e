import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { requestListener } from "@/lib/server/listener";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { counts, describeEngines, insertToken, insertUser, sessionCookieFor, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, call, session, token } from "../helpers/http";
import { route } from "../helpers/routes";
import { usePublicServer } from "../helpers/public";
import { cimdDoc, clientIdOf, headlessDoc, newSlug } from "../helpers/agents";

// Agents over the console API and their hosted documents over HTTP: registration, the rules
// (one 422 entry per broken rule), four-eyes publication, exactly-the-approved-bytes hosting with
// its headers, revocation, keys and rotation, drafts, owners, the client_id export, and the one
// pending version per agent under concurrent submissions.

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describeEngines("agents and hosted client metadata documents", (engine) => {
  const ctx = useTestDatabase(engine);
  const pub = usePublicServer(100);

  const create = (json: unknown, as: Principal = ctx.users.publisher) => call(route("POST", "/api/v1/agents"), "POST", "/api/v1/agents", { auth: token(as), json });
  const get = (id: string, as: Principal = ctx.users.auditor) => call(route("GET", "/api/v1/agents/[id]"), "GET", `/api/v1/agents/${id}`, { auth: token(as), params: { id } });
  const submit = (id: string, document: unknown, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/agents/[id]/versions"), "POST", `/api/v1/agents/${id}/versions`, { auth: token(as), params: { id }, json: { document } });
  const decide = (reviewId: string, decision: "approve" | "reject" = "approve", as: Principal = ctx.users.approver) =>
    call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${reviewId}/decision`, { auth: session(as), params: { id: reviewId }, json: { decision } });
  const revoke = (id: string, reason?: string, as: Principal = ctx.users.approver) =>
    call(route("POST", "/api/v1/agents/[id]/revoke"), "POST", `/api/v1/agents/${id}/revoke`, { auth: token(as), params: { id }, json: reason ? { reason } : {} });
  const keys = (id: string) => call(route("GET", "/api/v1/agents/[id]/keys"), "GET", `/api/v1/agents/${id}/keys`, { auth: token(ctx.users.auditor), params: { id } });
  const addKey = (id: string, json: unknown, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/agents/[id]/keys"), "POST", `/api/v1/agents/${id}/keys`, { auth: token(as), params: { id }, json });
  const retire = (id: string, kid: string, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/agents/[id]/keys/[kid]/retire"), "POST", `/api/v1/agents/${id}/keys/${kid}/retire`, { auth: token(as), params: { id, kid } });
  const served = (slug: string, headers?: Record<string, string>) => pub.get(`/oauth/clients/${slug}`, headers);
  const rawServed = (path: string, init: RequestInit = {}) => fetch(pub.url + path, { redirect: "manual", ...init });

  /** Registers and publishes an agent; answers its id, slug and the review ids. */
  async function published(kind: "interactive" | "headless" = "interactive", document?: Record<string, unknown>) {
    const slug = newSlug(kind);
    const res = await create({ slug, name: `Agent ${slug}`, kind, document: document ?? (kind === "headless" ? headlessDoc(slug) : cimdDoc(slug)) });
    expect(res.status).toBe(201);
    expect((await decide(res.body.review.id)).status).toBe(200);
    return { id: res.body.id as string, slug };
  }

  it("registers an agent: 201 with its client_id, version 1 and a pending review; nothing is served until approval", async () => {
    const slug = newSlug();
    const document = cimdDoc(slug);
    delete document.client_id;
    const res = await create({ slug, name: "Ticket triage", kind: "interactive", environment: "staging", purpose: "Triage", document });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug, clientId: clientIdOf(slug), version: { number: 1 }, review: { state: "pending" } });
    expect(Object.keys(res.body).sort()).toEqual(["clientId", "id", "review", "slug", "version", "warnings"]);
    // the console filled client_id in
    const v = await db().agentVersion.findUniqueOrThrow({ where: { id: res.body.version.id } });
    expect((v.document as Record<string, unknown>).client_id).toBe(clientIdOf(slug));
    const review = await db().review.findUniqueOrThrow({ where: { id: res.body.review.id } });
    expect(review).toMatchObject({ subjectType: "agent-version", subjectId: v.id, subjectName: slug, subjectVersion: "1", state: "pending" });
    const pending = await served(slug);
    expect(pending.status).toBe(404);
    expect(pending.headers.get("cache-control")).toBe("no-store");
    const detail = await get(res.body.id);
    expect(detail.body).toMatchObject({ status: "unpublished", environment: "staging", pending: { number: 1, reviewId: res.body.review.id }, published: null, insecureBase: true });
  });

  it("refuses a client_id other than the hosted URL, and each broken rule gets its own 422 entry; nothing is stored", async () => {
    const slug = newSlug();
    const before = await counts();
    const beforeAgents = await db().agent.count();
    const other = await create({ slug, name: "x", kind: "interactive", document: cimdDoc(slug, { client_id: `${clientIdOf(slug)}/` }) });
    expect(other.status).toBe(422);
    expect(other.body.error.details).toEqual([expect.objectContaining({ field: "body.document/client_id", rule: "client_id.match" })]);
    const many = await create({
      slug,
      name: "x",
      kind: "interactive",
      document: cimdDoc(slug, { client_secret: "s3cret", token_endpoint_auth_method: "client_secret_basic", redirect_uris: ["http://app.example.com/cb"], logo_uri: "http://cdn.example.com/l.png" }),
    });
    expect(many.status).toBe(422);
    expect(many.body.error.code).toBe("validation_failed");
    const fields = (many.body.error.details as { field: string; rule: string }[]).map((d) => `${d.field} ${d.rule}`).sort();
    expect(fields).toEqual(
      ["body.document/client_secret secret.forbidden", "body.document/logo_uri uri.https", "body.document/redirect_uris/0 redirect_uri.scheme", "body.document/token_endpoint_auth_method auth_method.shared_secret"].sort(),
    );
    const headless = await create({ slug, name: "x", kind: "headless", document: headlessDoc(slug, { redirect_uris: ["https://a.example.com/cb"] }) });
    expect(headless.status).toBe(422);
    expect(headless.body.error.details.map((d: { rule: string }) => d.rule)).toContain("headless.redirect_uris");
    const badSlug = await create({ slug: "Bad_Slug", name: "x", kind: "interactive", document: cimdDoc("bad") });
    expect(badSlug.status).toBe(422);
    expect(badSlug.body.error.details[0].field).toBe("slug");
    expect(await counts()).toEqual(before);
    expect(await db().agent.count()).toBe(beforeAgents);
  });

  it("a slug is never reused, even after the agent is deleted", async () => {
    const a = await published();
    const again = await create({ slug: a.slug, name: "again", kind: "interactive", document: cimdDoc(a.slug) });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(apiError("conflict", `slug: ${a.slug} is taken (slugs are never reused, even after deletion)`, [{ field: "slug", message: "is taken" }]));
    const del = await call(route("DELETE", "/api/v1/agents/[id]"), "DELETE", `/api/v1/agents/${a.id}`, { auth: token(ctx.users.approver), params: { id: a.id } });
    expect(del.body).toEqual({ id: a.id, deleted: true });
    expect((await served(a.slug)).status).toBe(404);
    expect((await create({ slug: a.slug, name: "again", kind: "interactive", document: cimdDoc(a.slug) })).status).toBe(409);
  });

  it("approval publishes exactly the approved bytes with the CIMD headers; 304 on a matching ETag; the digest is in the audit event", async () => {
    const a = await published();
    const agent = await db().agent.findUniqueOrThrow({ where: { id: a.id } });
    const v = await db().agentVersion.findUniqueOrThrow({ where: { id: agent.currentVersionId! } });
    const res = await rawServed(`/oauth/clients/${a.slug}`);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toBe(v.canonical);
    expect(sha256(body)).toBe(v.sha256);
    expect(JSON.parse(body)).toEqual(cimdDoc(a.slug));
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await rawServed(`/oauth/clients/${a.slug}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const head = await rawServed(`/oauth/clients/${a.slug}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "agent.version.approve", targetId: a.id } });
    expect(event.after).toMatchObject({ sha256: v.sha256, number: 1, versionId: v.id });
    const detail = await get(a.id);
    expect(detail.body).toMatchObject({ status: "published", published: { number: 1, sha256: v.sha256 }, canonical: v.canonical });
  });

  it("every other spelling of a hosted URL is a 404 with no-store, never a redirect", async () => {
    const a = await published();
    const spellings = [
      `/oauth/clients/${a.slug}/`,
      `/oauth/clients/${a.slug.toUpperCase()}`,
      `/OAUTH/clients/${a.slug}`,
      `/oauth/clients/%${a.slug.charCodeAt(0).toString(16)}${a.slug.slice(1)}`,
      `/oauth/clients/${a.slug}?x=1`,
      `/oauth/clients/${a.slug}/jwks.json`,
      `/oauth/clients/${a.slug}.json`,
      `/oauth/clients/`,
      `/oauth/clients`,
      `/oauth/clients/nope-${a.slug}`,
    ];
    for (const path of spellings) {
      const res = await rawServed(path);
      expect([path, res.status, res.headers.get("cache-control"), res.headers.get("location")]).toEqual([path, 404, "no-store", null]);
    }
    const post = await rawServed(`/oauth/clients/${a.slug}`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("a new version is not served until approved; approval moves the current version and keeps the old one in history", async () => {
    const a = await published();
    const first = await (await rawServed(`/oauth/clients/${a.slug}`)).text();
    const next = await submit(a.id, cimdDoc(a.slug, { client_name: "Renamed agent", redirect_uris: ["https://app.example.com/callback", "https://new.example.com/cb"] }));
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ version: { number: 2 }, review: { state: "pending" } });
    expect(await (await rawServed(`/oauth/clients/${a.slug}`)).text()).toBe(first);
    // the reviewer sees what changed against the published version
    const review = await call(route("GET", "/api/v1/reviews/[id]"), "GET", `/api/v1/reviews/${next.body.review.id}`, { auth: token(ctx.users.approver), params: { id: next.body.review.id } });
    expect(review.body.detail).toMatchObject({
      agent: { id: a.id, slug: a.slug, clientId: clientIdOf(a.slug) },
      version: { number: 2, state: "pending" },
      previous: { number: 1 },
      changes: { redirects: { added: ["https://new.example.com/cb"], removed: [] }, keys: { added: [], removed: [] }, jwksUri: null },
    });
    expect(review.body.detail.warnings.map((w: { rule: string }) => w.rule)).toContain("redirect_uris.changed");
    // four-eyes: the submitter cannot approve it
    expect((await decide(next.body.review.id, "approve", ctx.users.publisher)).status).toBe(403);
    expect((await decide(next.body.review.id)).status).toBe(200);
    const now = JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text());
    expect(now.client_name).toBe("Renamed agent");
    const detail = await get(a.id);
    expect(detail.body.versions.map((v: { number: number; state: string; current: boolean }) => [v.number, v.state, v.current])).toEqual([
      [2, "approved", true],
      [1, "approved", false],
    ]);
  });

  it("revoking stops serving at once, withdraws what is in review, and is final", async () => {
    const a = await published();
    expect((await served(a.slug)).status).toBe(200);
    const pending = await submit(a.id, cimdDoc(a.slug, { client_name: "Edited" }));
    const res = await revoke(a.id, "key leaked");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "revoked", revoked: { reason: "key leaked", by: { id: ctx.users.approver.id } }, pending: null, permissions: { canEdit: false, canRevoke: false } });
    const gone = await served(a.slug);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("cache-control")).toBe("no-store");
    expect(await db().review.findUniqueOrThrow({ where: { id: pending.body.review.id } })).toMatchObject({ state: "withdrawn" });
    expect((await decide(pending.body.review.id)).status).toBe(409);
    const again = await revoke(a.id);
    expect(again.status).toBe(409);
    const before = await counts();
    const after = await submit(a.id, cimdDoc(a.slug));
    expect(after.status).toBe(409);
    expect(await counts()).toEqual(before);
    // a publisher may not revoke
    const b = await published();
    expect((await revoke(b.id, undefined, ctx.users.publisher)).status).toBe(403);
    expect((await served(b.slug)).status).toBe(200);
  });

  it("publishers change only agents they own; approvers change any; refusals change nothing", async () => {
    const a = await published();
    const stranger = await insertUser({ role: "publisher" });
    const { token: t, row } = await insertToken(stranger.id);
    const p: Principal = { role: "publisher", id: stranger.id, email: stranger.email!, name: stranger.name, token: t, tokenId: row.id, cookie: await sessionCookieFor(stranger.id) };
    const before = await counts();
    const versions = await db().agentVersion.count({ where: { agentId: a.id } });
    const refusals = [
      await submit(a.id, cimdDoc(a.slug, { client_name: "Hijack" }), p),
      await call(route("PATCH", "/api/v1/agents/[id]"), "PATCH", `/api/v1/agents/${a.id}`, { auth: token(p), params: { id: a.id }, json: { name: "Hijack" } }),
      await call(route("PUT", "/api/v1/agents/[id]/draft"), "PUT", `/api/v1/agents/${a.id}/draft`, { auth: token(p), params: { id: a.id }, json: { document: {} } }),
      await addKey(a.id, { action: "generate" }, p),
      await call(route("POST", "/api/v1/agents/[id]/owners"), "POST", `/api/v1/agents/${a.id}/owners`, { auth: token(p), params: { id: a.id }, json: { userId: stranger.id } }),
    ];
    for (const r of refusals) expect(r.body).toEqual(apiError("forbidden", `You do not own ${a.slug}: only its owners (or an approver) may change it`));
    expect(await counts()).toEqual(before);
    expect(await db().agentVersion.count({ where: { agentId: a.id } })).toBe(versions);
    // once a co-owner, the same publisher may
    const add = await call(route("POST", "/api/v1/agents/[id]/owners"), "POST", `/api/v1/agents/${a.id}/owners`, { auth: token(ctx.users.publisher), params: { id: a.id }, json: { userId: stranger.id } });
    expect(add.status).toBe(201);
    expect((await submit(a.id, cimdDoc(a.slug, { client_name: "By co-owner" }), p)).status).toBe(201);
    const approverEdit = await call(route("PATCH", "/api/v1/agents/[id]"), "PATCH", `/api/v1/agents/${a.id}`, { auth: token(ctx.users.approver), params: { id: a.id }, json: { ownerTeam: "Platform" } });
    expect(approverEdit.status).toBe(200);
    expect(approverEdit.body.ownerTeam).toBe("Platform");
  });

  it("drafts: saved as typed (even invalid), shown with their validation, discarded on request; never served", async () => {
    const a = await published();
    const path = `/api/v1/agents/${a.id}/draft`;
    const put = await call(route("PUT", "/api/v1/agents/[id]/draft"), "PUT", path, { auth: token(ctx.users.publisher), params: { id: a.id }, json: { document: { client_name: "Half done", redirect_uris: ["http://app.example.com/cb"] } } });
    expect(put.status).toBe(200);
    expect(put.body.draft.document).toEqual({ client_name: "Half done", redirect_uris: ["http://app.example.com/cb"] });
    expect(put.body.validation.errors.map((e: { rule: string }) => e.rule)).toContain("redirect_uri.scheme");
    expect((await get(a.id)).body).toMatchObject({ hasDraft: true, draft: { document: { client_name: "Half done" } } });
    expect(JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text()).client_name).toBe(`Agent ${a.slug}`);
    const del = await call(route("DELETE", "/api/v1/agents/[id]/draft"), "DELETE", path, { auth: token(ctx.users.publisher), params: { id: a.id } });
    expect(del.body).toEqual({ deleted: true });
    expect((await get(a.id)).body).toMatchObject({ hasDraft: false, draft: null });
    expect((await call(route("DELETE", "/api/v1/agents/[id]/draft"), "DELETE", path, { auth: token(ctx.users.publisher), params: { id: a.id } })).status).toBe(404);
  });

  it("keys: generate (private key answered once, never stored), rotate, retire; each change is a reviewed version", async () => {
    const a = await published("headless");
    const gen = await addKey(a.id, { action: "generate" });
    expect(gen.status).toBe(201);
    expect(gen.body.privateKey.pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(gen.body.privateKey.jwk).toMatchObject({ kty: "EC", crv: "P-256", kid: gen.body.key.kid });
    expect(gen.body.key).toMatchObject({ kty: "EC", alg: "ES256", thumbprint: gen.body.key.kid });
    expect(gen.body.version.number).toBe(2);
    const secret = gen.body.privateKey.jwk.d as string;
    const stored = JSON.stringify([await db().agentVersion.findMany(), await db().agentKey.findMany(), await db().auditEvent.findMany({ select: { before: true, after: true, data: true } })]);
    expect(stored).not.toContain(secret);
    let list = await keys(a.id);
    expect(list.body.items.map((k: { kid: string; state: string }) => [k.kid, k.state])).toEqual([
      ["k1", "active"],
      [gen.body.key.kid, "pending"],
    ]);
    // still the old key set until approval
    expect(JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text()).jwks.keys).toHaveLength(1);
    expect((await addKey(a.id, { action: "generate" })).status).toBe(409); // one version in review at a time
    expect((await decide(gen.body.review.id)).status).toBe(200);
    const doc = JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text());
    expect(doc.jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(["k1", gen.body.key.kid]);
    expect(JSON.stringify(doc)).not.toContain('"d"');
    // retire the old key: listed as retiring until approved, then retired and gone from the document
    const ret = await retire(a.id, "k1");
    expect(ret.status).toBe(201);
    list = await keys(a.id);
    expect(list.body.items.find((k: { kid: string }) => k.kid === "k1").state).toBe("retiring");
    expect((await decide(ret.body.review.id)).status).toBe(200);
    const after = JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text());
    expect(after.jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([gen.body.key.kid]);
    list = await keys(a.id);
    expect(list.body.items.map((k: { kid: string; state: string; source: string }) => [k.kid, k.state, k.source])).toEqual([
      [gen.body.key.kid, "active", "generated"],
      ["k1", "retired", "document"],
    ]);
    // the only key of a private_key_jwt client cannot be retired
    const last = await retire(a.id, gen.body.key.kid);
    expect(last.status).toBe(409);
    expect((await retire(a.id, "missing")).status).toBe(404);
  });

  it("keys: a registered public key, a hosted jwks_uri key set, and private key material refused", async () => {
    const a = await published("headless");
    const before = await counts();
    const priv = await addKey(a.id, { action: "register", jwk: { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" } });
    expect(priv.status).toBe(422);
    expect(priv.body.error.details).toEqual([{ field: "jwk.d", message: "is a private key member: register the public key only" }]);
    expect(await counts()).toEqual(before);
    const rsa = await addKey(a.id, { action: "generate", alg: "RS256", placement: "jwks_uri" });
    expect(rsa.status).toBe(201);
    expect(rsa.body.key).toMatchObject({ kty: "RSA", alg: "RS256" });
    const v = await db().agentVersion.findUniqueOrThrow({ where: { id: rsa.body.version.id } });
    expect((v.document as Record<string, unknown>).jwks_uri).toBe(`${clientIdOf(a.slug)}/jwks.json`);
    expect((v.document as Record<string, unknown>).jwks).toBeUndefined();
    expect((await rawServed(`/oauth/clients/${a.slug}/jwks.json`)).status).toBe(404);
    expect((await decide(rsa.body.review.id)).status).toBe(200);
    const set = await rawServed(`/oauth/clients/${a.slug}/jwks.json`);
    expect(set.status).toBe(200);
    expect(set.headers.get("cache-control")).toBe("public, max-age=300");
    expect(((await set.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual(["k1", rsa.body.key.kid]);
    const list = await keys(a.id);
    expect(list.body).toMatchObject({ placement: "jwks_uri", jwksUri: `${clientIdOf(a.slug)}/jwks.json` });
    // registering an existing key again is a conflict
    const dup = await addKey(a.id, { action: "register", jwk: { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" } });
    expect(dup.status).toBe(409);
  });

  it("exports every published client_id as JSON and as text, without revoked or unpublished ones", async () => {
    const live = await published();
    const gone = await published();
    await revoke(gone.id);
    const draftSlug = newSlug("draft");
    expect((await create({ slug: draftSlug, name: "d", kind: "interactive", draft: true, document: { client_name: "later" } })).body).toMatchObject({ version: null, review: null });
    const json = await call(route("GET", "/api/v1/agents/client-ids"), "GET", "/api/v1/agents/client-ids", { auth: token(ctx.users.auditor) });
    const ids = json.body.clientIds.map((c: { clientId: string }) => c.clientId);
    expect(ids).toContain(clientIdOf(live.slug));
    expect(ids).not.toContain(clientIdOf(gone.slug));
    expect(ids).not.toContain(clientIdOf(draftSlug));
    const text = await call(route("GET", "/api/v1/agents/client-ids"), "GET", "/api/v1/agents/client-ids", { auth: token(ctx.users.auditor), query: { format: "text" } });
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((text.body as string).trim().split("\n")).toEqual(ids);
  });

  it("the list searches and filters", async () => {
    const a = await published("headless");
    const res = await call(route("GET", "/api/v1/agents"), "GET", "/api/v1/agents", { auth: token(ctx.users.auditor), query: { q: a.slug.toUpperCase(), kind: "headless", status: "published" } });
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(res.body.items[0]).toMatchObject({ kind: "headless", status: "published", keyCount: 1, owners: [{ id: ctx.users.publisher.id }] });
    const pct = await call(route("GET", "/api/v1/agents"), "GET", "/api/v1/agents", { auth: token(ctx.users.auditor), query: { q: "%" } });
    expect(pct.body.items).toEqual([]);
  });

  it("two concurrent submissions for one agent: one version in review, the other a 409", async () => {
    const a = await published();
    const results = await Promise.all([1, 2, 3].map((n) => submit(a.id, cimdDoc(a.slug, { client_name: `Race ${n}` }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await db().agentVersion.count({ where: { agentId: a.id, state: "pending" } })).toBe(1);
    expect(await db().review.count({ where: { subjectType: "agent-version", subjectName: a.slug, state: "pending" } })).toBe(1);
  });

  it("concurrent registrations of one slug: one agent, the others a 409 naming the slug", async () => {
    const slug = newSlug("race");
    const results = await Promise.all([1, 2, 3].map((n) => create({ slug, name: `Race ${n}`, kind: "interactive", document: cimdDoc(slug) })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.details).toEqual([{ field: "slug", message: "is taken" }]);
    expect(await db().agent.count({ where: { slug } })).toBe(1);
    expect(await db().agentVersion.count({ where: { agent: { slug } } })).toBe(1);
  });

  it("links agents and catalog servers both ways; an unknown server is a 422 naming servers", async () => {
    const server = await db().server.create({ data: { name: `io.example${newSlug("s")}/linked`, createdById: ctx.users.publisher.id } });
    const slug = newSlug("linked");
    const bad = await create({ slug, name: "Linked", kind: "interactive", servers: ["nope"], document: cimdDoc(slug) });
    expect(bad.body).toEqual(apiError("validation_failed", "servers: no catalog server nope", [{ field: "servers", message: "no catalog server nope" }]));
    const res = await create({ slug, name: "Linked", kind: "interactive", servers: [server.id], document: cimdDoc(slug) });
    expect(res.status).toBe(201);
    expect((await get(res.body.id)).body.servers).toEqual([{ id: server.id, name: server.name }]);
    const page = await call(route("GET", "/api/v1/servers/[id]"), "GET", `/api/v1/servers/${server.id}`, { auth: token(ctx.users.auditor), params: { id: server.id } });
    expect(page.body.agents).toEqual([{ id: res.body.id, slug, name: "Linked", status: "unpublished" }]);
  });

  it("the database itself holds one pending version per agent (the partial unique index)", async () => {
    const a = await published();
    const v = await db().agentVersion.findFirstOrThrow({ where: { agentId: a.id } });
    const row = (number: number) => ({ agentId: a.id, number, document: {}, canonical: "{}", sha256: "x", size: 2, warnings: [], submittedById: ctx.users.publisher.id, state: "pending" as const });
    await db().agentVersion.create({ data: row(v.number + 1) });
    await expect(db().agentVersion.create({ data: row(v.number + 2) })).rejects.toMatchObject({ code: "P2002" });
  });

  it("more refusals for someone else's agent, and the last owner stays", async () => {
    const a = await published("headless");
    const stranger = await insertUser({ role: "publisher" });
    const { token: t, row } = await insertToken(stranger.id);
    const p: Principal = { role: "publisher", id: stranger.id, email: stranger.email!, name: stranger.name, token: t, tokenId: row.id, cookie: await sessionCookieFor(stranger.id) };
    const before = await counts();
    const forbidden = apiError("forbidden", `You do not own ${a.slug}: only its owners (or an approver) may change it`);
    expect((await retire(a.id, "k1", p)).body).toEqual(forbidden);
    expect((await call(route("DELETE", "/api/v1/agents/[id]/draft"), "DELETE", `/api/v1/agents/${a.id}/draft`, { auth: token(p), params: { id: a.id } })).body).toEqual(forbidden);
    expect((await call(route("DELETE", "/api/v1/agents/[id]/owners/[userId]"), "DELETE", `/api/v1/agents/${a.id}/owners/${ctx.users.publisher.id}`, { auth: token(p), params: { id: a.id, userId: ctx.users.publisher.id } })).body).toEqual(forbidden);
    expect(await counts()).toEqual(before);
    const last = await call(route("DELETE", "/api/v1/agents/[id]/owners/[userId]"), "DELETE", `/api/v1/agents/${a.id}/owners/${ctx.users.publisher.id}`, { auth: token(ctx.users.publisher), params: { id: a.id, userId: ctx.users.publisher.id } });
    expect(last.body).toEqual(apiError("conflict", `${a.slug} must keep at least one owner: add another before removing this one`));
    // a deleted agent's owners no longer change, and its documents are no longer shown
    await call(route("DELETE", "/api/v1/agents/[id]"), "DELETE", `/api/v1/agents/${a.id}`, { auth: token(ctx.users.approver), params: { id: a.id } });
    const add = await call(route("POST", "/api/v1/agents/[id]/owners"), "POST", `/api/v1/agents/${a.id}/owners`, { auth: token(ctx.users.approver), params: { id: a.id }, json: { userId: stranger.id } });
    expect(add.status).toBe(409);
    expect((await get(a.id)).body).toMatchObject({ status: "deleted", document: null, canonical: null, draft: null });
  });

  it("drafts may hold no secret or private key, and are bounded", async () => {
    const a = await published();
    const path = `/api/v1/agents/${a.id}/draft`;
    const put = (document: unknown) => call(route("PUT", "/api/v1/agents/[id]/draft"), "PUT", path, { auth: token(ctx.users.publisher), params: { id: a.id }, json: { document } });
    const secret = await put({ client_secret: "hunter2" });
    expect(secret.status).toBe(422);
    expect(secret.body.error.details).toEqual([expect.objectContaining({ field: "document/client_secret", rule: "secret.forbidden" })]);
    const key = await put({ jwks: { keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b", d: "private" }] } });
    expect(key.body.error.details).toEqual([expect.objectContaining({ field: "document/jwks/keys/0/d", rule: "jwks.private" })]);
    const big = await put({ client_name: "x".repeat(70_000) });
    expect(big.status).toBe(422);
    const slug = newSlug("bigdraft");
    expect((await create({ slug, name: "d", kind: "interactive", draft: true, document: { client_name: "x".repeat(70_000) } })).status).toBe(422);
    expect((await create({ slug, name: "d", kind: "interactive", draft: true, document: { client_secret: "s" } })).status).toBe(422);
    expect(await db().agent.findUnique({ where: { slug } })).toBeNull();
    expect(await db().agent.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ draftDocument: null });
  });

  it("a key type named after an Object member is refused, never a 500", async () => {
    const a = await published("headless");
    for (const kty of ["constructor", "toString", "__proto__", "oct"]) {
      const reg = await addKey(a.id, { action: "register", jwk: { kty, x: "a" } });
      expect([kty, reg.status, reg.body.error.details]).toEqual([kty, 422, [{ field: "jwk.kty", message: "kty must be EC, RSA or OKP" }]]);
      const doc = await submit(a.id, headlessDoc(a.slug, { jwks: { keys: [{ kty, kid: "a" }] } }));
      expect([kty, doc.status, doc.body.error.details.map((d: { field: string }) => d.field)]).toEqual([kty, 422, ["body.document/jwks/keys/0/kty"]]);
    }
  });

  it("a refused key change leaves keys and document as they were; withdrawn versions can be followed by new ones", async () => {
    const a = await published("headless");
    const servedBefore = await (await rawServed(`/oauth/clients/${a.slug}`)).text();
    const gen = await addKey(a.id, { action: "generate" });
    expect((await decide(gen.body.review.id, "reject")).status).toBe(200);
    expect(await (await rawServed(`/oauth/clients/${a.slug}`)).text()).toBe(servedBefore);
    expect((await keys(a.id)).body.items.map((k: { kid: string; state: string }) => [k.kid, k.state])).toEqual([["k1", "active"]]);
    const next = await submit(a.id, headlessDoc(a.slug, { client_name: "Withdrawn" }));
    const w = await call(route("POST", "/api/v1/reviews/[id]/withdraw"), "POST", `/api/v1/reviews/${next.body.review.id}/withdraw`, { auth: token(ctx.users.publisher), params: { id: next.body.review.id } });
    expect(w.status).toBe(200);
    expect(await db().agentVersion.findUniqueOrThrow({ where: { id: next.body.version.id } })).toMatchObject({ state: "withdrawn" });
    const after = await submit(a.id, headlessDoc(a.slug, { client_name: "Resubmitted" }));
    expect(after.status).toBe(201);
    expect(after.body.version.number).toBe(next.body.version.number + 1);
  });

  it("the hosted key set carries over from the published version only, and jwks.json revalidates like the document", async () => {
    const a = await published("headless");
    const hosted = await addKey(a.id, { action: "generate", placement: "jwks_uri" });
    expect((await decide(hosted.body.review.id)).status).toBe(200);
    const rejected = await addKey(a.id, { action: "generate" });
    expect((await decide(rejected.body.review.id, "reject")).status).toBe(200);
    const doc = JSON.parse(await (await rawServed(`/oauth/clients/${a.slug}`)).text());
    const rename = await submit(a.id, { ...doc, client_name: "Just a rename" });
    expect(rename.status).toBe(201);
    const v = await db().agentVersion.findUniqueOrThrow({ where: { id: rename.body.version.id } });
    expect((v.hostedJwks as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual(["k1", hosted.body.key.kid]);
    const review = await call(route("GET", "/api/v1/reviews/[id]"), "GET", `/api/v1/reviews/${rename.body.review.id}`, { auth: token(ctx.users.approver), params: { id: rename.body.review.id } });
    expect(review.body.detail.changes.keys).toEqual({ added: [], removed: [] });
    const set = await rawServed(`/oauth/clients/${a.slug}/jwks.json`);
    const etag = set.headers.get("etag")!;
    expect((await rawServed(`/oauth/clients/${a.slug}/jwks.json`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const head = await rawServed(`/oauth/clients/${a.slug}/jwks.json`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
  });

  it("CORS: the preflight answers, and 404s carry CORS too", async () => {
    const a = await published();
    const pre = await rawServed(`/oauth/clients/${a.slug}`, { method: "OPTIONS", headers: { origin: "https://as.example.com", "access-control-request-method": "GET" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    const missing = await rawServed(`/oauth/clients/none-${a.slug}`);
    expect([missing.status, missing.headers.get("access-control-allow-origin")]).toEqual([404, "*"]);
  });

  it("through server.ts's listener: a hit is answered from memory with the security headers; anything else takes the edges", async () => {
    const a = await published();
    let nextCalls = 0;
    const server = createServer(requestListener(async (_req, res) => { nextCalls += 1; res.writeHead(200); res.end("next"); }, { trustedProxies: [], hsts: false }, pino({ level: "silent" })));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const hit = await fetch(`${base}/oauth/clients/${a.slug}`, { redirect: "manual" });
      const v = await db().agentVersion.findFirstOrThrow({ where: { agentId: a.id, state: "approved" } });
      expect([hit.status, await hit.text()]).toEqual([200, v.canonical]);
      for (const [h, value] of [["x-content-type-options", "nosniff"], ["x-frame-options", "DENY"], ["cross-origin-opener-policy", "same-origin"], ["content-type", "application/json"], ["cache-control", "public, max-age=300"], ["access-control-allow-origin", "*"]]) {
        expect([h, hit.headers.get(h)]).toEqual([h, value]);
      }
      const again = await fetch(`${base}/oauth/clients/${a.slug}`, { headers: { "if-none-match": hit.headers.get("etag")! } });
      expect([again.status, again.headers.get("x-frame-options")]).toEqual([304, "DENY"]);
      const miss = await fetch(`${base}/oauth/clients/${a.slug}/`, { redirect: "manual" });
      expect([miss.status, miss.headers.get("cache-control"), miss.headers.get("x-frame-options")]).toEqual([404, "no-store", "DENY"]);
      const del = await fetch(`${base}/oauth/clients/${a.slug}`, { method: "DELETE" });
      expect(del.status).toBe(405);
      expect(nextCalls).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("hosts more documents than SQLite binds parameters in one statement", async () => {
    const before = await db().agent.count();
    const rows = Array.from({ length: 1100 }, (_, i) => ({ slug: `bulk-${i}-${newSlug("b")}`, i }));
    await db().$transaction(async (tx) => {
      for (const r of rows) {
        const agent = await tx.agent.create({ data: { slug: r.slug, clientId: clientIdOf(r.slug), name: r.slug, kind: "interactive", createdById: ctx.users.publisher.id } });
        const doc = JSON.stringify(cimdDoc(r.slug));
        const v = await tx.agentVersion.create({ data: { agentId: agent.id, number: 1, document: JSON.parse(doc), canonical: doc, sha256: sha256(doc), size: doc.length, warnings: [], state: "approved", publishedAt: new Date(), submittedById: ctx.users.publisher.id } });
        await tx.agent.update({ where: { id: agent.id }, data: { currentVersionId: v.id } });
      }
    }, { timeout: 120_000 });
    expect(await db().agent.count()).toBe(before + 1100);
    const { rebuildCimd } = await import("@/lib/public/cimd");
    const snap = await rebuildCimd();
    expect(snap.has(`/oauth/clients/${rows[1099].slug}`)).toBe(true);
    expect((await served(rows[0].slug)).status).toBe(200);
  }, 180_000);
});
