// GET /api/v1/stats — dashboard counts; each count only when the caller may read what it counts
import { withAuth } from "@/lib/api/handler";
import { dashboardStats } from "@/lib/stats/data";
import { methodsNotAllowed } from "@/lib/api/methods";

export const GET = withAuth(async ({ actor }) => Response.json(await dashboardStats(actor)), {
  permission: "catalog.read",
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
