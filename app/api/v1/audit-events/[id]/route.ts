// GET /api/v1/audit-events/:id — one audit event, with where it stands in the integrity check
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { getAuditEvent } from "@/lib/audit/data";
import { auditEventParamsSchema } from "@/lib/audit/schema";

export const GET = withAuth(async ({ params }) => Response.json(await getAuditEvent(params.id)), {
  permission: "audit.read",
  params: auditEventParamsSchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
