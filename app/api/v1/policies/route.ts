// GET  /api/v1/policies — delegation policies (q, state, server, agent, effect, cursor)
// POST /api/v1/policies — a new policy; its first version goes to review (docs/xaa.md)
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { methodsNotAllowed } from "@/lib/api/methods";
import { createPolicy, listPolicies } from "@/lib/xaa/data";
import { listPoliciesQuerySchema, policyInputSchema } from "@/lib/xaa/schema";

export const GET = withAuth(async ({ query }) => Response.json(await listPolicies(query)), {
  permission: "policies.read",
  query: listPoliciesQuerySchema,
});

export const POST = withAuth(async ({ actor, body }) => Response.json(await createPolicy(actor, body), { status: 201 }), {
  permission: "policies.submit",
  body: policyInputSchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
