// GET /api/v1/policies/targets?server= — what the editor offers for a target server: the
// recorded issuer, its MCP endpoints, the scopes known from its tool snapshot
import { z } from "zod";
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { safeString } from "@/lib/validation/strings";
import { policyTarget } from "@/lib/xaa/data";

export const GET = withAuth(async ({ query }) => Response.json(await policyTarget(query.server)), {
  permission: "policies.read",
  query: z.object({ server: safeString({ max: 200 }) }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
