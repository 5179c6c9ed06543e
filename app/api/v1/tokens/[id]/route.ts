// DELETE /api/v1/tokens/{id} — revoke a token
import { withAuth } from "@/lib/api/handler";
import { revokeToken } from "@/lib/users/data";
import { idParamsSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await revokeToken(actor, params.id)), {
  permission: "tokens.manage",
  params: idParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
