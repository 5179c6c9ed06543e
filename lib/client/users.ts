import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { invalidateAfterChange } from "@/lib/client/invalidate";
import { queryKeys } from "@/lib/client/query-keys";
import type { Page, UserJson } from "@/lib/client/types";
import type { CreateUserInput, UpdateUserInput } from "@/lib/users/schema";

const PAGE_SIZE = 25;

export function useUsersQuery(q: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.users.list(q),
    queryFn: ({ pageParam, signal }) =>
      api<Page<UserJson>>("/api/v1/users", { query: { q, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useCreateUserMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api<UserJson>("/api/v1/users", { method: "POST", body: input }),
    onSuccess: () => invalidateAfterChange(qc, queryKeys.users.all),
  });
}

export function useUpdateUserMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateUserInput }) =>
      api<UserJson>(`/api/v1/users/${encodeURIComponent(id)}`, { method: "PATCH", body: patch }),
    onSettled: () => invalidateAfterChange(qc, queryKeys.users.all, queryKeys.tokens.all),
  });
}
