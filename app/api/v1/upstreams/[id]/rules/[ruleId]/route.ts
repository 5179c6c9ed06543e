// DELETE /api/v1/upstreams/{id}/rules/{ruleId} — revoke an allow rule (it admits nothing more)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { revokeRule } from "@/lib/registry/upstreams";
import { ruleIdParamsSchema } from "@/lib/registry/sync-schema";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await revokeRule(actor, params.id, params.ruleId)), {
  permission: "reviews.decide",
  params: ruleIdParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
