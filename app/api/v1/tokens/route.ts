// GET  /api/v1/tokens — list API tokens (prefix only, never the token); ?userId=, ?expiring=true
// POST /api/v1/tokens — issue a token to yourself or (tokens.manage) a service account; shown once
import { withAuth } from "@/lib/api/handler";
import { createToken, listTokens } from "@/lib/users/data";
import { createTokenSchema, listTokensQuerySchema } from "@/lib/users/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listTokens(query)), {
  permission: "users.read",
  query: listTokensQuerySchema,
});

export const POST = withAuth(
  async ({ actor, body }) => Response.json(await createToken(actor, body), { status: 201, headers: { "cache-control": "no-store" } }),
  // Every person may issue personal tokens; createToken checks tokens.manage for service accounts.
  { permission: null, body: createTokenSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
