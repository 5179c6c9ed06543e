// POST /api/v1/reviews/{id}/withdraw — the submitter takes a pending submission back
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { withdrawReview } from "@/lib/reviews/data";
import { reviewIdParamsSchema } from "@/lib/reviews/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

// Submitting needs a submit permission; whoever submitted may take it back (checked inside).
export const POST = withAuth(async ({ actor, params }) => Response.json(await withdrawReview(actor, params.id)), {
  permission: "catalog.read",
  params: reviewIdParamsSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
