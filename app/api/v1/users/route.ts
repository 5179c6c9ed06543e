// GET  /api/v1/users — list people (paginated, searchable), with lockout state and creator
// POST /api/v1/users — create a local user (who must change the password at first sign-in)
import { withAuth } from "@/lib/api/handler";
import { createUser, listUsers } from "@/lib/users/data";
import { createUserSchema, listQuerySchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listUsers("human", query)), {
  permission: "users.read",
  query: listQuerySchema,
});

export const POST = withAuth(async ({ actor, body }) => Response.json(await createUser(actor, body), { status: 201 }), {
  permission: "users.manage",
  body: createUserSchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
