import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError, prismaErrorCode } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { idPageArgs, splitPage } from "@/lib/api/cursor";
import { isTransitionRefused } from "@/lib/reviews/lifecycle";
import { reviewSubjectHandler } from "@/lib/reviews/subjects";
import type { DecideReviewInput } from "@/lib/reviews/schema";

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

export async function listReviews(q: { state?: "pending" | "approved" | "rejected"; type?: string; cursor?: string; limit: number }) {
  const rows = await db().review.findMany({
    where: { state: q.state, subjectType: q.type },
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
    const state = input.decision === "approve" ? "approved" : "rejected";
    const decidedAt = new Date();
    // Conditional update: of two concurrent deciders only one sees count 1.
    const won = await tx.review.updateMany({
      where: { id: reviewId, state: "pending" },
      data: { state, reviewerId: actor.id, decidedAt, comment: input.comment || null },
    });
    if (won.count !== 1) throw new ApiError("already_decided", "Review was decided concurrently");
    const handler = reviewSubjectHandler(review.subjectType);
    if (!handler) throw new Error(`no review handler registered for ${review.subjectType}`);
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
