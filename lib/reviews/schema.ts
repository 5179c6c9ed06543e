import { z } from "zod";
import { idString, queryInt, safeString } from "@/lib/validation/strings";

export const reviewStateSchema = z.enum(["pending", "approved", "rejected", "withdrawn"], "must be pending, approved, rejected or withdrawn");

export const listReviewsQuerySchema = z.object({
  state: reviewStateSchema.optional(),
  type: safeString({ max: 64 }).optional(),
  batch: safeString({ max: 64 }).optional(),
  cursor: safeString({ max: 200 }).optional(),
  limit: queryInt(1, 100).transform((v) => v ?? 25),
});

export const decideReviewSchema = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  comment: safeString({ max: 4000, min: 0, multiline: true }).optional(),
});
export type DecideReviewInput = z.infer<typeof decideReviewSchema>;

export const reviewIdParamsSchema = z.object({ id: idString });

/** POST /api/v1/reviews/decisions: many reviews, one comment; each its own four-eyes decision. */
export const batchDecisionSchema = z.strictObject({
  ids: z.array(idString).min(1, "name at least one review").max(100, "at most 100 reviews at a time"),
  decision: z.enum(["approve", "reject"]),
  comment: safeString({ max: 4000, min: 0, multiline: true }).optional(),
});
export type BatchDecisionInput = z.infer<typeof batchDecisionSchema>;
