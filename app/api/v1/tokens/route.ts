// GET  /api/v1/tokens — list API tokens (prefix only, never the token)
// POST /api/v1/tokens — issue a token for a user or service account; shown once
import { withAuth } from "@/lib/api/handler";
import { createToken, listTokens } from "@/lib/users/data";
import { createTokenSchema, listQuerySchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listTokens(query)), {
  permission: "tokens.manage",
  query: listQuerySchema,
});

export const POST = withAuth(
  async ({ actor, body }) => Response.json(await createToken(actor, body), { status: 201, headers: { "cache-control": "no-store" } }),
  { permission: "tokens.manage", body: createTokenSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
