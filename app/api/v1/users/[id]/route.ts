// PATCH /api/v1/users/{id} — rename, change role, reset password, disable / enable (optional reason)
import { withAuth } from "@/lib/api/handler";
import { updateUser } from "@/lib/users/data";
import { idParamsSchema, updateUserSchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const PATCH = withAuth(async ({ actor, params, body }) => Response.json(await updateUser(actor, params.id, body)), {
  permission: "users.manage",
  params: idParamsSchema,
  body: updateUserSchema,
});

export const { GET, POST, PUT, DELETE, OPTIONS } = methodsNotAllowed(["PATCH"]);
