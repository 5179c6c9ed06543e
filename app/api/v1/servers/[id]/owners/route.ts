// POST /api/v1/servers/{id}/owners — add a co-owner (owners of the server, or an approver)
import { withAuth } from "@/lib/api/handler";
import { addOwner } from "@/lib/registry/owners";
import { addOwnerSchema, serverIdParamsSchema } from "@/lib/registry/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const POST = withAuth(async ({ actor, params, body }) => Response.json(await addOwner(actor, params.id, body), { status: 201 }), {
  permission: "servers.submit",
  params: serverIdParamsSchema,
  body: addOwnerSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
