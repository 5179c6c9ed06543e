// GET /api/v1/audit-events — audit events, newest first, filterable, paginated by cursor
import { withAuth } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit/data";
import { listAuditQuerySchema } from "@/lib/audit/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listAuditEvents(query)), {
  permission: "audit.read",
  query: listAuditQuerySchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
