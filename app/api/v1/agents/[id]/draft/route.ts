// PUT    /api/v1/agents/{id}/draft — keep the console's unsubmitted draft (judged on submit)
// DELETE /api/v1/agents/{id}/draft — discard it
import { withAuth } from "@/lib/api/handler";
import { discardDraft, saveDraft } from "@/lib/cimd/data";
import { validateCimd } from "@/lib/cimd/validate";
import { insecureBase } from "@/lib/cimd/documents";
import { agentIdParamsSchema, saveDraftSchema } from "@/lib/cimd/schema";
import { db } from "@/lib/db";
import { methodsNotAllowed } from "@/lib/api/methods";

export const PUT = withAuth(
  async ({ actor, params, body }) => {
    const draft = await saveDraft(actor, params.id, body.document);
    const agent = await db().agent.findUniqueOrThrow({ where: { id: params.id }, select: { clientId: true, kind: true } });
    const { errors, warnings } = validateCimd(body.document, { clientId: agent.clientId, fillClientId: true, kind: agent.kind, insecureBase: insecureBase() });
    return Response.json({ draft, validation: { errors, warnings } });
  },
  { permission: "agents.submit", params: agentIdParamsSchema, body: saveDraftSchema },
);

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await discardDraft(actor, params.id)), {
  permission: "agents.submit",
  params: agentIdParamsSchema,
});

export const { GET, POST, PATCH, OPTIONS } = methodsNotAllowed(["PUT", "DELETE"]);
