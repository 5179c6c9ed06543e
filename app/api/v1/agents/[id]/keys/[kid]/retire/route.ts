// POST /api/v1/agents/{id}/keys/{kid}/retire — remove a key from the document (a new version in review)
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { retireKey } from "@/lib/cimd/keys";
import { agentKeyParamsSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(async ({ actor, params }) => Response.json(await retireKey(actor, params.id, params.kid), { status: 201 }), {
  permission: "agents.submit",
  params: agentKeyParamsSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
