// GET    /api/v1/upstreams/{id} — one upstream with its last (or running) sync
// PATCH  /api/v1/upstreams/{id} — change name, URL, interval, enabled; `updatedSince: null` forces a full run
// DELETE /api/v1/upstreams/{id} — remove it and its allow rules (synced versions stay)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { deleteUpstream, getUpstream, updateUpstream } from "@/lib/registry/upstreams";
import { updateUpstreamSchema, upstreamIdParamsSchema } from "@/lib/registry/sync-schema";

export const GET = withAuth(async ({ params }) => Response.json(await getUpstream(params.id)), {
  permission: "catalog.read",
  params: upstreamIdParamsSchema,
});

export const PATCH = withAuth(async ({ actor, params, body }) => Response.json(await updateUpstream(actor, params.id, body)), {
  permission: "reviews.decide",
  params: upstreamIdParamsSchema,
  body: updateUpstreamSchema,
});

export const DELETE = withAuth(async ({ actor, params }) => Response.json(await deleteUpstream(actor, params.id)), {
  permission: "reviews.decide",
  params: upstreamIdParamsSchema,
});

export const { POST, PUT, OPTIONS } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
