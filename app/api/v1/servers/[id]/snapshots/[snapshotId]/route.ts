// GET /api/v1/servers/{id}/snapshots/{snapshotId} — one snapshot in full, with its diff and findings
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { snapshotParamsSchema } from "@/lib/registry/schema";
import { getSnapshot } from "@/lib/registry/tools-read";

export const GET = withAuth(async ({ params }) => Response.json(await getSnapshot(params.id, params.snapshotId)), {
  permission: "catalog.read",
  params: snapshotParamsSchema,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
