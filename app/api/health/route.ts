// GET /api/health — liveness and database check (no authentication; reveals nothing else)
import { db } from "@/lib/db";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const { status, body } = await checkHealth(db());
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
