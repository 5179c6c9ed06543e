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
