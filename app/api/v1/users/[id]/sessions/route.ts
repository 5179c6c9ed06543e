// DELETE /api/v1/users/{id}/sessions — sign the person out everywhere (every session ends)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { revokeUserSessions } from "@/lib/users/data";
import { idParamsSchema } from "@/lib/users/schema";

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await revokeUserSessions(actor, params.id)), {
  permission: "users.manage",
  params: idParamsSchema,
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
