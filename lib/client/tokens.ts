import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { invalidateAfterChange } from "@/lib/client/invalidate";
import { queryKeys } from "@/lib/client/query-keys";
import type { CreatedToken, Page, TokenJson, UserJson } from "@/lib/client/types";
import type { CreateTokenInput } from "@/lib/users/schema";

const PAGE_SIZE = 50;

export function useTokensQuery() {
  return useInfiniteQuery({
    queryKey: queryKeys.tokens.list(),
    queryFn: ({ pageParam, signal }) =>
      api<Page<TokenJson>>("/api/v1/tokens", { query: { cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Who a new token can belong to: active people and service accounts (first 100 of each). */
export function useTokenOwnersQuery(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.users.options,
    enabled,
    queryFn: async ({ signal }) => {
      const [people, services] = await Promise.all([
        api<Page<UserJson>>("/api/v1/users", { query: { limit: 100 }, signal }),
        api<Page<UserJson>>("/api/v1/service-accounts", { query: { limit: 100 }, signal }),
      ]);
      return {
        people: people.items.filter((u) => !u.disabled),
        services: services.items.filter((u) => !u.disabled),
      };
    },
  });
}

export function useCreateTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenInput) => api<CreatedToken>("/api/v1/tokens", { method: "POST", body: input }),
    onSuccess: () => invalidateAfterChange(qc, queryKeys.tokens.all),
  });
}

export function useRevokeTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TokenJson>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => invalidateAfterChange(qc, queryKeys.tokens.all),
  });
}
