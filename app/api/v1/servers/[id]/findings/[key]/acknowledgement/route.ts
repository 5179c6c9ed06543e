// POST /api/v1/servers/{id}/findings/{key}/acknowledgement — an approver acknowledges a poisoning finding, with a comment
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { findingParamsSchema } from "@/lib/registry/schema";
import { acknowledgeFinding, acknowledgeFindingSchema } from "@/lib/registry/tools-review";

export const POST = withAuth(
  async ({ actor, params, body }) => Response.json(await acknowledgeFinding(actor, params.id, params.key, body.comment), { status: 201 }),
  { permission: "reviews.decide", params: findingParamsSchema, body: acknowledgeFindingSchema },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
