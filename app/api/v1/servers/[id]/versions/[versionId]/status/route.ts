// PUT /api/v1/servers/{id}/versions/{versionId}/status — deprecate, revoke (deleted) or re-activate
// an approved version, with a reason; the registry serves the change at once
import { withAuth } from "@/lib/api/handler";
import { setConsoleVersionStatus } from "@/lib/registry/catalog";
import { versionParamsSchema, versionStatusSchema } from "@/lib/registry/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const PUT = withAuth(async ({ actor, params, body }) => Response.json(await setConsoleVersionStatus(actor, params.id, params.versionId, body)), {
  permission: "reviews.decide",
  params: versionParamsSchema,
  body: versionStatusSchema,
});

export const { GET, POST, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["PUT"]);
