// DELETE /api/v1/service-accounts/{id} — revoke: disable the account and all its tokens
import { withAuth } from "@/lib/api/handler";
import { revokeServiceAccount } from "@/lib/users/data";
import { idParamsSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await revokeServiceAccount(actor, params.id)), {
  permission: "users.manage",
  params: idParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
