// POST /api/v1/agents/{id}/revoke — stop serving the agent's document at once, for good
import { withAuth } from "@/lib/api/handler";
import { revokeAgent } from "@/lib/cimd/data";
import { getAgent } from "@/lib/cimd/read";
import { agentIdParamsSchema, revokeAgentSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(
  async ({ actor, params, body }) => {
    await revokeAgent(actor, params.id, body.reason);
    return Response.json(await getAgent(actor, params.id));
  },
  { permission: "reviews.decide", params: agentIdParamsSchema, body: revokeAgentSchema },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
