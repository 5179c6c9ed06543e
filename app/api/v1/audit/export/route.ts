// GET /api/v1/audit/export?stream=<stream>[&fromChainSeq=<n>] — the stream's sealed events in
// chain order as NDJSON (header, events with their chain fields, end line), for offline
// verification with `npm run audit:verify -- <file>`
import { withAuth } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { methodsNotAllowed } from "@/lib/api/methods";
import { db } from "@/lib/db";
import { exportStream, streamExists } from "@/lib/audit/export";
import { recordAudit } from "@/lib/audit/record";
import { exportQuerySchema } from "@/lib/audit/schema";

export const GET = withAuth(
  async ({ actor, query }) => {
    if (!(await streamExists(query.stream))) throw new ApiError("not_found", "Unknown stream: it has no audit events");
    const from = BigInt(query.fromChainSeq ?? "1");
    await db().$transaction((tx) =>
      recordAudit(tx, actor, { action: "audit.export", data: { stream: query.stream, fromChainSeq: from.toString() } }),
    );
    const safeName = query.stream.replace(/[^A-Za-z0-9._-]/g, "_");
    return new Response(exportStream(query.stream, from), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="audit-${safeName}-${new Date().toISOString().slice(0, 10)}.ndjson"`,
      },
    });
  },
  { permission: "audit.export", query: exportQuerySchema },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
