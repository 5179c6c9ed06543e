import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { invalidateAfterChange } from "@/lib/client/invalidate";
import { queryKeys } from "@/lib/client/query-keys";
import type { CreatedServiceAccount, Page, UserJson } from "@/lib/client/types";
import type { CreateServiceAccountInput } from "@/lib/users/schema";

const PAGE_SIZE = 50;

export function useServiceAccountsQuery() {
  return useInfiniteQuery({
    queryKey: queryKeys.serviceAccounts.list(),
    queryFn: ({ pageParam, signal }) =>
      api<Page<UserJson>>("/api/v1/service-accounts", { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateServiceAccountMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateServiceAccountInput) =>
      api<CreatedServiceAccount>("/api/v1/service-accounts", { method: "POST", body: input }),
    onSuccess: () => invalidateAfterChange(qc, queryKeys.serviceAccounts.all, queryKeys.tokens.all, queryKeys.users.options),
  });
}

export function useRevokeServiceAccountMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<UserJson>(`/api/v1/service-accounts/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => invalidateAfterChange(qc, queryKeys.serviceAccounts.all, queryKeys.tokens.all, queryKeys.users.options),
  });
}
