import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { useApiMutation } from "@/lib/client/list-query";
import { queryKeys } from "@/lib/client/query-keys";
import type { Settings, UpdateSettingsInput } from "@/lib/settings/schema";

export interface SettingsJson {
  settings: Settings;
  defaults: Settings;
}

/** The settings in force and their defaults (settings.manage). */
export function useSettingsQuery(enabled = true) {
  return useQuery({
    queryKey: queryKeys.settings,
    enabled,
    queryFn: ({ signal }) => api<SettingsJson>("/api/v1/settings", { signal }),
  });
}

/** Changes some settings; the answer is the whole set after the change. */
export function useUpdateSettingsMutation() {
  return useApiMutation(
    (patch: UpdateSettingsInput) => api<SettingsJson>("/api/v1/settings", { method: "PATCH", body: patch }),
    [queryKeys.settings, queryKeys.tokens.all, queryKeys.myTokens.all],
  );
}
