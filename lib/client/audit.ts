import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { queryKeys, type AuditFilters } from "@/lib/client/query-keys";
import type { AuditEventJson, IntegrityReport, Page } from "@/lib/client/types";
import type { VerifierStatus } from "@/lib/audit/verifier";

export interface IntegrityState {
  streams: IntegrityReport[];
  verifier: VerifierStatus;
}

const PAGE_SIZE = 50;

export function useAuditEventsQuery(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<AuditEventJson>>("/api/v1/audit-events", {
        query: { action: filters.action, actor: filters.actor, targetType: filters.targetType, targetId: filters.targetId, cursor: pageParam, limit: PAGE_SIZE },
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

/**
 * The stored result of the background integrity check (cheap to read: the server does no walk).
 * Polls every few seconds while a requested run is waiting, every minute otherwise.
 */
export function useAuditIntegrityQuery(enabled = true) {
  return useQuery({
    queryKey: queryKeys.audit.integrity,
    enabled,
    queryFn: ({ signal }) => api<IntegrityState>("/api/v1/audit/integrity", { signal }),
    refetchInterval: (q) => (q.state.data?.verifier.requested ? 2_000 : 60_000),
  });
}

/** Asks the background verifier for a run now (from genesis when `full`). */
export function useRequestVerification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (full: boolean) => api<{ requested: { full: boolean; at: string } }>("/api/v1/audit/integrity", { method: "POST", body: { full } }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.audit.integrity }),
  });
}

/** One event by id (the Audit page opens it from ?event=<id>). */
export function useAuditEventQuery(id: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.audit.all, "event", id],
    enabled: !!id,
    queryFn: ({ signal }) => api<AuditEventJson>(`/api/v1/audit-events/${encodeURIComponent(id!)}`, { signal }),
  });
}
