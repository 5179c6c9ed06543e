import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError, prismaErrorCode } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { idPageArgs, splitPage } from "@/lib/api/cursor";
import { isTransitionRefused } from "@/lib/reviews/lifecycle";
import { reviewSubjectHandler, reviewSubjectTypes } from "@/lib/reviews/subjects";
import type { BatchDecisionInput, DecideReviewInput } from "@/lib/reviews/schema";

export interface ReviewSubjectRef {
  type: string;
  id: string;
  name: string;
  version?: string | null;
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof db>["review"]["findFirstOrThrow"]>>;

export function toReviewJson(r: ReviewRow, names: Map<string, string> = new Map()) {
  return {
    id: r.id,
    state: r.state,
    subject: { type: r.subjectType, id: r.subjectId, name: r.subjectName, version: r.subjectVersion },
    submittedBy: r.submittedById,
    submittedByName: names.get(r.submittedById) ?? null,
    submittedAt: r.submittedAt.toISOString(),
    reviewedBy: r.reviewerId,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    comment: r.comment,
  };
}

/**
 * Opens a review for a submission; one pending review per subject at a time. The check gives
 * the friendly answer; the partial unique index "Review_one_pending_per_subject" is what holds
 * when submissions race (on PostgreSQL the loser's insert waits for the winner, then fails).
 */
export async function submitForReview(tx: Prisma.TransactionClient, subject: ReviewSubjectRef, submitter: Actor) {
  if (!reviewSubjectHandler(subject.type)) throw new Error(`no review handler registered for ${subject.type}`);
  const pending = () => new ApiError("conflict", `${subject.type} ${subject.name} already has a pending review`);
  const open = await tx.review.findFirst({ where: { subjectType: subject.type, subjectId: subject.id, state: "pending" } });
  if (open) throw pending();
  const review = await tx.review
    .create({
      data: {
        subjectType: subject.type,
        subjectId: subject.id,
        subjectName: subject.name,
        subjectVersion: subject.version ?? null,
        submittedById: submitter.id,
      },
    })
    .catch((err: unknown) => {
      throw prismaErrorCode(err) === "P2002" ? pending() : err;
    });
  await recordAudit(tx, submitter, {
    action: "review.submit",
    target: { type: subject.type, id: subject.id, label: subject.name },
    after: { reviewId: review.id, state: "pending" },
  });
  return review;
}

export async function listReviews(q: { state?: "pending" | "approved" | "rejected" | "withdrawn"; type?: string; batch?: string; cursor?: string; limit: number }) {
  let inBatch: Prisma.ReviewWhereInput | undefined;
  if (q.batch) {
    // A batch belongs to one subject type; ask each type that groups its subjects.
    const or: Prisma.ReviewWhereInput[] = [];
    for (const type of q.type ? [q.type] : reviewSubjectTypes()) {
      const ids = await reviewSubjectHandler(type)?.inBatch?.(q.batch);
      if (ids?.length) or.push({ subjectType: type, subjectId: { in: ids } });
    }
    inBatch = or.length ? { OR: or } : { id: { in: [] } };
  }
  const rows = await db().review.findMany({
    where: { state: q.state, subjectType: q.type, ...inBatch },
    orderBy: [{ submittedAt: "desc" }, { id: "desc" }],
    ...idPageArgs(q.cursor, q.limit),
  });
  const { page, nextCursor } = splitPage(rows, q.limit, (r) => r.id);
  const users = await db().user.findMany({
    where: { id: { in: [...new Set(page.map((r) => r.submittedById))] } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return { items: page.map((r) => toReviewJson(r, names)), nextCursor };
}

/** Decides a pending review: four-eyes, exactly once, subject and audit in one transaction. */
export async function decideReview(actor: Actor, reviewId: string, input: DecideReviewInput) {
  // Reviews are decided by people: automation may submit, never approve its own way through.
  if (actor.kind !== "human") {
    throw new ApiError("forbidden", "Reviews are decided by people; a service account cannot decide a review");
  }
  let after: (() => void) | undefined;
  const result = await db().$transaction(async (tx) => {
    const review = await tx.review.findUnique({ where: { id: reviewId } });
    if (!review) throw new ApiError("not_found", `Review ${reviewId} not found`);
    if (review.state !== "pending") throw new ApiError("already_decided", `Review was already ${review.state}`);
    if (review.submittedById === actor.id) {
      throw new ApiError("four_eyes", "You cannot decide a review of your own submission");
    }
    const handler = reviewSubjectHandler(review.subjectType);
    if (!handler) throw new Error(`no review handler registered for ${review.subjectType}`);
    const excluded = await handler.excludedDeciders?.(tx, review.subjectId);
    if (excluded?.ids.includes(actor.id)) throw new ApiError("four_eyes", excluded.reason);
    const state = input.decision === "approve" ? "approved" : "rejected";
    const decidedAt = new Date();
    // Conditional update: of two concurrent deciders only one sees count 1.
    const won = await tx.review.updateMany({
      where: { id: reviewId, state: "pending" },
      data: { state, reviewerId: actor.id, decidedAt, comment: input.comment || null },
    });
    if (won.count !== 1) throw new ApiError("already_decided", "Review was decided concurrently");
    // A subject that refuses the move (its lifecycle) is a state conflict, and nothing is kept.
    await handler.onDecision(tx, review, state, actor).catch((err: unknown) => {
      if (isTransitionRefused(err)) throw new ApiError("conflict", err.message, { from: err.from, to: err.to });
      throw err;
    });
    await recordAudit(tx, actor, {
      action: `review.${state === "approved" ? "approve" : "reject"}`,
      target: { type: review.subjectType, id: review.subjectId, label: review.subjectName },
      before: { reviewId, state: "pending" },
      after: { reviewId, state, comment: input.comment || null },
    });
    const updated = await tx.review.findUniqueOrThrow({ where: { id: reviewId } });
    if (handler.afterCommit) after = () => handler.afterCommit?.(state);
    return toReviewJson(updated);
  });
  after?.();
  return result;
}

/** One review with what its subject type says a reviewer needs (document, diff base, warnings). */
export async function getReview(actor: Actor, reviewId: string) {
  const review = await db().review.findUnique({ where: { id: reviewId } });
  if (!review) throw new ApiError("not_found", `Review ${reviewId} not found`);
  const ids = [review.submittedById, review.reviewerId].filter((x): x is string => !!x);
  const users = await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const detail = (await reviewSubjectHandler(review.subjectType)?.detail?.(review.subjectId, actor)) ?? null;
  return { ...toReviewJson(review, names), reviewedByName: review.reviewerId ? (names.get(review.reviewerId) ?? null) : null, detail };
}

/**
 * The submitter takes a pending submission back. Only the person (or service account) who
 * submitted it may; a decided review stays decided. Audited with the subject's move.
 */
export async function withdrawReview(actor: Actor, reviewId: string) {
  return db().$transaction(async (tx) => {
    const review = await tx.review.findUnique({ where: { id: reviewId } });
    if (!review) throw new ApiError("not_found", `Review ${reviewId} not found`);
    if (review.submittedById !== actor.id) throw new ApiError("forbidden", "Only the submitter can withdraw a submission");
    if (review.state !== "pending") throw new ApiError("already_decided", `Review was already ${review.state}`);
    const won = await tx.review.updateMany({ where: { id: reviewId, state: "pending" }, data: { state: "withdrawn", decidedAt: new Date() } });
    if (won.count !== 1) throw new ApiError("already_decided", "Review was decided concurrently");
    const handler = reviewSubjectHandler(review.subjectType);
    if (!handler) throw new Error(`no review handler registered for ${review.subjectType}`);
    await handler.onWithdraw?.(tx, review, actor).catch((err: unknown) => {
      if (isTransitionRefused(err)) throw new ApiError("conflict", err.message, { from: err.from, to: err.to });
      throw err;
    });
    await recordAudit(tx, actor, {
      action: "review.withdraw",
      target: { type: review.subjectType, id: review.subjectId, label: review.subjectName },
      before: { reviewId, state: "pending" },
      after: { reviewId, state: "withdrawn" },
    });
    return toReviewJson(await tx.review.findUniqueOrThrow({ where: { id: reviewId } }));
  });
}

/**
 * Decides many reviews with one comment (a batch from an import or a sync). Each is its own
 * four-eyes decision in its own transaction with its own audit event; one refusal (own
 * submission, already decided) does not stop the others, and the answer says which.
 */
export async function decideReviews(actor: Actor, input: BatchDecisionInput) {
  if (actor.kind !== "human") {
    throw new ApiError("forbidden", "Reviews are decided by people; a service account cannot decide a review");
  }
  const results: { id: string; ok: boolean; state?: string; error?: { code: string; message: string } }[] = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      const r = await decideReview(actor, id, { decision: input.decision, comment: input.comment });
      results.push({ id, ok: true, state: r.state });
    } catch (err) {
      if (err instanceof ApiError) results.push({ id, ok: false, error: { code: err.code, message: err.message } });
      else throw err;
    }
  }
  return { results, decided: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length };
}
