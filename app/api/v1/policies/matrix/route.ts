// GET /api/v1/policies/matrix?server=&versionId= — for one server: agents × groups → scopes
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { policyMatrix } from "@/lib/xaa/simulate";
import { matrixQuerySchema } from "@/lib/xaa/schema";

export const GET = withAuth(async ({ query }) => Response.json(await policyMatrix(query)), {
  permission: "policies.read",
  query: matrixQuerySchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
