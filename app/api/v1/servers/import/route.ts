// POST /api/v1/servers/import — import up to 100 server.json documents, each on its own; answers the report
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import "@/lib/reviews/handlers";
import { importServerDocuments } from "@/lib/registry/import";
import { importServersSchema } from "@/lib/registry/import-schema";

export const POST = withAuth(async ({ actor, body }) => Response.json(await importServerDocuments(actor, body.documents, { batchId: body.batchId })), {
  permission: "servers.submit",
  body: importServersSchema,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
