// GET  /api/v1/agents — agents with their published and pending versions (q, filters, cursor)
// POST /api/v1/agents — register an agent; with a document its first version goes to review
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { createAgent } from "@/lib/cimd/data";
import { listAgents } from "@/lib/cimd/read";
import { createAgentSchema, listAgentsQuerySchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ actor, query }) => Response.json(await listAgents(actor, query)), {
  permission: "agents.read",
  query: listAgentsQuerySchema,
});

export const POST = withAuth(async ({ actor, body }) => Response.json(await createAgent(actor, body, actor.via === "session" ? "console" : "api"), { status: 201 }), {
  permission: "agents.submit",
  body: createAgentSchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
