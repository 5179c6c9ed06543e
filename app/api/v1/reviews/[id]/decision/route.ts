// POST /api/v1/reviews/{id}/decision — approve or reject (four-eyes; decided once)
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { decideReview } from "@/lib/reviews/data";
import { decideReviewSchema, reviewIdParamsSchema } from "@/lib/reviews/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await decideReview(actor, params.id, body)), {
  permission: "reviews.decide",
  params: reviewIdParamsSchema,
  body: decideReviewSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
