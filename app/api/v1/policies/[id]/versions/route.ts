// POST /api/v1/policies/{id}/versions — propose a change: a new version, under review
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { methodsNotAllowed } from "@/lib/api/methods";
import { addPolicyVersion } from "@/lib/xaa/data";
import { policyInputSchema, policyParamsSchema } from "@/lib/xaa/schema";

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await addPolicyVersion(actor, params.id, body), { status: 201 }), {
  permission: "policies.submit",
  params: policyParamsSchema,
  body: policyInputSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
