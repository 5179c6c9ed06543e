// POST /api/v1/policies/{id}/disable — switch a policy off without editing it (reviews.decide)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { setPolicyEnabled } from "@/lib/xaa/data";
import { policyParamsSchema } from "@/lib/xaa/schema";

export const POST = withAuth(async ({ actor, params }) => Response.json(await setPolicyEnabled(actor, params.id, false)), {
  permission: "reviews.decide",
  params: policyParamsSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
