// DELETE /api/v1/tokens/{id} — revoke a token: your own, or anyone's with tokens.manage
import { withAuth } from "@/lib/api/handler";
import { revokeToken } from "@/lib/users/data";
import { idParamsSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await revokeToken(actor, params.id)), {
  // revokeToken checks tokens.manage unless the token is the caller's own.
  permission: null,
  params: idParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
