import { z } from "zod";

export const reviewStateSchema = z.enum(["pending", "approved", "rejected"]);

export const listReviewsQuerySchema = z.object({
  state: reviewStateSchema.optional(),
  type: z.string().min(1).max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const decideReviewSchema = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().max(4000).optional(),
});
export type DecideReviewInput = z.infer<typeof decideReviewSchema>;

export const reviewIdParamsSchema = z.object({ id: z.string().min(1).max(64) });
