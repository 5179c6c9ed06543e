// GET    /api/v1/agents/{id} — one agent: versions, servers, owners, draft, what is served
// PATCH  /api/v1/agents/{id} — console metadata (owners of the agent, or an approver)
// DELETE /api/v1/agents/{id} — hide it and stop serving it; the slug stays taken (reviews.decide)
import { withAuth } from "@/lib/api/handler";
import { deleteAgent, updateAgent } from "@/lib/cimd/data";
import { getAgent } from "@/lib/cimd/read";
import { agentIdParamsSchema, updateAgentSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ actor, params }) => Response.json(await getAgent(actor, params.id)), {
  permission: "agents.read",
  params: agentIdParamsSchema,
});

export const PATCH = withAuth(
  async ({ actor, params, body }) => {
    await updateAgent(actor, params.id, body);
    return Response.json(await getAgent(actor, params.id));
  },
  { permission: "agents.submit", params: agentIdParamsSchema, body: updateAgentSchema },
);

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await deleteAgent(actor, params.id)), {
  permission: "reviews.decide",
  params: agentIdParamsSchema,
});

export const { POST, PUT, OPTIONS } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
