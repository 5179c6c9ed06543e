// GET /api/v1/reviews — reviews of servers, agents and policies, newest first (?state=pending)
import { withAuth } from "@/lib/api/handler";
import { listReviews } from "@/lib/reviews/data";
import { listReviewsQuerySchema } from "@/lib/reviews/schema";

export const GET = withAuth(async ({ query }) => Response.json(await listReviews(query)), {
  permission: "catalog.read",
  query: listReviewsQuerySchema,
});
