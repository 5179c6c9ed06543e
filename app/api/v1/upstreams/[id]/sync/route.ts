// POST /api/v1/upstreams/{id}/sync — start a run now; 202 with the upstream (running), 409 while one runs
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import "@/lib/reviews/handlers";
import { startSync } from "@/lib/registry/sync";
import { upstreamIdParamsSchema } from "@/lib/registry/sync-schema";

export const POST = withAuth(
  async ({ actor, params }) => {
    // The run goes on after the answer; its outcome is the upstream's status (startSync's
    // `done` never rejects).
    const { upstream } = await startSync(params.id, { actor });
    return Response.json(upstream, { status: 202 });
  },
  { permission: "reviews.decide", params: upstreamIdParamsSchema },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
