import { beforeEach, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { assertTransition, type SubjectState } from "@/lib/reviews/lifecycle";
import { submitForReview } from "@/lib/reviews/data";
import { registerReviewSubject, reviewSubjectHandler, unregisterReviewSubject } from "@/lib/reviews/subjects";
import { actorOf, counts, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, bearer, call, session, token, type Auth } from "../helpers/http";
import { route } from "../helpers/routes";

// The review mechanism at module level, with a subject type defined here: a "widget" whose state
// lives in the Setting table and follows the one lifecycle. Later subjects plug in the same way.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const widgetKey = (id: string) => `test.widget.${id}`;

interface Call {
  reviewId: string;
  subjectId: string;
  decision: string;
  actorId: string;
  /** The review as the handler's transaction sees it: already decided. */
  reviewStateInTx: string | undefined;
}
const calls: Call[] = [];

async function widgetState(tx: Prisma.TransactionClient, id: string): Promise<SubjectState> {
  const row = await tx.setting.findUniqueOrThrow({ where: { key: widgetKey(id) } });
  return (row.value as { state: SubjectState }).state;
}

const widgets = {
  async onDecision(tx: Prisma.TransactionClient, review: { id: string; subjectId: string }, decision: "approved" | "rejected", actor: Actor) {
    const from = await widgetState(tx, review.subjectId);
    assertTransition(from, decision, `Widget ${review.subjectId}`);
    const seen = await tx.review.findUnique({ where: { id: review.id } });
    calls.push({ reviewId: review.id, subjectId: review.subjectId, decision, actorId: actor.id, reviewStateInTx: seen?.state });
    await tx.setting.update({ where: { key: widgetKey(review.subjectId) }, data: { value: { state: decision } } });
  },
};
registerReviewSubject("widget", widgets);
// Writes its subject, then fails: everything in the decision must roll back.
const brittleWidgets: typeof widgets = {
  async onDecision(tx, review, decision, actor) {
    await widgets.onDecision(tx, review, decision, actor);
    throw new Error("downstream publish failed");
  },
};
registerReviewSubject("brittle-widget", brittleWidgets);

describeEngines("reviews", (engine) => {
  const ctx = useTestDatabase(engine);
  beforeEach(() => {
    calls.length = 0;
  });

  /** A widget in pending_review with its review, submitted by `by`. */
  async function submitWidget(by: Principal, type = "widget", version: string | null = "1.0.0") {
    const id = `w-${uid()}`;
    await db().setting.create({ data: { key: widgetKey(id), value: { state: "pending_review" } } });
    const review = await db().$transaction((tx) => submitForReview(tx, { type, id, name: `Widget ${id}`, version }, actorOf(by)));
    return { id, review };
  }
  const decide = (reviewId: string, auth: Auth, json: unknown = { decision: "approve" }) =>
    call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${reviewId}/decision`, { auth, params: { id: reviewId }, json });
  const stateOf = async (id: string) => (await db().setting.findUniqueOrThrow({ where: { key: widgetKey(id) } })).value;

  it("submitForReview opens a pending review and audits it", async () => {
    const before = await counts();
    const { id, review } = await submitWidget(ctx.users.publisher);
    expect(review).toMatchObject({ subjectType: "widget", subjectId: id, subjectName: `Widget ${id}`, subjectVersion: "1.0.0", state: "pending", submittedById: ctx.users.publisher.id, reviewerId: null, decidedAt: null });
    expect(await counts()).toMatchObject({ reviews: before.reviews + 1, auditEvents: before.auditEvents + 1 });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "review.submit", targetId: id } });
    expect(event).toMatchObject({ actorId: ctx.users.publisher.id, targetType: "widget", after: { reviewId: review.id, state: "pending" } });
  });

  it("one pending review per subject; an unregistered subject type is a programming error", async () => {
    const { id } = await submitWidget(ctx.users.publisher);
    const again = db().$transaction((tx) => submitForReview(tx, { type: "widget", id, name: "again" }, actorOf(ctx.users.publisher)));
    await expect(again).rejects.toThrow(new ApiError("conflict", `widget again already has a pending review`));
    const unknown = db().$transaction((tx) => submitForReview(tx, { type: "gadget", id: "g1", name: "G" }, actorOf(ctx.users.publisher)));
    await expect(unknown).rejects.toThrow("no review handler registered for gadget");
    expect(reviewSubjectHandler("widget")).toBe(widgets);
    registerReviewSubject("temporary", widgets);
    unregisterReviewSubject("temporary");
    expect(reviewSubjectHandler("temporary")).toBeUndefined();
  });

  it("ten concurrent submissions of one subject open exactly one review; the others get a 409", async () => {
    const id = `w-${uid()}`;
    await db().setting.create({ data: { key: widgetKey(id), value: { state: "pending_review" } } });
    const before = await counts();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db().$transaction((tx) => submitForReview(tx, { type: "widget", id, name: `Widget ${id}` }, actorOf(ctx.users.publisher))),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(ApiError);
      expect(r.reason).toMatchObject({ code: "conflict", message: `widget Widget ${id} already has a pending review` });
    }
    expect(await db().review.count({ where: { subjectType: "widget", subjectId: id } })).toBe(1);
    expect(await counts()).toEqual({ ...before, reviews: before.reviews + 1, auditEvents: before.auditEvents + 1 });
    // once decided, the subject may be submitted again
    const open = await db().review.findFirstOrThrow({ where: { subjectType: "widget", subjectId: id } });
    expect((await decide(open.id, token(ctx.users.approver), { decision: "reject" })).status).toBe(200);
    await db().setting.update({ where: { key: widgetKey(id) }, data: { value: { state: "pending_review" } } });
    await db().$transaction((tx) => submitForReview(tx, { type: "widget", id, name: `Widget ${id}` }, actorOf(ctx.users.publisher)));
    expect(await db().review.count({ where: { subjectType: "widget", subjectId: id } })).toBe(2);
  });

  it("GET /api/v1/reviews?state=pending lists pending reviews in the documented shape", async () => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    const res = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.auditor), query: { state: "pending", limit: "100" } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["items", "nextCursor"]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.every((i: { state: string }) => i.state === "pending")).toBe(true);
    expect(res.body.items.find((i: { id: string }) => i.id === review.id)).toEqual({
      id: review.id,
      state: "pending",
      subject: { type: "widget", id, name: `Widget ${id}`, version: "1.0.0" },
      submittedBy: ctx.users.publisher.id,
      submittedByName: "Publisher User",
      submittedAt: expect.stringMatching(ISO),
      reviewedBy: null,
      decidedAt: null,
      comment: null,
    });
  });

  it("pages through reviews newest first, and filters by state and type", async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await submitWidget(ctx.users.publisher, "widget", null)).review.id);
    const decided = (await submitWidget(ctx.users.publisher)).review.id;
    expect((await decide(decided, token(ctx.users.approver), { decision: "reject" })).status).toBe(200);

    const all = await call(route("GET", "/api/v1/reviews"), "GET", "/x", { auth: token(ctx.users.publisher), query: { state: "pending", limit: "100" } });
    const times = all.body.items.map((i: { submittedAt: string }) => Date.parse(i.submittedAt));
    expect(times).toEqual([...times].sort((a: number, b: number) => b - a));
    for (const id of mine) expect(all.body.items.some((i: { id: string }) => i.id === id)).toBe(true);
    expect(all.body.items.some((i: { id: string }) => i.id === decided)).toBe(false);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await call(route("GET", "/api/v1/reviews"), "GET", "/x", {
        auth: token(ctx.users.publisher),
        query: { state: "pending", limit: "2", ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(pages).toBe(Math.ceil(seen.length / 2));

    const rejected = await call(route("GET", "/api/v1/reviews"), "GET", "/x", { auth: token(ctx.users.publisher), query: { state: "rejected" } });
    expect(rejected.body.items.map((i: { id: string }) => i.id)).toContain(decided);
    expect(rejected.body.items.every((i: { state: string }) => i.state === "rejected")).toBe(true);
    const other = await call(route("GET", "/api/v1/reviews"), "GET", "/x", { auth: token(ctx.users.publisher), query: { type: "no-such-type" } });
    expect(other.body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ["approver", "token", "approve", "approved"],
    ["approver", "session", "reject", "rejected"],
    ["admin", "token", "reject", "rejected"],
    ["admin", "session", "approve", "approved"],
  ] as const)("an %s (via %s) may %s: 200, the subject moves in the same transaction", async (role, via, decision, state) => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    const actor = ctx.users[role];
    const before = await counts();
    const res = await decide(review.id, via === "token" ? token(actor) : session(actor), { decision, comment: "  checked the manifest  " });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: review.id,
      state,
      subject: { type: "widget", id, name: `Widget ${id}`, version: "1.0.0" },
      submittedBy: ctx.users.publisher.id,
      submittedByName: null,
      submittedAt: review.submittedAt.toISOString(),
      reviewedBy: actor.id,
      decidedAt: expect.stringMatching(ISO),
      comment: "checked the manifest",
    });
    expect(calls).toEqual([{ reviewId: review.id, subjectId: id, decision: state, actorId: actor.id, reviewStateInTx: state }]);
    expect(await stateOf(id)).toEqual({ state });
    expect(await counts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: `review.${decision}`, targetId: id } });
    expect(event).toMatchObject({
      actorId: actor.id,
      targetType: "widget",
      before: { reviewId: review.id, state: "pending" },
      after: { reviewId: review.id, state, comment: "checked the manifest" },
    });
  });

  it("a blank comment is stored as none", async () => {
    const { review } = await submitWidget(ctx.users.publisher);
    const res = await decide(review.id, token(ctx.users.approver), { decision: "approve", comment: "   " });
    expect(res.body.comment).toBeNull();
  });

  async function refusedDecision(reviewId: string, subjectId: string, auth: Auth, status: number, body: unknown) {
    const before = await counts();
    const reviewBefore = await db().review.findUniqueOrThrow({ where: { id: reviewId } });
    const stateBefore = await stateOf(subjectId);
    const res = await decide(reviewId, auth);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(calls).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await db().review.findUniqueOrThrow({ where: { id: reviewId } })).toEqual(reviewBefore);
    expect(await stateOf(subjectId)).toEqual(stateBefore);
  }

  it("four-eyes: the submitter cannot decide their own submission, not even an admin", async () => {
    for (const who of [ctx.users.approver, ctx.users.admin]) {
      const { id, review } = await submitWidget(who);
      for (const auth of [token(who), session(who)]) {
        await refusedDecision(review.id, id, auth, 403, apiError("four_eyes", "You cannot decide a review of your own submission"));
      }
    }
  });

  it("a review is decided once: a second decision is a 409", async () => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    expect((await decide(review.id, token(ctx.users.approver))).status).toBe(200);
    calls.length = 0;
    await refusedDecision(review.id, id, token(ctx.users.admin), 409, apiError("already_decided", "Review was already approved"));
  });

  it("two deciders at once: one wins, the other gets a 409, the subject moves once", async () => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    const results = await Promise.all([decide(review.id, token(ctx.users.approver)), decide(review.id, token(ctx.users.admin), { decision: "reject" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe("already_decided");
    expect(calls).toHaveLength(1);
    const winner = results.find((r) => r.status === 200)!;
    expect(await stateOf(id)).toEqual({ state: winner.body.state });
    expect(await db().auditEvent.count({ where: { targetId: id, action: { in: ["review.approve", "review.reject"] } } })).toBe(1);
  });

  it("publishers and auditors may not decide (403 forbidden)", async () => {
    const { id, review } = await submitWidget(ctx.users.approver);
    for (const who of [ctx.users.publisher, ctx.users.auditor]) {
      await refusedDecision(review.id, id, token(who), 403, apiError("forbidden", "This needs the reviews.decide permission"));
    }
  });

  it("an unknown review is a 404", async () => {
    const before = await counts();
    const res = await decide("no-such-review", token(ctx.users.approver));
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found", "Review no-such-review not found"));
    expect(await counts()).toEqual(before);
  });

  it("a failing subject handler rolls back the decision, the subject and the audit event", async () => {
    const { id, review } = await submitWidget(ctx.users.publisher, "brittle-widget");
    const before = await counts();
    const res = await decide(review.id, token(ctx.users.approver));
    expect(res.status).toBe(500);
    expect(res.body).toEqual(apiError("internal", "Internal server error"));
    expect(calls).toHaveLength(1); // it ran, wrote the subject, then failed
    expect(await counts()).toEqual(before);
    expect(await db().review.findUniqueOrThrow({ where: { id: review.id } })).toEqual(review);
    expect(await stateOf(id)).toEqual({ state: "pending_review" });
    expect(await db().auditEvent.count({ where: { targetId: id, action: { startsWith: "review.a" } } })).toBe(0);
    // and the review can still be decided once the subject is fixed
    registerReviewSubject("brittle-widget", widgets);
    try {
      expect((await decide(review.id, token(ctx.users.approver))).status).toBe(200);
    } finally {
      registerReviewSubject("brittle-widget", brittleWidgets);
    }
  });

  it("a subject that refuses the transition (lifecycle) is a 409 and everything rolls back", async () => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    await db().setting.update({ where: { key: widgetKey(id) }, data: { value: { state: "revoked" } } });
    const before = await counts();
    const res = await decide(review.id, token(ctx.users.approver));
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", `Widget ${id} cannot go from revoked to approved`, { from: "revoked", to: "approved" }));
    expect(await counts()).toEqual(before);
    expect(await db().review.findUniqueOrThrow({ where: { id: review.id } })).toEqual(review);
    expect(await stateOf(id)).toEqual({ state: "revoked" });
  });

  it("reviews are decided by people: a service account may submit, never decide, even with reviews.decide", async () => {
    const robot = await insertUser({ kind: "service", role: "approver" });
    const { token: robotToken } = await insertToken(robot.id);
    const robotActor: Actor = { id: robot.id, kind: "service", name: robot.name, email: null, role: "approver", via: "token" };
    const id = `w-${uid()}`;
    await db().setting.create({ data: { key: widgetKey(id), value: { state: "pending_review" } } });
    const submitted = await db().$transaction((tx) => submitForReview(tx, { type: "widget", id, name: `Widget ${id}` }, robotActor));
    expect(submitted).toMatchObject({ state: "pending", submittedById: robot.id });
    const { id: other, review } = await submitWidget(ctx.users.publisher);
    for (const [reviewId, subjectId] of [[review.id, other], [submitted.id, id]]) {
      await refusedDecision(reviewId, subjectId, bearer(robotToken), 403, apiError("forbidden", "Reviews are decided by people; a service account cannot decide a review"));
    }
    // a person decides the robot's submission
    expect((await decide(submitted.id, token(ctx.users.approver))).status).toBe(200);
  });

  it.each([
    [{ decision: "approve", comment: "x".repeat(4001) }, "comment", "must be at most 4000 characters"],
    [{ decision: "approve", comment: "nul\u0000" }, "comment", "must not contain control characters"],
    [{ decision: "maybe" }, "decision", expect.any(String)],
  ])("a bad decision body is a 422 naming the field (%#)", async (json, field, message) => {
    const { id, review } = await submitWidget(ctx.users.publisher);
    const before = await counts();
    const res = await decide(review.id, token(ctx.users.approver), json);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field, message }]);
    expect(await counts()).toEqual(before);
    expect(await stateOf(id)).toEqual({ state: "pending_review" });
  });

  it.each([
    ["limit", "0x10", "query.limit", "must be a whole number written in decimal"],
    ["type", "a\u0000", "query.type", "must not contain control characters"],
    ["state", "open", "query.state", expect.any(String)],
  ])("GET /api/v1/reviews?%s=%j is a 422 naming %s", async (key, value, field, message) => {
    const res = await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.auditor), query: { [key]: value } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field, message }]);
  });
});
