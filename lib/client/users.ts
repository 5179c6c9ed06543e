import { api } from "@/lib/client/api";
import { createListQuery, useApiMutation } from "@/lib/client/list-query";
import { queryKeys } from "@/lib/client/query-keys";
import type { UserJson } from "@/lib/client/types";
import type { CreateUserInput, UpdateUserInput } from "@/lib/users/schema";

/** People who sign in (users.read): `q` searches names and e-mail addresses. */
export const useUsersQuery = createListQuery<UserJson, { q?: string }>("users", "/api/v1/users");

const userPath = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

export function useCreateUserMutation() {
  return useApiMutation((input: CreateUserInput) => api<UserJson>("/api/v1/users", { method: "POST", body: input }), [
    queryKeys.users.all,
  ]);
}

/** Name, role (with an optional reason, recorded in the audit event), disabled, password. */
export function useUpdateUserMutation() {
  return useApiMutation(
    ({ id, patch }: { id: string; patch: UpdateUserInput }) => api<UserJson>(userPath(id), { method: "PATCH", body: patch }),
    [queryKeys.users.all, queryKeys.tokens.all],
  );
}

/** Clears the sign-in lockout of an account. */
export function useUnlockUserMutation() {
  return useApiMutation((id: string) => api<UserJson>(`${userPath(id)}/unlock`, { method: "POST" }), [queryKeys.users.all]);
}

/** Ends every session of a person ("sign out everywhere"). */
export function useSignOutEverywhereMutation() {
  return useApiMutation((id: string) => api<unknown>(`${userPath(id)}/sessions`, { method: "DELETE" }), [queryKeys.users.all]);
}
