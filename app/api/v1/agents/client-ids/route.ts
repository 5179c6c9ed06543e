// GET /api/v1/agents/client-ids — every published client_id, for authorization servers that
// pre-register or allowlist CIMD URLs (JSON, or ?format=text: one URL per line)
import { withAuth } from "@/lib/api/handler";
import { exportClientIds } from "@/lib/cimd/read";
import { exportQuerySchema } from "@/lib/cimd/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(
  async ({ query }) => {
    const clientIds = await exportClientIds();
    if (query.format === "text") {
      return new Response(clientIds.map((c) => `${c.clientId}\n`).join(""), { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return Response.json({ clientIds });
  },
  { permission: "agents.read", query: exportQuerySchema },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
