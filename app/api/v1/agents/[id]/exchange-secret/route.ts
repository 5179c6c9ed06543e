// POST   /api/v1/agents/{id}/exchange-secret — issue (or rotate) the token-exchange client secret, shown once
// DELETE /api/v1/agents/{id}/exchange-secret — remove it
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { agentIdParamsSchema } from "@/lib/cimd/schema";
import { issueExchangeSecret, removeExchangeSecret } from "@/lib/xaa/exchange-secret";

export const POST = withAuth(async ({ actor, params }) => Response.json(await issueExchangeSecret(actor, params.id), { status: 201 }), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
});

export const DELETE = withAuth(
  async ({ actor, params }) => {
    await removeExchangeSecret(actor, params.id);
    return new Response(null, { status: 204 });
  },
  { permission: "agents.submit", params: agentIdParamsSchema },
);

export const { GET, PUT, PATCH, OPTIONS } = methodsNotAllowed(["POST", "DELETE"]);
