// GET  /api/v1/agents/{id}/keys — the agent's keys: served, in review, retired
// POST /api/v1/agents/{id}/keys — generate a key pair (private key answered once) or register a public JWK
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { addKey, listKeys } from "@/lib/cimd/keys";
import { addKeySchema, agentIdParamsSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ params }) => Response.json(await listKeys(params.id)), {
  permission: "agents.read",
  params: agentIdParamsSchema,
});

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await addKey(actor, params.id, body), { status: 201 }), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
  body: addKeySchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
