// DELETE /api/v1/agents/{id}/owners/{userId} — remove a co-owner (an agent keeps at least one)
import { withAuth } from "@/lib/api/handler";
import { removeAgentOwner } from "@/lib/cimd/data";
import { agentOwnerParamsSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await removeAgentOwner(actor, params.id, params.userId)), {
  permission: "agents.submit",
  params: agentOwnerParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
