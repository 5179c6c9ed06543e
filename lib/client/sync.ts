import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { useApiMutation } from "@/lib/client/list-query";
import type { Page } from "@/lib/client/types";
import type { RuleJson, UpstreamJson } from "@/lib/registry/upstreams";
import type { CreateRuleInput, CreateUpstreamInput, UpdateUpstreamInput } from "@/lib/registry/sync-schema";
import type { SyncCounts } from "@/lib/registry/sync";

// Upstream registries and their allow rules (Servers > Sync). The list polls every second while
// any upstream runs, so the progress bar and counts move; it stops when every run has finished.

export type { RuleJson, UpstreamJson };

export type SyncCountsJson = SyncCounts;

export const syncKeys = {
  all: ["upstreams"] as const,
  list: ["upstreams", "list"] as const,
  rules: (id: string) => ["upstreams", "rules", id] as const,
};

const path = (id: string) => `/api/v1/upstreams/${encodeURIComponent(id)}`;

export function useUpstreamsQuery() {
  return useQuery({
    queryKey: syncKeys.list,
    queryFn: ({ signal }) => api<Page<UpstreamJson>>("/api/v1/upstreams", { signal }),
    refetchInterval: (q) => (q.state.data?.items.some((u) => u.status === "running") ? 1000 : false),
  });
}

export function useRulesQuery(upstreamId: string, running: boolean) {
  return useQuery({
    queryKey: syncKeys.rules(upstreamId),
    queryFn: ({ signal }) => api<Page<RuleJson>>(`${path(upstreamId)}/rules`, { signal }),
    refetchInterval: running ? 5000 : false,
  });
}

export function useCreateUpstreamMutation() {
  return useApiMutation((input: CreateUpstreamInput) => api<UpstreamJson>("/api/v1/upstreams", { method: "POST", body: input }), [syncKeys.all]);
}

export function useUpdateUpstreamMutation() {
  return useApiMutation(({ id, input }: { id: string; input: UpdateUpstreamInput }) => api<UpstreamJson>(path(id), { method: "PATCH", body: input }), [syncKeys.all]);
}

export function useDeleteUpstreamMutation() {
  return useApiMutation((id: string) => api<{ id: string }>(path(id), { method: "DELETE" }), [syncKeys.all]);
}

export function useStartSyncMutation() {
  return useApiMutation((id: string) => api<UpstreamJson>(`${path(id)}/sync`, { method: "POST" }), [syncKeys.all]);
}

export function useCreateRuleMutation(upstreamId: string) {
  return useApiMutation((input: CreateRuleInput) => api<RuleJson>(`${path(upstreamId)}/rules`, { method: "POST", body: input }), [syncKeys.all, ["reviews"]]);
}

export function useRevokeRuleMutation(upstreamId: string) {
  return useApiMutation((ruleId: string) => api<RuleJson>(`${path(upstreamId)}/rules/${encodeURIComponent(ruleId)}`, { method: "DELETE" }), [syncKeys.all, ["reviews"]]);
}
