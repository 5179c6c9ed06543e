// GET  /api/v1/upstreams — the upstream registries the catalog syncs from, with their last run
// POST /api/v1/upstreams — add an upstream ({ name, baseUrl, intervalMinutes?, enabled? })
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { createUpstream, listUpstreams } from "@/lib/registry/upstreams";
import { createUpstreamSchema } from "@/lib/registry/sync-schema";

export const GET = withAuth(async () => Response.json(await listUpstreams()), { permission: "catalog.read" });

export const POST = withAuth(async ({ actor, body }) => Response.json(await createUpstream(actor, body), { status: 201 }), {
  permission: "reviews.decide",
  body: createUpstreamSchema,
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
