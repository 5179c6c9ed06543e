// POST /api/v1/users/{id}/unlock — lift a sign-in lockout early (409 when not locked)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { unlockUser } from "@/lib/users/data";
import { idParamsSchema } from "@/lib/users/schema";

export const POST = withAuth(async ({ actor, params }) => Response.json(await unlockUser(actor, params.id)), {
  permission: "users.manage",
  params: idParamsSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
