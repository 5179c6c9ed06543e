import { api } from "@/lib/client/api";
import { createListQuery, useApiMutation } from "@/lib/client/list-query";
import { queryKeys } from "@/lib/client/query-keys";
import type { CreatedServiceAccount, UserJson } from "@/lib/client/types";
import type { CreateServiceAccountInput } from "@/lib/users/schema";

/** Accounts for automation (users.read). */
export const useServiceAccountsQuery = createListQuery<UserJson>("service-accounts", "/api/v1/service-accounts", { pageSize: 50 });

const touched = [queryKeys.serviceAccounts.all, queryKeys.tokens.all, queryKeys.users.options];

export function useCreateServiceAccountMutation() {
  return useApiMutation(
    (input: CreateServiceAccountInput) => api<CreatedServiceAccount>("/api/v1/service-accounts", { method: "POST", body: input }),
    touched,
  );
}

export function useRevokeServiceAccountMutation() {
  return useApiMutation(
    (id: string) => api<UserJson>(`/api/v1/service-accounts/${encodeURIComponent(id)}`, { method: "DELETE" }),
    touched,
  );
}
