"use client";

import { PendingReviewsCard } from "@/components/reviews/pending-reviews-card";

/** Policy versions waiting for a decision, for those who decide (shown only when there are some). */
export function PendingPolicyReviews() {
  return (
    <PendingReviewsCard
      type="policy-version"
      description="Policy versions submitted for a decision. Nothing changes at the decision point until someone other than the author approves."
      listLabel="Policy versions waiting for review"
    />
  );
}
