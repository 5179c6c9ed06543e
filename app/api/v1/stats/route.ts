// GET /api/v1/stats — dashboard counts; each count only when the caller may read what it counts
import { withAuth } from "@/lib/api/handler";
import { dashboardStats } from "@/lib/stats/data";

export const GET = withAuth(async ({ actor }) => Response.json(await dashboardStats(actor)), {
  permission: "catalog.read",
});
