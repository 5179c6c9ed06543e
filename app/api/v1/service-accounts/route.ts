// GET  /api/v1/service-accounts — list service accounts
// POST /api/v1/service-accounts — create one with a role; its initial token (expiresInDays?) is in the response, once
import { withAuth } from "@/lib/api/handler";
import { createServiceAccount, listUsers } from "@/lib/users/data";
import { createServiceAccountSchema, listQuerySchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listUsers("service", query)), {
  permission: "users.read",
  query: listQuerySchema,
});

export const POST = withAuth(
  async ({ actor, body }) => Response.json(await createServiceAccount(actor, body), { status: 201, headers: { "cache-control": "no-store" } }),
  { permission: "users.manage", body: createServiceAccountSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
