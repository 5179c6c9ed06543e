// GET /api/v1/policies/{id} — a policy: its active and pending versions and its history
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { getPolicy } from "@/lib/xaa/data";
import { policyParamsSchema } from "@/lib/xaa/schema";

export const GET = withAuth(async ({ params }) => Response.json(await getPolicy(params.id)), {
  permission: "policies.read",
  params: policyParamsSchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
