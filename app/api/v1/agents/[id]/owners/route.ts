// POST /api/v1/agents/{id}/owners — add a co-owner (owners of the agent, or an approver)
import { withAuth } from "@/lib/api/handler";
import { addAgentOwner } from "@/lib/cimd/data";
import { addAgentOwnerSchema, agentIdParamsSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await addAgentOwner(actor, params.id, body), { status: 201 }), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
  body: addAgentOwnerSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
