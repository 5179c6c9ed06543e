// GET /api/v1/audit/integrity — verify the hash chain of one stream (?stream=) or all streams
import { withAuth } from "@/lib/api/handler";
import { verifyAll, verifyStream } from "@/lib/audit/verify";
import { integrityQuerySchema } from "@/lib/audit/schema";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(
  async ({ query }) => Response.json({ streams: query.stream ? [await verifyStream(query.stream)] : await verifyAll() }),
  { permission: "audit.read", query: integrityQuerySchema },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
