// POST /api/v1/policies/{id}/enable — switch a policy on without editing it (reviews.decide)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { setPolicyEnabled } from "@/lib/xaa/data";
import { policyParamsSchema } from "@/lib/xaa/schema";

export const POST = withAuth(async ({ actor, params }) => Response.json(await setPolicyEnabled(actor, params.id, true)), {
  permission: "reviews.decide",
  params: policyParamsSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
