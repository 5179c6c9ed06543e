// GET /api/v1/policies/groups — the IdP groups policies name (editor and simulator suggestions)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { policyGroups } from "@/lib/xaa/data";

export const GET = withAuth(async () => Response.json(await policyGroups()), { permission: "policies.read" });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
