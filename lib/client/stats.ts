import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { DashboardStats } from "@/lib/client/types";

export function useStatsQuery() {
  return useQuery({
    queryKey: queryKeys.stats,
    queryFn: ({ signal }) => api<DashboardStats>("/api/v1/stats", { signal }),
  });
}
