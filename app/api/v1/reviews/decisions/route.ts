// POST /api/v1/reviews/decisions — decide many reviews with one comment (each its own decision)
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { decideReviews } from "@/lib/reviews/data";
import { batchDecisionSchema } from "@/lib/reviews/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(async ({ actor, body }) => Response.json(await decideReviews(actor, body)), {
  permission: "reviews.decide",
  body: batchDecisionSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
