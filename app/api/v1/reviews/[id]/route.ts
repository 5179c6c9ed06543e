// GET /api/v1/reviews/{id} — one review with what its subject needs to be decided
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { getReview } from "@/lib/reviews/data";
import { reviewIdParamsSchema } from "@/lib/reviews/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ actor, params }) => Response.json(await getReview(actor, params.id)), {
  permission: "catalog.read",
  params: reviewIdParamsSchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
