// GET  /api/v1/upstreams/{id}/rules — allow rules of an upstream (pending, approved, rejected, revoked)
// POST /api/v1/upstreams/{id}/rules — propose a rule ({ namespace, comment? }); opens a four-eyes review
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import "@/lib/reviews/handlers";
import { createRule, listRules } from "@/lib/registry/upstreams";
import { createRuleSchema, upstreamIdParamsSchema } from "@/lib/registry/sync-schema";

export const GET = withAuth(async ({ params }) => Response.json(await listRules(params.id)), {
  permission: "catalog.read",
  params: upstreamIdParamsSchema,
});

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await createRule(actor, params.id, body), { status: 201 }), {
  permission: "reviews.decide",
  params: upstreamIdParamsSchema,
  body: createRuleSchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
