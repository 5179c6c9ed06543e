import type { Prisma } from "@/lib/generated/pg/client";
import type { Actor } from "@/lib/auth/actor";

// Subject types plug into the review mechanism here: a server version, an agent version, a
// policy version. Each says what happens to its subject when a review is decided, inside the
// same transaction as the decision.

export interface ReviewSubjectHandler {
  /** Moves the subject to approved / rejected (and does whatever else approval means). */
  onDecision(
    tx: Prisma.TransactionClient,
    review: { id: string; subjectId: string },
    decision: "approved" | "rejected",
    actor: Actor,
  ): Promise<void>;
  /** Runs after the decision's transaction has committed (e.g. refresh a served snapshot). */
  afterCommit?(decision: "approved" | "rejected"): void;
  /** The submitter took the submission back: move the subject out of review. */
  onWithdraw?(tx: Prisma.TransactionClient, review: { id: string; subjectId: string }, actor: Actor): Promise<void>;
  /** What a reviewer needs to decide (the document, a diff base, warnings), for the review page. */
  detail?(subjectId: string, actor: Actor): Promise<unknown>;
  /** People who may not decide this subject although someone else submitted it (e.g. whoever
   * configured or ran the sync that brought it, submitted by the sync service account). */
  excludedDeciders?(tx: Prisma.TransactionClient, subjectId: string): Promise<{ ids: string[]; reason: string }>;
  /** The subject ids submitted together in one batch (an import, a sync run). */
  inBatch?(batchId: string): Promise<string[]>;
}

export function reviewSubjectTypes(): string[] {
  return [...handlers.keys()];
}

const handlers = new Map<string, ReviewSubjectHandler>();

export function registerReviewSubject(type: string, handler: ReviewSubjectHandler) {
  handlers.set(type, handler);
}

export function unregisterReviewSubject(type: string) {
  handlers.delete(type);
}

export function reviewSubjectHandler(type: string): ReviewSubjectHandler | undefined {
  return handlers.get(type);
}
