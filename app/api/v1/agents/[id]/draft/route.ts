// PUT    /api/v1/agents/{id}/draft — keep the console's unsubmitted draft (judged on submit)
// DELETE /api/v1/agents/{id}/draft — discard it
import { withAuth } from "@/lib/api/handler";
import { discardDraft, saveDraft } from "@/lib/cimd/data";
import { agentIdParamsSchema, saveDraftSchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const PUT = withAuth(async ({ actor, params, body }) => Response.json(await saveDraft(actor, params.id, body.document)), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
  body: saveDraftSchema,
});

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await discardDraft(actor, params.id)), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
});

export const { GET, POST, PATCH, OPTIONS } = methodsNotAllowed(["PUT", "DELETE"]);
