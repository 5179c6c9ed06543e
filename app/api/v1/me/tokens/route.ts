// GET /api/v1/me/tokens — the caller's own API tokens (prefix only, never the token)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { listTokens } from "@/lib/users/data";
import { listOwnTokensQuerySchema } from "@/lib/users/schema";

export const GET = withAuth(
  async ({ actor, query }) => Response.json(await listTokens({ ...query, userId: actor.id }), { headers: { "cache-control": "no-store" } }),
  { permission: null, query: listOwnTokensQuerySchema },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
