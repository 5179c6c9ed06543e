import { z } from "zod";
import { idString, queryInt, safeString } from "@/lib/validation/strings";

export const reviewStateSchema = z.enum(["pending", "approved", "rejected"]);

export const listReviewsQuerySchema = z.object({
  state: reviewStateSchema.optional(),
  type: safeString({ max: 64 }).optional(),
  cursor: safeString({ max: 200 }).optional(),
  limit: queryInt(1, 100).transform((v) => v ?? 25),
});

export const decideReviewSchema = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  comment: safeString({ max: 4000, min: 0, multiline: true }).optional(),
});
export type DecideReviewInput = z.infer<typeof decideReviewSchema>;

export const reviewIdParamsSchema = z.object({ id: idString });
