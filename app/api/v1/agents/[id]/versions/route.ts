// POST /api/v1/agents/{id}/versions — submit a new document: a new version in review
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { submitAgentVersion } from "@/lib/cimd/data";
import { agentIdParamsSchema, submitAgentVersionSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(
  async ({ actor, params, body }) => Response.json(await submitAgentVersion(actor, params.id, body, actor.via === "session" ? "console" : "api"), { status: 201 }),
  { permission: "agents.submit", params: agentIdParamsSchema, body: submitAgentVersionSchema },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
