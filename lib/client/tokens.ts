import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { createListQuery, useApiMutation } from "@/lib/client/list-query";
import { queryKeys } from "@/lib/client/query-keys";
import type { CreatedToken, Page, TokenJson, UserJson } from "@/lib/client/types";
import type { CreateTokenInput } from "@/lib/users/schema";

/** Every API token (users.read); `q` searches names and prefixes, `expiring` keeps the ones that expire soon, `userId` one owner's. */
export const useTokensQuery = createListQuery<TokenJson, { q?: string; userId?: string; expiring?: boolean }>("tokens", "/api/v1/tokens", {
  pageSize: 50,
});

/** The signed-in person's own tokens (anyone). */
export const useMyTokensQuery = createListQuery<TokenJson, { q?: string; expiring?: boolean }>("me-tokens", "/api/v1/me/tokens", { pageSize: 50 });

/** Service accounts a new token can belong to (active ones, first 100). */
export function useServiceAccountOptionsQuery(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.users.options,
    enabled,
    queryFn: async ({ signal }) => {
      const services = await api<Page<UserJson>>("/api/v1/service-accounts", { query: { limit: 100 }, signal });
      return services.items.filter((u) => !u.disabled);
    },
  });
}

const touched = [queryKeys.tokens.all, queryKeys.myTokens.all];

/** A token for yourself (no userId) or for a service account; the secret is in the answer, once. */
export function useCreateTokenMutation() {
  return useApiMutation((input: CreateTokenInput) => api<CreatedToken>("/api/v1/tokens", { method: "POST", body: input }), touched);
}

export function useRevokeTokenMutation() {
  return useApiMutation((id: string) => api<TokenJson>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }), touched);
}
