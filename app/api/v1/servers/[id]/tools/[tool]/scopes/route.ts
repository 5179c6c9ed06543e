// PUT    /api/v1/servers/{id}/tools/{tool}/scopes — the scopes a tool requires (for delegation policies)
// DELETE /api/v1/servers/{id}/tools/{tool}/scopes — back to what the server declares (or the default)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { toolParamsSchema } from "@/lib/registry/schema";
import { setToolScopes, toolScopesSchema } from "@/lib/registry/tools-review";

export const PUT = withAuth(async ({ actor, params, body }) => Response.json(await setToolScopes(actor, params.id, params.tool, body.scopes)), {
  permission: "servers.recheck",
  params: toolParamsSchema,
  body: toolScopesSchema,
});

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await setToolScopes(actor, params.id, params.tool, null)), {
  permission: "servers.recheck",
  params: toolParamsSchema,
});

export const { GET, POST, PATCH, OPTIONS } = methodsNotAllowed(["PUT", "DELETE"]);
