// GET  /api/v1/audit/integrity — the stored result of the background integrity check, per stream
//      (?stream= for one; 404 for a stream with no events), and the verifier's schedule
// POST /api/v1/audit/integrity — ask the background verifier for a run now ({ "full": true }: from genesis)
import { withAuth } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { methodsNotAllowed } from "@/lib/api/methods";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record";
import { integrityQuerySchema, requestVerificationSchema } from "@/lib/audit/schema";
import { requestVerification, verifierStatus } from "@/lib/audit/verifier";
import { integrityReports } from "@/lib/audit/verify";

export const GET = withAuth(
  async ({ query }) => {
    const [streams, verifier] = await Promise.all([integrityReports(query.stream), verifierStatus()]);
    if (!streams) throw new ApiError("not_found", "Unknown stream: it has no audit events");
    return Response.json({ streams, verifier });
  },
  { permission: "audit.read", query: integrityQuerySchema },
);

export const POST = withAuth(
  async ({ actor, body }) => {
    const requested = await requestVerification(body.full ?? false);
    await db().$transaction((tx) => recordAudit(tx, actor, { action: "audit.verify.request", data: { full: requested.full } }));
    return Response.json({ requested }, { status: 202 });
  },
  { permission: "audit.read", body: requestVerificationSchema },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
