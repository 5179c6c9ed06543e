import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import "@/lib/reviews/handlers";
import { dueUpstreams, failInterruptedRuns, markAfter, runSync, startSync, SYNC_ACCOUNT, syncServiceActor } from "@/lib/registry/sync";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import * as upstreamsRoute from "@/app/api/v1/upstreams/route";
import * as upstreamRoute from "@/app/api/v1/upstreams/[id]/route";
import * as syncRoute from "@/app/api/v1/upstreams/[id]/sync/route";
import * as rulesRoute from "@/app/api/v1/upstreams/[id]/rules/route";
import * as ruleRoute from "@/app/api/v1/upstreams/[id]/rules/[ruleId]/route";
import * as decisionRoute from "@/app/api/v1/reviews/[id]/decision/route";
import { actorOf, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, call, session, token, type Handler } from "../helpers/http";
import { doc } from "../helpers/server-json";

// Upstream sync against a fake upstream registry (node:http on 127.0.0.1, admitted through
// OUTBOUND_ALLOWLIST): first and incremental runs, following deprecations and deletions, allow
// rules and their four-eyes review, rejections, failures, the lease, the SSRF guard, the API.

const OFFICIAL = "io.modelcontextprotocol.registry/official";

interface FeedEntry {
  server: unknown;
  status?: "active" | "deprecated" | "deleted";
  statusMessage?: string;
  updatedAt: string;
}
interface Feed {
  entries: (FeedEntry | unknown)[];
  pageSize: number;
  /** How each request is answered: a JSON page, or a failure on the given page (1-based). */
  fail?: { page: number; kind: "500" | "badjson" | "notlist" };
  delayMs?: number;
  requests: Record<string, string>[];
}

const feeds = new Map<string, Feed>();
let fake: HttpServer;
let fakeBase = "";

const entry = (name: string, version: string, updatedAt: string, status: FeedEntry["status"] = "active", statusMessage?: string): FeedEntry => ({
  server: doc(name, version),
  status,
  statusMessage,
  updatedAt,
});

function serve(feed: Feed, query: URLSearchParams, res: import("node:http").ServerResponse) {
  const q = Object.fromEntries(query);
  feed.requests.push(q);
  const since = q.updated_since ? Date.parse(q.updated_since) : null;
  const all = feed.entries.filter((e) => since === null || !isFeedEntry(e) || Date.parse(e.updatedAt) >= since);
  const start = q.cursor ? Number(q.cursor) : 0;
  const size = Math.min(Number(q.limit ?? 30), feed.pageSize);
  const page = all.slice(start, start + size);
  const pageNo = feed.requests.length;
  if (feed.fail && feed.fail.page === pageNo) {
    if (feed.fail.kind === "500") {
      res.writeHead(500, { "content-type": "application/json" });
      return res.end('{"error":"boom"}');
    }
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(feed.fail.kind === "badjson" ? "{not json" : '{"items":[]}');
  }
  const servers = page.map((e) =>
    isFeedEntry(e)
      ? { server: e.server, _meta: { [OFFICIAL]: { status: e.status ?? "active", statusMessage: e.statusMessage, publishedAt: e.updatedAt, updatedAt: e.updatedAt, isLatest: true } } }
      : e,
  );
  const next = start + size < all.length ? String(start + size) : undefined;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ servers, metadata: { count: servers.length, ...(next ? { nextCursor: next } : {}) } }));
}
const isFeedEntry = (e: unknown): e is FeedEntry => !!e && typeof e === "object" && "updatedAt" in e && "server" in e;

beforeAll(async () => {
  fake = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const m = /^\/([a-z0-9]+)\/v0\.1\/servers$/.exec(url.pathname);
    const feed = m ? feeds.get(m[1]) : undefined;
    if (!feed) {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end('{"error":"not found"}');
    }
    setTimeout(() => serve(feed, url.searchParams, res), feed.delayMs ?? 0);
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeBase = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => fake.close(r));
});

/** A new feed on the fake upstream; its base URL is what an upstream is configured with. */
function newFeed(entries: Feed["entries"] = [], pageSize = 100) {
  const key = `f${uid()}`;
  const feed: Feed = { entries, pageSize, requests: [] };
  feeds.set(key, feed);
  return { feed, baseUrl: `${fakeBase}/${key}` };
}

const T = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();

describeEngines("upstream sync", (engine) => {
  const ctx = useTestDatabase(engine);
  let second: Principal;

  beforeAll(async () => {
    const user = await insertUser({ role: "approver", name: "Second Approver" });
    const { token: t, row } = await insertToken(user.id);
    second = { role: "approver", id: user.id, email: user.email!, name: user.name, token: t, tokenId: row.id, cookie: "" };
  });
  beforeEach(() => {
    process.env.OUTBOUND_ALLOWLIST = "127.0.0.1";
    resetEnvCache();
  });

  const h = (mod: Record<string, unknown>, method: string) => mod[method] as Handler;
  const api = {
    create: (json: unknown, as: Principal = ctx.users.approver) => call(h(upstreamsRoute, "POST"), "POST", "/api/v1/upstreams", { auth: token(as), json }),
    list: (as: Principal = ctx.users.auditor) => call(h(upstreamsRoute, "GET"), "GET", "/api/v1/upstreams", { auth: token(as) }),
    get: (id: string, as: Principal = ctx.users.auditor) => call(h(upstreamRoute, "GET"), "GET", `/api/v1/upstreams/${id}`, { auth: token(as), params: { id } }),
    patch: (id: string, json: unknown, as: Principal = ctx.users.approver) => call(h(upstreamRoute, "PATCH"), "PATCH", `/api/v1/upstreams/${id}`, { auth: token(as), params: { id }, json }),
    remove: (id: string, as: Principal = ctx.users.approver) => call(h(upstreamRoute, "DELETE"), "DELETE", `/api/v1/upstreams/${id}`, { auth: token(as), params: { id } }),
    sync: (id: string, as: Principal = ctx.users.approver) => call(h(syncRoute, "POST"), "POST", `/api/v1/upstreams/${id}/sync`, { auth: session(as), params: { id } }),
    rules: (id: string, as: Principal = ctx.users.auditor) => call(h(rulesRoute, "GET"), "GET", `/api/v1/upstreams/${id}/rules`, { auth: token(as), params: { id } }),
    addRule: (id: string, json: unknown, as: Principal = ctx.users.approver) => call(h(rulesRoute, "POST"), "POST", `/api/v1/upstreams/${id}/rules`, { auth: token(as), params: { id }, json }),
    revoke: (id: string, ruleId: string, as: Principal = ctx.users.approver) =>
      call(h(ruleRoute, "DELETE"), "DELETE", `/api/v1/upstreams/${id}/rules/${ruleId}`, { auth: token(as), params: { id, ruleId } }),
    decide: (reviewId: string, decision: "approve" | "reject", as: Principal) =>
      call(h(decisionRoute, "POST"), "POST", `/api/v1/reviews/${reviewId}/decision`, { auth: token(as), params: { id: reviewId }, json: { decision } }),
  };

  async function upstream(baseUrl: string, extra: Record<string, unknown> = {}) {
    const res = await api.create({ name: `up-${uid()}`, baseUrl, intervalMinutes: 0, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  }
  const versionOf = (name: string, version = "1.0.0") => db().serverVersion.findFirst({ where: { server: { name }, version } });
  async function approvedRule(upstreamId: string, namespace: string) {
    const rule = await api.addRule(upstreamId, { namespace });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    expect((await api.decide(rule.body.reviewId, "approve", second)).status).toBe(200);
    return rule.body as { id: string; reviewId: string };
  }

  it("first run: pages through the upstream and submits every new version pending review, in one batch", async () => {
    const ns = `io.first${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(1)), entry(`${ns}/b`, "1.0.0", T(3)), entry(`${ns}/b`, "1.1.0", T(2))], 2);
    const up = await upstream(`${baseUrl}/v0.1/`);
    expect((await api.get(up.id)).body).toMatchObject({ baseUrl, status: "idle", updatedSince: null, lastCounts: null });

    const done = await runSync(up.id, { actor: actorOf(ctx.users.approver) });
    expect(done).toMatchObject({ status: "succeeded", lastError: null, updatedSince: T(3), lastStartedAt: expect.any(String), lastFinishedAt: expect.any(String) });
    expect(done.lastCounts).toEqual({ pages: 2, seen: 3, submitted: 3, admitted: 0, unchanged: 0, skipped: 0, deprecated: 0, deleted: 0, rejected: 0, errors: 0, problems: [] });
    expect(feed.requests).toEqual([
      { limit: "100", include_deleted: "true" },
      { limit: "100", include_deleted: "true", cursor: "2" },
    ]);
    const versions = await db().serverVersion.findMany({ where: { server: { name: { startsWith: `${ns}/` } } } });
    expect(versions).toHaveLength(3);
    const batch = versions[0].batchId!;
    expect(batch).toMatch(new RegExp(`^sync:${up.id}:`));
    for (const v of versions) expect(v).toMatchObject({ state: "pending", source: "sync", batchId: batch, admittedByRuleId: null });
    const syncUser = await db().user.findFirstOrThrow({ where: { kind: "service", name: SYNC_ACCOUNT } });
    expect(syncUser.role).toBe("publisher");
    expect(await db().review.count({ where: { subjectType: "server-version", subjectId: { in: versions.map((v) => v.id) }, state: "pending", submittedById: syncUser.id } })).toBe(3);
    expect(await db().auditEvent.count({ where: { action: "upstream.sync.succeed", targetId: up.id } })).toBe(1);
  });

  it("second run is incremental: it asks for updated_since the newest updatedAt seen, and adds only what is new", async () => {
    const ns = `io.incr${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(10)), entry(`${ns}/a`, "1.1.0", T(11))]);
    const up = await upstream(baseUrl);
    await runSync(up.id);
    feed.entries.push(entry(`${ns}/a`, "1.2.0", T(12)));
    feed.requests.length = 0;
    const done = await runSync(up.id);
    expect(feed.requests).toEqual([{ limit: "100", include_deleted: "true", updated_since: T(11) }]);
    expect(done).toMatchObject({ status: "succeeded", updatedSince: T(12) });
    expect(done.lastCounts).toMatchObject({ pages: 1, seen: 2, submitted: 1, unchanged: 1 });
    expect(await db().serverVersion.count({ where: { server: { name: `${ns}/a` } } })).toBe(3);
    // A full run on demand: PATCH updatedSince null.
    expect((await api.patch(up.id, { updatedSince: null })).body.updatedSince).toBeNull();
    feed.requests.length = 0;
    expect((await runSync(up.id)).lastCounts).toMatchObject({ seen: 3, unchanged: 3, submitted: 0 });
    expect(feed.requests[0].updated_since).toBeUndefined();
  });

  it("follows upstream deprecations and deletions of approved versions it brought; new deprecated or deleted versions are skipped", async () => {
    const ns = `io.follow${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(20)), entry(`${ns}/a`, "2.0.0", T(21)), entry(`${ns}/p`, "1.0.0", T(22))]);
    const up = await upstream(baseUrl);
    await approvedRule(up.id, `${ns}/a`);
    expect((await runSync(up.id)).lastCounts).toMatchObject({ admitted: 2, submitted: 1 });
    feed.entries = [
      entry(`${ns}/a`, "1.0.0", T(30), "deprecated", "Use 2.0.0"),
      entry(`${ns}/a`, "2.0.0", T(31), "deleted"),
      entry(`${ns}/p`, "1.0.0", T(32), "deleted"), // still pending here: a reviewer decides it
      entry(`${ns}/a`, "3.0.0", T(33), "deprecated"),
      entry(`${ns}/a`, "4.0.0", T(34), "deleted"),
    ];
    const done = await runSync(up.id);
    expect(done.lastCounts).toMatchObject({ seen: 5, deprecated: 1, deleted: 1, unchanged: 1, skipped: 2, submitted: 0, admitted: 0 });
    expect(await versionOf(`${ns}/a`)).toMatchObject({ status: "deprecated", statusMessage: `Followed upstream ${up.name}: Use 2.0.0` });
    expect(await versionOf(`${ns}/a`, "2.0.0")).toMatchObject({ status: "deleted", statusMessage: `Followed upstream ${up.name} marked it deleted` });
    expect(await versionOf(`${ns}/p`)).toMatchObject({ state: "pending", status: "active" });
    expect(await versionOf(`${ns}/a`, "3.0.0")).toBeNull();
    // The same again changes nothing.
    expect((await runSync(up.id)).lastCounts).toMatchObject({ deprecated: 0, deleted: 0 });
  });

  it("an approved rule admits the entries it covers, recording the rule and its approver; pending, rejected and revoked rules do not", async () => {
    const ns = `io.rules${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/one`, "1.0.0", T(40))]);
    const up = await upstream(baseUrl);
    const created = await api.addRule(up.id, { namespace: `${ns}/`, comment: "Our own team's servers" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ namespace: `${ns}/`, state: "pending", approvedBy: null, createdBy: { id: ctx.users.approver.id }, reviewId: expect.any(String) });
    // Four-eyes: the author cannot approve it; a publisher cannot decide at all.
    expect(await api.decide(created.body.reviewId, "approve", ctx.users.approver)).toMatchObject({ status: 403, body: apiError("four_eyes", "You cannot decide a review of your own submission") });
    expect((await api.decide(created.body.reviewId, "approve", ctx.users.publisher)).status).toBe(403);
    expect((await runSync(up.id)).lastCounts).toMatchObject({ submitted: 1, admitted: 0 });

    expect((await api.decide(created.body.reviewId, "approve", second)).status).toBe(200);
    const listed = await api.rules(up.id);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, state: "approved", approvedBy: { id: second.id, name: "Second Approver" }, approvedAt: expect.any(String) })]);
    feed.entries.push(entry(`${ns}/two`, "1.0.0", T(41)));
    expect((await runSync(up.id)).lastCounts).toMatchObject({ admitted: 1, submitted: 0 });
    const admitted = await versionOf(`${ns}/two`);
    expect(admitted).toMatchObject({ state: "approved", status: "active", admittedByRuleId: created.body.id, admittedRuleApproverId: second.id, isLatest: true });
    expect(await db().review.count({ where: { subjectId: admitted!.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "server.version.admit", targetId: admitted!.id } })).toBe(1);
    expect((await versionOf(`${ns}/one`))!.state).toBe("pending"); // admitted only from the approval on

    // Revoked: admits nothing more, and is listed as revoked.
    expect((await api.revoke(up.id, created.body.id)).body).toMatchObject({ state: "revoked", revokedAt: expect.any(String) });
    expect((await api.revoke(up.id, created.body.id)).status).toBe(409);
    feed.entries.push(entry(`${ns}/three`, "1.0.0", T(42)));
    expect((await runSync(up.id)).lastCounts).toMatchObject({ admitted: 0, submitted: 1 });

    // Rejected: admits nothing; a revoked pending rule leaves no review waiting.
    const rejected = await api.addRule(up.id, { namespace: `${ns}/` });
    expect((await api.decide(rejected.body.reviewId, "reject", second)).status).toBe(200);
    const pending = await api.addRule(up.id, { namespace: `${ns}/four` });
    expect((await api.revoke(up.id, pending.body.id)).status).toBe(200);
    expect((await db().review.findUniqueOrThrow({ where: { id: pending.body.reviewId } })).state).toBe("withdrawn");
    feed.entries.push(entry(`${ns}/four`, "1.0.0", T(43)));
    expect((await runSync(up.id)).lastCounts).toMatchObject({ admitted: 0, submitted: 1 });
    expect((await api.rules(up.id)).body.items.map((r: { state: string }) => r.state)).toEqual(["revoked", "rejected", "revoked"]);
  });

  it("invalid entries and servers other people own are counted rejected, with reasons; the run still succeeds", async () => {
    const ns = `io.bad${uid()}`;
    const owned = `${ns}/owned`;
    const own = await call(h(await import("@/app/api/v1/servers/route"), "POST"), "POST", "/api/v1/servers", { auth: token(ctx.users.publisher), json: { document: doc(owned) } });
    expect(own.status).toBe(201);
    const { baseUrl } = newFeed([
      { server: doc(`${ns}/nodesc`, "1.0.0", { description: "" }), updatedAt: T(50) },
      "not an entry",
      { server: { name: 5 }, updatedAt: T(51) },
      entry(owned, "2.0.0", T(52)),
      entry(`${ns}/fine`, "1.0.0", T(53)),
    ]);
    const up = await upstream(baseUrl);
    const done = await runSync(up.id);
    expect(done.status).toBe("succeeded");
    expect(done.lastCounts).toMatchObject({ seen: 5, rejected: 4, submitted: 1, errors: 0 });
    expect((done.lastCounts as { problems: unknown[] }).problems).toEqual([
      { name: `${ns}/nodesc`, version: "1.0.0", reason: "Invalid server.json: /description must not be empty" },
      { name: null, version: null, reason: "not a Registry API server entry ({ server: { name, version, … }, _meta })" },
      { name: null, version: null, reason: "not a Registry API server entry ({ server: { name, version, … }, _meta })" },
      { name: owned, version: "2.0.0", reason: `owned by another team: add ${SYNC_ACCOUNT} as a co-owner of ${owned} to let sync submit its versions` },
    ]);
    expect(await versionOf(owned, "2.0.0")).toBeNull();
    expect(await versionOf(`${ns}/nodesc`)).toBeNull();
  });

  it.each([
    ["500", (host: string) => `${host} answered HTTP 500 for /v0.1/servers`],
    ["badjson", (host: string) => `${host} did not answer JSON for /v0.1/servers`],
    ["notlist", (host: string) => `${host} answered /v0.1/servers with something that is not a server list`],
  ] as const)("an upstream %s fails the run: lastError says why, the mark stays, entries of earlier pages stay committed", async (kind, message) => {
    const ns = `io.fail${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(60)), entry(`${ns}/b`, "1.0.0", T(61)), entry(`${ns}/c`, "1.0.0", T(62))], 2);
    const up = await upstream(baseUrl);
    feed.fail = { page: 2, kind };
    const done = await runSync(up.id);
    expect(done).toMatchObject({ status: "failed", lastError: message(new URL(fakeBase).host), updatedSince: null, lastFinishedAt: expect.any(String) });
    expect(done.lastCounts).toMatchObject({ pages: 1, seen: 2, submitted: 2 });
    expect(await db().serverVersion.count({ where: { server: { name: { startsWith: `${ns}/` } } } })).toBe(2);
    expect(await versionOf(`${ns}/c`)).toBeNull();
    // The next run starts from the same mark and finishes the job.
    feed.fail = undefined;
    feed.requests.length = 0;
    expect(await runSync(up.id)).toMatchObject({ status: "succeeded", updatedSince: T(62) });
    expect(feed.requests[0].updated_since).toBeUndefined();
  });

  it("one run at a time: a second run (module or API) is refused with 409 while the first runs", async () => {
    const ns = `io.conc${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(70))]);
    feed.delayMs = 400;
    const up = await upstream(baseUrl);
    const first = await startSync(up.id);
    await expect(runSync(up.id)).rejects.toMatchObject({ code: "conflict", message: `A sync of ${up.name} is already running` });
    expect(await api.sync(up.id)).toMatchObject({ status: 409, body: apiError("conflict", `A sync of ${up.name} is already running`) });
    expect(await api.remove(up.id)).toMatchObject({ status: 409 });
    expect((await api.get(up.id)).body.status).toBe("running");
    expect((await first.done).status).toBe("succeeded");
    // Through the API: 202 with the running upstream, the run finishes in the background.
    const started = await api.sync(up.id);
    expect(started).toMatchObject({ status: 202, body: { id: up.id, status: "running" } });
    for (let i = 0; i < 100 && (await api.get(up.id)).body.status === "running"; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await api.get(up.id)).body).toMatchObject({ status: "succeeded", lastCounts: { unchanged: 1 } });
    expect(feed.requests).toHaveLength(2);
  });

  it("the SSRF guard refuses 127.0.0.1 unless OUTBOUND_ALLOWLIST names it: the run fails cleanly", async () => {
    const { feed, baseUrl } = newFeed([entry(`io.ssrf${uid()}/a`, "1.0.0", T(80))]);
    const up = await upstream(baseUrl);
    process.env.OUTBOUND_ALLOWLIST = "";
    resetEnvCache();
    const done = await runSync(up.id);
    expect(done).toMatchObject({ status: "failed", lastError: "127.0.0.1 is a loopback address; outbound requests may not reach it unless OUTBOUND_ALLOWLIST names it" });
    expect(feed.requests).toHaveLength(0);
  });

  it("scheduler: due are the enabled upstreams with an interval whose last start is at least that old", async () => {
    const { baseUrl } = newFeed();
    const due = await upstream(baseUrl, { intervalMinutes: 5 });
    const manual = await upstream(baseUrl, { intervalMinutes: 0 });
    const off = await upstream(baseUrl, { intervalMinutes: 5, enabled: false });
    const recent = await upstream(baseUrl, { intervalMinutes: 5 });
    await db().upstream.update({ where: { id: recent.id }, data: { lastStartedAt: new Date(Date.now() - 60_000) } });
    const ids = await dueUpstreams(new Date());
    expect(ids).toContain(due.id);
    for (const id of [manual.id, off.id, recent.id]) expect(ids).not.toContain(id);
    expect(await dueUpstreams(new Date(Date.now() + 5 * 60_000))).toContain(recent.id);
  });

  it.each([
    [{ baseUrl: "https://r.example" }, "name", "Invalid input: expected string, received undefined"],
    [{ name: "x" }, "baseUrl", "Invalid input: expected string, received undefined"],
    [{ name: "x", baseUrl: "registry.example" }, "baseUrl", "must be an absolute URL, e.g. https://registry.modelcontextprotocol.io"],
    [{ name: "x", baseUrl: "ftp://registry.example" }, "baseUrl", "must be an https (or http) URL"],
    [{ name: "x", baseUrl: "https://u:p@registry.example" }, "baseUrl", "must not contain credentials (user:password@)"],
    [{ name: "x", baseUrl: "https://registry.example/?a=1" }, "baseUrl", "must not have a query or fragment"],
    [{ name: "x", baseUrl: "https://r.example", intervalMinutes: -1 }, "intervalMinutes", "must be at least 0 (0 syncs only on demand)"],
    [{ name: "x", baseUrl: "https://r.example", intervalMinutes: 10081 }, "intervalMinutes", "must be at most 10080 (one week)"],
    [{ name: "x", baseUrl: "https://r.example", intervalMinutes: 1.5 }, "intervalMinutes", "must be a whole number of minutes"],
    [{ name: "x", baseUrl: "https://r.example", enabled: "yes" }, "enabled", "must be true or false"],
    [{ name: "x", baseUrl: "https://r.example", extra: 1 }, "extra", "is not a known field"],
  ])("POST /api/v1/upstreams %j: 422 naming %s, nothing stored", async (json, field, message) => {
    const before = await db().upstream.count();
    const res = await api.create(json);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual({ field, message });
    expect(await db().upstream.count()).toBe(before);
  });

  it.each([["acme"], ["io.github.acme"], ["acme/"], ["/weather"], ["io..acme/"], ["io.acme/a/b"], [""]])("POST rules namespace %j: 422, nothing stored", async (namespace) => {
    const up = await upstream(newFeed().baseUrl);
    const res = await api.addRule(up.id, { namespace });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe("namespace");
    expect(await db().syncAllowRule.count({ where: { upstreamId: up.id } })).toBe(0);
  });

  it("API: permissions, 404s, duplicates, updates, delete and wrong methods", async () => {
    const { baseUrl } = newFeed();
    const body = { name: `perm-${uid()}`, baseUrl };
    expect(await api.create(body, ctx.users.publisher)).toMatchObject({ status: 403, body: apiError("forbidden", "This needs the reviews.decide permission") });
    expect((await api.create(body, ctx.users.auditor)).status).toBe(403);
    const up = (await api.create(body, ctx.users.admin)).body;
    expect(up).toMatchObject({ name: body.name, enabled: true, intervalMinutes: 60, status: "idle", rules: { total: 0, active: 0 } });
    expect(await api.create(body)).toMatchObject({ status: 409, body: { error: { code: "conflict", details: [{ field: "name", message: "already in use" }] } } });
    expect((await api.list()).body.items).toContainEqual(expect.objectContaining({ id: up.id }));
    expect((await api.rules(up.id, ctx.users.publisher)).status).toBe(200);
    expect((await api.sync(up.id, ctx.users.publisher)).status).toBe(403);
    expect((await api.addRule(up.id, { namespace: "io.acme/" }, ctx.users.publisher)).status).toBe(403);
    expect((await api.patch(up.id, { enabled: false }, ctx.users.publisher)).status).toBe(403);
    expect((await api.remove(up.id, ctx.users.auditor)).status).toBe(403);
    expect(await api.patch(up.id, {})).toMatchObject({ status: 422 });
    expect((await api.patch(up.id, { intervalMinutes: 15, enabled: false })).body).toMatchObject({ intervalMinutes: 15, enabled: false });
    await db().upstream.update({ where: { id: up.id }, data: { updatedSince: T(1) } });
    expect((await api.patch(up.id, { baseUrl: `${baseUrl}x` })).body).toMatchObject({ baseUrl: `${baseUrl}x`, updatedSince: null });
    expect(await db().auditEvent.count({ where: { targetId: up.id, action: { in: ["upstream.create", "upstream.update"] } } })).toBe(3);

    for (const res of [await api.get("nope"), await api.patch("nope", { enabled: true }), await api.remove("nope"), await api.sync("nope"), await api.rules("nope"), await api.addRule("nope", { namespace: "io.acme/" }), await api.revoke(up.id, "nope")]) {
      expect(res.status).toBe(404);
    }
    expect((await api.get("bad id!")).status).toBe(422);

    await api.addRule(up.id, { namespace: "io.acme/" });
    expect(await api.addRule(up.id, { namespace: "io.acme/" })).toMatchObject({ status: 409 });
    expect(await api.remove(up.id)).toMatchObject({ status: 200, body: { id: up.id, deleted: true } });
    expect(await db().syncAllowRule.count({ where: { upstreamId: up.id } })).toBe(0);
    expect((await api.get(up.id)).status).toBe(404);

    const wrong = await call(h(syncRoute, "GET"), "GET", `/api/v1/upstreams/${up.id}/sync`, { auth: token(ctx.users.admin), params: { id: up.id } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await call(h(ruleRoute, "GET"), "GET", "/x", { auth: token(ctx.users.admin) })).status).toBe(405);
    expect((await call(h(upstreamsRoute, "DELETE"), "DELETE", "/x", { auth: token(ctx.users.admin) })).status).toBe(405);
  });

  it("changing an upstream's URL revokes its rules (audited): nothing is admitted from the new URL without a new review", async () => {
    const ns = `io.moved${uid()}`;
    const first = newFeed([entry(`${ns}/a`, "1.0.0", T(80))]);
    const up = await upstream(first.baseUrl);
    const rule = await approvedRule(up.id, `${ns}/`);
    const pendingRule = await api.addRule(up.id, { namespace: `${ns}/b` });
    expect(pendingRule.status).toBe(201);
    const other = newFeed([entry(`${ns}/a`, "9.9.9", T(81))]);
    const res = await api.patch(up.id, { baseUrl: other.baseUrl });
    expect(res.status).toBe(200);
    expect(await db().syncAllowRule.findUnique({ where: { id: rule.id }, select: { revokedAt: true } })).toEqual({ revokedAt: expect.any(Date) });
    expect(await db().review.findUnique({ where: { id: pendingRule.body.reviewId }, select: { state: true } })).toEqual({ state: "withdrawn" });
    expect(await db().auditEvent.count({ where: { action: "sync.rule.revoke", targetId: { in: [rule.id, pendingRule.body.id] } } })).toBe(2);
    const done = await runSync(up.id);
    expect(done.lastCounts).toMatchObject({ admitted: 0, submitted: 1 });
    expect(await versionOf(`${ns}/a`, "9.9.9")).toMatchObject({ state: "pending", admittedByRuleId: null });
  });

  it("whoever added, changed or ran an upstream may not approve what it brought; another approver may", async () => {
    const ns = `io.eyes${uid()}`;
    const { baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(90)), entry(`${ns}/b`, "1.0.0", T(91))]);
    const up = await upstream(baseUrl, {}); // created by ctx.users.approver
    expect((await api.sync(up.id, ctx.users.admin)).status).toBe(202);
    for (let i = 0; i < 100 && (await api.get(up.id)).body.status === "running"; i++) await new Promise((r) => setTimeout(r, 25));
    const reviews = await db().review.findMany({ where: { subjectName: { startsWith: `${ns}/` }, state: "pending" }, orderBy: { subjectName: "asc" } });
    expect(reviews).toHaveLength(2);
    for (const who of [ctx.users.approver, ctx.users.admin]) {
      const refused = await api.decide(reviews[0].id, "approve", who);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(apiError("four_eyes", "You configured or ran the sync that brought this version: someone else decides it"));
    }
    expect((await api.decide(reviews[0].id, "approve", second)).status).toBe(200);
  });

  it("an entry refused because people own the server is asked for again once sync may submit it", async () => {
    const ns = `io.retry${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/owned`, "1.0.0", T(100)), entry(`${ns}/free`, "1.0.0", T(101))]);
    const owned = await db().server.create({ data: { name: `${ns}/owned`, createdById: ctx.users.publisher.id, owners: { create: { userId: ctx.users.publisher.id, addedById: ctx.users.publisher.id } } } });
    const up = await upstream(baseUrl);
    const done = await runSync(up.id);
    expect(done.lastCounts).toMatchObject({ rejected: 1, submitted: 1 });
    // held back to just before the refused entry, not moved past it
    expect(done.updatedSince).toBe(new Date(Date.parse(T(100)) - 1).toISOString());
    const sync = await syncServiceActor();
    await db().serverOwner.create({ data: { serverId: owned.id, userId: sync.id, addedById: ctx.users.publisher.id } });
    feed.requests.length = 0;
    const again = await runSync(up.id);
    expect(feed.requests[0].updated_since).toBe(new Date(Date.parse(T(100)) - 1).toISOString());
    expect(again.lastCounts).toMatchObject({ submitted: 1, unchanged: 1, rejected: 0 });
    expect(again.updatedSince).toBe(T(101));
    expect(markAfter(T(5), T(9), T(3))).toBe(T(5));
    expect(markAfter(null, T(9), null)).toBe(T(9));
  });

  it("an upstream is not edited while a run holds it; a run that died with its process is marked failed", async () => {
    const ns = `io.edit${uid()}`;
    const { feed, baseUrl } = newFeed([entry(`${ns}/a`, "1.0.0", T(110))]);
    feed.delayMs = 300;
    const up = await upstream(baseUrl);
    const run = await startSync(up.id);
    const res = await api.patch(up.id, { enabled: false });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "A sync of this upstream is running; change it when the run has finished"));
    await run.done;
    expect((await api.patch(up.id, { enabled: false })).status).toBe(200);
    // a run whose process died: status running, nobody holds the lease
    await db().upstream.update({ where: { id: up.id }, data: { status: "running" } });
    const lease = `sync:${up.id}`;
    expect(await acquireLease(lease, "someone-alive", 10_000)).toBe(true);
    expect(await failInterruptedRuns()).toBe(0); // a live holder: still running
    await releaseLease(lease, "someone-alive");
    expect(await failInterruptedRuns()).toBe(1);
    expect((await api.get(up.id)).body).toMatchObject({ status: "failed", lastError: "The run was interrupted (the server stopped while it ran); sync again" });
  });
});
