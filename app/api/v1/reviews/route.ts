// GET /api/v1/reviews — reviews of servers, agents and policies, newest first (?state=pending)
import { withAuth } from "@/lib/api/handler";
import { listReviews } from "@/lib/reviews/data";
import { listReviewsQuerySchema } from "@/lib/reviews/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listReviews(query)), {
  permission: "catalog.read",
  query: listReviewsQuerySchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
