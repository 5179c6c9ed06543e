// GET    /api/v1/servers/{id}/snapshot-credentials — whether credentials are set (never their values)
// PUT    /api/v1/servers/{id}/snapshot-credentials — set them (write-only; stored encrypted)
// DELETE /api/v1/servers/{id}/snapshot-credentials — remove them
import { withAuth } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { methodsNotAllowed } from "@/lib/api/methods";
import { serverIdParamsSchema } from "@/lib/registry/schema";
import { deleteSnapshotCredentials, setSnapshotCredentials, snapshotCredentialsInfo, snapshotCredentialsSchema } from "@/lib/registry/tools-remote";

export const GET = withAuth(async ({ params }) => Response.json(await snapshotCredentialsInfo(params.id)), {
  permission: "servers.recheck",
  params: serverIdParamsSchema,
});

export const PUT = withAuth(
  async ({ actor, params, body }) => {
    await setSnapshotCredentials(actor, params.id, body);
    return new Response(null, { status: 204 });
  },
  { permission: "servers.recheck", params: serverIdParamsSchema, body: snapshotCredentialsSchema },
);

export const DELETE = withAuth(
  async ({ actor, params }) => {
    if (!(await deleteSnapshotCredentials(actor, params.id))) throw new ApiError("not_found", "No snapshot credentials are set for this server");
    return new Response(null, { status: 204 });
  },
  { permission: "servers.recheck", params: serverIdParamsSchema },
);

export const { POST, PATCH, OPTIONS } = methodsNotAllowed(["GET", "PUT", "DELETE"]);
