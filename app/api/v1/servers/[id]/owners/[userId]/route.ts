// DELETE /api/v1/servers/{id}/owners/{userId} — remove a co-owner (a server keeps at least one)
import { withAuth } from "@/lib/api/handler";
import { removeOwner } from "@/lib/registry/owners";
import { ownerParamsSchema } from "@/lib/registry/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await removeOwner(actor, params.id, params.userId)), {
  permission: "servers.submit",
  params: ownerParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
