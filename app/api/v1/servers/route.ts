// GET  /api/v1/servers — the catalog: servers with their latest version and state (q, filters, cursor)
// POST /api/v1/servers — submit a server version ({ document: server.json }) for review
import { withAuth } from "@/lib/api/handler";
import "@/lib/reviews/handlers";
import { listServers } from "@/lib/registry/catalog";
import { submitServerVersion, parseServerJson } from "@/lib/registry/data";
import { listServersQuerySchema, submitServerSchema } from "@/lib/registry/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ query }) => Response.json(await listServers(query)), {
  permission: "catalog.read",
  query: listServersQuerySchema,
});

export const POST = withAuth(
  async ({ actor, body }) => {
    parseServerJson(body.document, "body.document");
    return Response.json(await submitServerVersion(actor, body.document, "console"), { status: 201 });
  },
  { permission: "servers.submit", body: submitServerSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
