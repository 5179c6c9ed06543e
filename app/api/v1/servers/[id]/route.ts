// GET   /api/v1/servers/{id} — a server with every version, its reviews and owners
// PATCH /api/v1/servers/{id} — console metadata (owner team, tags; risk and notes for reviewers)
import { withAuth } from "@/lib/api/handler";
import { getServer, updateServer } from "@/lib/registry/catalog";
import { serverIdParamsSchema, updateServerSchema } from "@/lib/registry/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ actor, params }) => Response.json(await getServer(actor, params.id)), {
  permission: "catalog.read",
  params: serverIdParamsSchema,
});

export const PATCH = withAuth(async ({ actor, params, body }) => Response.json(await updateServer(actor, params.id, body)), {
  permission: "servers.submit",
  params: serverIdParamsSchema,
  body: updateServerSchema,
});

export const { POST, PUT, DELETE, OPTIONS } = methodsNotAllowed(["GET", "PATCH"]);
