"use client";

import { PendingReviewsCard } from "@/components/reviews/pending-reviews-card";

/** Agent versions waiting for a decision, for those who decide (shown only when there are some). */
export function PendingAgentReviews() {
  return (
    <PendingReviewsCard
      type="agent-version"
      description="Agent documents submitted for a decision. Nothing changes at a client_id until someone other than the submitter approves."
      listLabel="Agent versions waiting for review"
      mono
    />
  );
}
