import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { queryKeys, type AuditFilters } from "@/lib/client/query-keys";
import type { AuditEventJson, IntegrityReport, Page } from "@/lib/client/types";

const PAGE_SIZE = 50;

export function useAuditEventsQuery(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<AuditEventJson>>("/api/v1/audit-events", {
        query: { action: filters.action, actor: filters.actor, cursor: pageParam, limit: PAGE_SIZE },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRecentAuditEventsQuery(limit: number, enabled = true) {
  return useQuery({
    queryKey: queryKeys.audit.recent(limit),
    enabled,
    queryFn: ({ signal }) => api<Page<AuditEventJson>>("/api/v1/audit-events", { query: { limit }, signal }),
  });
}

/** Runs only when asked (the check walks every sealed event). */
export function useAuditIntegrityQuery() {
  return useQuery({
    queryKey: queryKeys.audit.integrity,
    enabled: false,
    staleTime: Infinity,
    queryFn: ({ signal }) => api<{ streams: IntegrityReport[] }>("/api/v1/audit/integrity", { signal }),
  });
}
