// POST /api/v1/policies/simulate — what would the decision point answer? (optionally with a
// version under review in place of its policy's active version)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { simulate } from "@/lib/xaa/simulate";
import { simulateSchema } from "@/lib/xaa/schema";

export const POST = withAuth(async ({ body }) => Response.json(await simulate(body)), {
  permission: "policies.read",
  body: simulateSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
