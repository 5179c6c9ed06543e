// GET /api/v1/servers/{id}/snapshots/latest — the newest successful snapshot in full (?version=)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { latestSnapshotQuerySchema, serverIdParamsSchema } from "@/lib/registry/schema";
import { latestSnapshot } from "@/lib/registry/tools-read";

export const GET = withAuth(async ({ params, query }) => Response.json(await latestSnapshot(params.id, query.version)), {
  permission: "catalog.read",
  params: serverIdParamsSchema,
  query: latestSnapshotQuerySchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
