import { expect, it } from "vitest";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { counts, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, call, session, token } from "../helpers/http";
import { route } from "../helpers/routes";
import { doc } from "../helpers/server-json";

// Reviewing server versions from the console: the review's detail (document and diff base),
// withdrawing a submission, batch decisions (each its own four-eyes decision), co-owners, and
// deprecating or revoking an approved version.


describeEngines("server reviews in the console", (engine) => {
  const ctx = useTestDatabase(engine);
  const submit = async (document: unknown, as: Principal = ctx.users.publisher) => {
    const res = await call(route("POST", "/api/v1/servers"), "POST", "/api/v1/servers", { auth: session(as), json: { document } });
    expect(res.status).toBe(201);
    return res.body as { server: { id: string }; version: { id: string }; review: { id: string } };
  };
  const decide = (id: string, decision: "approve" | "reject", as: Principal = ctx.users.approver, comment?: string) =>
    call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${id}/decision`, { auth: session(as), params: { id }, json: { decision, comment } });
  const detail = (id: string, as: Principal = ctx.users.approver) => call(route("GET", "/api/v1/reviews/[id]"), "GET", `/api/v1/reviews/${id}`, { auth: token(as), params: { id } });
  const withdraw = (id: string, as: Principal = ctx.users.publisher) => call(route("POST", "/api/v1/reviews/[id]/withdraw"), "POST", `/api/v1/reviews/${id}/withdraw`, { auth: session(as), params: { id } });
  const batch = (json: unknown, as: Principal = ctx.users.approver) => call(route("POST", "/api/v1/reviews/decisions"), "POST", "/api/v1/reviews/decisions", { auth: session(as), json });

  it("the review detail carries the document, its warnings and the approved version it follows", async () => {
    const name = `io.example${uid()}/detail`;
    const first = await submit(doc(name, "1.0.0"));
    let res = await detail(first.review.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.review.id, state: "pending", subject: { type: "server-version", name, version: "1.0.0" }, submittedByName: ctx.users.publisher.name });
    expect(res.body.detail).toMatchObject({ server: { id: first.server.id, name }, version: { version: "1.0.0", state: "pending", source: "console" }, document: doc(name), warnings: [], previous: null });
    expect((await decide(first.review.id, "approve")).status).toBe(200);
    const second = await submit(doc(name, "1.1.0", { description: "Now with more tools" }));
    res = await detail(second.review.id);
    expect(res.body.detail.previous).toMatchObject({ version: "1.0.0", status: "active", document: doc(name) });
    expect(res.body.detail.document.description).toBe("Now with more tools");
    expect((await detail("nope")).status).toBe(404);
  });

  it("the submitter withdraws a pending submission: review and version leave review, audited; nobody can decide it afterwards", async () => {
    const name = `io.example${uid()}/withdraw`;
    const s = await submit(doc(name));
    const before = await counts();
    const res = await withdraw(s.review.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.review.id, state: "withdrawn" });
    expect(await db().serverVersion.findUnique({ where: { id: s.version.id }, select: { state: true } })).toEqual({ state: "withdrawn" });
    const actions = await db().auditEvent.findMany({ where: { targetId: s.version.id, action: { in: ["review.withdraw", "server.version.withdraw"] } }, select: { action: true } });
    expect(actions.map((a) => a.action).sort()).toEqual(["review.withdraw", "server.version.withdraw"]);
    expect((await counts()).auditEvents - before.auditEvents).toBe(2);
    expect((await decide(s.review.id, "approve")).body).toEqual(apiError("already_decided", "Review was already withdrawn"));
    expect((await withdraw(s.review.id)).body).toEqual(apiError("already_decided", "Review was already withdrawn"));
    // the pending queue no longer lists it; the withdrawn filter does
    const pending = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.auditor), query: { state: "pending", limit: "100" } });
    expect(pending.body.items.map((r: { id: string }) => r.id)).not.toContain(s.review.id);
    const gone = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.auditor), query: { state: "withdrawn", limit: "100" } });
    expect(gone.body.items.map((r: { id: string }) => r.id)).toContain(s.review.id);
  });

  it("only the submitter may withdraw, and only while pending; refusals change nothing", async () => {
    const name = `io.example${uid()}/withdraw-refused`;
    const s = await submit(doc(name));
    const before = await counts();
    const res = await withdraw(s.review.id, ctx.users.approver);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(apiError("forbidden", "Only the submitter can withdraw a submission"));
    expect(await counts()).toEqual(before);
    expect((await withdraw("missing")).status).toBe(404);
    expect((await decide(s.review.id, "reject")).status).toBe(200);
    const late = await withdraw(s.review.id);
    expect(late.status).toBe(409);
    expect(late.body).toEqual(apiError("already_decided", "Review was already rejected"));
    expect(await db().serverVersion.findUnique({ where: { id: s.version.id }, select: { state: true } })).toEqual({ state: "rejected" });
  });

  it("batch decision: one comment, each review its own audited decision; own submissions refused one by one", async () => {
    const batchId = `b${uid()}`;
    const subs = [];
    for (let i = 0; i < 3; i++) subs.push(await submit(doc(`io.example${uid()}/batch${i}`)));
    await db().serverVersion.updateMany({ where: { id: { in: subs.map((s) => s.version.id) } }, data: { batchId } });
    const mine = await submit(doc(`io.example${uid()}/mine`), ctx.users.approver);
    // the queue filtered by batch lists exactly the batch
    const queue = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.approver), query: { state: "pending", batch: batchId } });
    expect(queue.body.items.map((r: { id: string }) => r.id).sort()).toEqual(subs.map((s) => s.review.id).sort());
    const before = await counts();
    const res = await batch({ ids: [...subs.map((s) => s.review.id), mine.review.id, "missing"], decision: "approve", comment: "Reviewed as a batch" });
    expect(res.status).toBe(200);
    expect(res.body.decided).toBe(3);
    expect(res.body.refused).toBe(2);
    expect(res.body.results.find((r: { id: string }) => r.id === mine.review.id)).toEqual({ id: mine.review.id, ok: false, error: { code: "four_eyes", message: "You cannot decide a review of your own submission" } });
    expect(res.body.results.find((r: { id: string }) => r.id === "missing")).toEqual({ id: "missing", ok: false, error: { code: "not_found", message: "Review missing not found" } });
    const decided = await db().review.findMany({ where: { id: { in: subs.map((s) => s.review.id) } } });
    expect(decided.map((r) => [r.state, r.comment, r.reviewerId])).toEqual(Array(3).fill(["approved", "Reviewed as a batch", ctx.users.approver.id]));
    // per review: review.approve + server.version.approve
    expect((await counts()).auditEvents - before.auditEvents).toBe(6);
    expect(await db().review.findUnique({ where: { id: mine.review.id }, select: { state: true } })).toEqual({ state: "pending" });
  });

  it("batch decision: bad bodies are 422 naming the field; a service account is refused; nothing changes", async () => {
    const s = await submit(doc(`io.example${uid()}/batch-bad`));
    const sa = await insertUser({ kind: "service", role: "approver" });
    const { token: t } = await insertToken(sa.id);
    const before = await counts();
    for (const [json, field] of [
      [{ ids: [], decision: "approve" }, "ids"],
      [{ ids: [s.review.id], decision: "maybe" }, "decision"],
      [{ ids: Array(101).fill(s.review.id), decision: "approve" }, "ids"],
      [{ ids: [s.review.id], decision: "approve", extra: 1 }, "extra"],
    ] as const) {
      const res = await batch(json);
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const svc = await call(route("POST", "/api/v1/reviews/decisions"), "POST", "/api/v1/reviews/decisions", { auth: { headers: { authorization: `Bearer ${t}` } }, json: { ids: [s.review.id], decision: "approve" } });
    expect(svc.status).toBe(403);
    expect(svc.body).toEqual(apiError("forbidden", "Reviews are decided by people; a service account cannot decide a review"));
    expect(await counts()).toEqual(before);
  });

  it("co-owners: an owner adds a publisher, who may then submit; removal keeps at least one owner", async () => {
    const name = `io.example${uid()}/owners`;
    const s = await submit(doc(name));
    const other = await insertUser({ role: "publisher" });
    const { token: otherToken } = await insertToken(other.id);
    const otherAuth = { headers: { authorization: `Bearer ${otherToken}` } };
    const disabled = await insertUser({ role: "publisher", disabled: true });
    const add = (json: unknown, as: Principal = ctx.users.publisher) =>
      call(route("POST", "/api/v1/servers/[id]/owners"), "POST", `/api/v1/servers/${s.server.id}/owners`, { auth: session(as), params: { id: s.server.id }, json });
    const remove = (userId: string, as: Principal = ctx.users.publisher) =>
      call(route("DELETE", "/api/v1/servers/[id]/owners/[userId]"), "DELETE", `/api/v1/servers/${s.server.id}/owners/${userId}`, { auth: session(as), params: { id: s.server.id, userId } });
    const before = await counts();
    // refusals first: each changes nothing
    expect((await add({ email: "nobody@example.com" })).body).toEqual(apiError("validation_failed", "email: no active user who may submit servers", [{ field: "email", message: "no active user who may submit servers" }]));
    // the same answer for a role that cannot submit and a disabled person: nothing is revealed
    expect((await add({ userId: ctx.users.auditor.id })).body).toEqual(apiError("validation_failed", "userId: no active user who may submit servers", [{ field: "userId", message: "no active user who may submit servers" }]));
    expect((await add({ userId: disabled.id })).body.error.details).toEqual([{ field: "userId", message: "no active user who may submit servers" }]);
    expect((await add({ userId: other.id, email: other.email })).status).toBe(422);
    expect((await add({})).status).toBe(422);
    const notOwner = await call(route("POST", "/api/v1/servers/[id]/owners"), "POST", `/api/v1/servers/${s.server.id}/owners`, { auth: otherAuth, params: { id: s.server.id }, json: { userId: other.id } });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body).toEqual(apiError("forbidden", `Only the owners of ${name} or an approver may change its owners`));
    expect((await remove(ctx.users.publisher.id)).body).toEqual(apiError("conflict", `${name} must keep at least one owner: add another before removing this one`));
    expect(await counts()).toEqual(before);
    // add by e-mail (any case)
    const res = await add({ email: other.email!.toUpperCase() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ serverId: s.server.id, userId: other.id, name: other.name });
    expect((await add({ userId: other.id })).status).toBe(409);
    expect(await db().serverOwner.count({ where: { serverId: s.server.id } })).toBe(2);
    // the co-owner may now submit a version
    const v2 = await call(route("POST", "/api/v1/servers"), "POST", "/api/v1/servers", { auth: otherAuth, json: { document: doc(name, "2.0.0") } });
    expect(v2.status).toBe(201);
    expect((await remove(other.id)).status).toBe(200);
    expect(await db().serverOwner.findMany({ where: { serverId: s.server.id }, select: { userId: true } })).toEqual([{ userId: ctx.users.publisher.id }]);
    expect((await remove(other.id)).status).toBe(404);
  });

  it("a sync allow rule's review: the detail names the rule and upstream; its creator may withdraw it", async () => {
    const up = await call(route("POST", "/api/v1/upstreams"), "POST", "/api/v1/upstreams", { auth: session(ctx.users.approver), json: { name: `up-${uid()}`, baseUrl: "https://registry.example.com" } });
    expect(up.status).toBe(201);
    const rule = await call(route("POST", "/api/v1/upstreams/[id]/rules"), "POST", `/api/v1/upstreams/${up.body.id}/rules`, {
      auth: session(ctx.users.approver),
      params: { id: up.body.id },
      json: { namespace: "io.github.acme/", comment: "Our own servers" },
    });
    expect(rule.status).toBe(201);
    const res = await detail(rule.body.reviewId, ctx.users.admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subject: { type: "sync-rule", name: "io.github.acme/" }, state: "pending" });
    expect(res.body.detail).toEqual({
      rule: { id: rule.body.id, namespace: "io.github.acme/", comment: "Our own servers", state: "pending", revokedAt: null },
      upstream: { id: up.body.id, name: up.body.name, baseUrl: "https://registry.example.com" },
    });
    const queue = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.admin), query: { state: "pending", type: "sync-rule", limit: "100" } });
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(rule.body.reviewId);
    expect((await withdraw(rule.body.reviewId, ctx.users.approver)).status).toBe(200);
    expect(await db().syncAllowRule.findUnique({ where: { id: rule.body.id }, select: { state: true } })).toEqual({ state: "withdrawn" });
    expect((await decide(rule.body.reviewId, "approve", ctx.users.admin)).status).toBe(409);
  });

  it("deprecate and revoke an approved version from the console, with a reason; a pending one is 409", async () => {
    const name = `io.example${uid()}/status`;
    const s = await submit(doc(name));
    const put = (json: unknown, as: Principal = ctx.users.approver, versionId = s.version.id) =>
      call(route("PUT", "/api/v1/servers/[id]/versions/[versionId]/status"), "PUT", `/api/v1/servers/${s.server.id}/versions/${versionId}/status`, {
        auth: session(as),
        params: { id: s.server.id, versionId },
        json,
      });
    let res = await put({ status: "deprecated" });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", `${name} version 1.0.0 is pending: only approved versions have a registry status`));
    expect((await decide(s.review.id, "approve")).status).toBe(200);
    expect((await put({ status: "retired" })).status).toBe(422);
    expect((await put({ status: "deprecated" }, ctx.users.approver, "nope")).status).toBe(404);
    res = await put({ status: "deprecated", statusMessage: "Use 2.x" });
    expect(res.status).toBe(200);
    expect(res.body.versions[0]).toMatchObject({ status: "deprecated", statusMessage: "Use 2.x" });
    res = await put({ status: "deleted", statusMessage: "Leaked credentials" });
    expect(res.body.versions[0]).toMatchObject({ status: "deleted", statusMessage: "Leaked credentials", isLatest: false });
    res = await put({ status: "active" });
    expect(res.status).toBe(409);
    const events = await db().auditEvent.findMany({ where: { targetId: s.version.id, action: { startsWith: "server.version." } }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(["server.version.submit", "server.version.approve", "server.version.deprecate", "server.version.revoke"]);
  });
});

describeEngines("concurrent owner removals", (engine) => {
  const ctx = useTestDatabase(engine);

  it("withdraw and decide at once: exactly one wins, and the version follows the winner", async () => {
    for (let round = 0; round < 5; round++) {
      const s = await call(route("POST", "/api/v1/servers"), "POST", "/api/v1/servers", { auth: token(ctx.users.publisher), json: { document: doc(`io.example${uid()}/race-withdraw`) } });
      expect(s.status).toBe(201);
      const id = s.body.review.id as string;
      const [w, d] = await Promise.all([
        call(route("POST", "/api/v1/reviews/[id]/withdraw"), "POST", `/api/v1/reviews/${id}/withdraw`, { auth: token(ctx.users.publisher), params: { id } }),
        call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${id}/decision`, { auth: token(ctx.users.approver), params: { id }, json: { decision: "approve" } }),
      ]);
      expect([w.status, d.status].sort()).toEqual([200, 409]);
      const review = await db().review.findUniqueOrThrow({ where: { id } });
      const version = await db().serverVersion.findUniqueOrThrow({ where: { id: s.body.version.id } });
      expect(version.state).toBe(review.state === "withdrawn" ? "withdrawn" : "approved");
    }
  });

  it("two owners removing each other at once: one succeeds, the server keeps an owner", async () => {
    const second = await insertUser({ role: "publisher" });
    const { token: t } = await insertToken(second.id);
    for (let round = 0; round < 5; round++) {
      const s = await db().server.create({
        data: {
          name: `io.example${uid()}/race-owners`,
          createdById: ctx.users.publisher.id,
          owners: { create: [{ userId: ctx.users.publisher.id, addedById: ctx.users.publisher.id }, { userId: second.id, addedById: ctx.users.publisher.id }] },
        },
      });
      const del = (userId: string, auth: ReturnType<typeof token> | { headers: Record<string, string> }) =>
        call(route("DELETE", "/api/v1/servers/[id]/owners/[userId]"), "DELETE", `/api/v1/servers/${s.id}/owners/${userId}`, { auth, params: { id: s.id, userId } });
      const results = await Promise.all([del(second.id, token(ctx.users.publisher)), del(ctx.users.publisher.id, { headers: { authorization: `Bearer ${t}` } })]);
      // the loser waited on the server's lock and then was no longer an owner itself
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
      expect(await db().serverOwner.count({ where: { serverId: s.id } })).toBe(1);
    }
  });
});
