// GET  /api/v1/servers/{id}/snapshots — the server's tool snapshots, newest first (?version=)
// POST /api/v1/servers/{id}/snapshots — take a snapshot now (default: the latest version, pending included)
import { withAuth } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { methodsNotAllowed } from "@/lib/api/methods";
import { listSnapshotsQuerySchema, serverIdParamsSchema, takeSnapshotSchema } from "@/lib/registry/schema";
import { takeSnapshot } from "@/lib/registry/tools";
import { listSnapshots, snapshotDetail } from "@/lib/registry/tools-read";

export const GET = withAuth(async ({ params, query }) => Response.json(await listSnapshots(params.id, query)), {
  permission: "catalog.read",
  params: serverIdParamsSchema,
  query: listSnapshotsQuerySchema,
});

export const POST = withAuth(
  async ({ actor, params, body }) => {
    const outcome = await takeSnapshot(actor, params.id, { version: body.version, trigger: "manual" });
    if (!outcome.ok) {
      throw new ApiError("snapshot_failed", `The snapshot failed: ${outcome.error!.message}`, { snapshotId: outcome.snapshotId, reason: outcome.error!.code });
    }
    const detail = await snapshotDetail(outcome.snapshotId);
    return Response.json({ ...detail, drift: outcome.drift }, { status: 201 });
  },
  { permission: "servers.recheck", params: serverIdParamsSchema, body: takeSnapshotSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
