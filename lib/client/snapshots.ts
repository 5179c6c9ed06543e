import { useQuery } from "@tanstack/react-query";
import { api, ApiClientError } from "@/lib/client/api";
import { useApiMutation } from "@/lib/client/list-query";
import { queryKeys } from "@/lib/client/query-keys";
import type { latestSnapshot, listSnapshots } from "@/lib/registry/tools-read";
import type { snapshotCredentialsInfo } from "@/lib/registry/tools-remote";

// Tool snapshots in the console: the newest one in full, the history, taking one, credentials,
// acknowledgements and scopes (docs/tool-snapshots.md). Every change refreshes the server page.

export type SnapshotDetail = Awaited<ReturnType<typeof latestSnapshot>>;
export type SnapshotSummary = Awaited<ReturnType<typeof listSnapshots>>["snapshots"][number];
/** An MCP Tool as the server sent it, with the scopes it requires. */
export type SnapshotTool = Record<string, unknown> & SnapshotDetail["tools"][number];
export type SnapshotFinding = SnapshotDetail["findings"][number];
export type SnapshotDiff = NonNullable<SnapshotDetail["diff"]>;
export type CredentialsInfo = Awaited<ReturnType<typeof snapshotCredentialsInfo>>;

const base = (id: string) => `/api/v1/servers/${encodeURIComponent(id)}`;
// A snapshot can raise or clear a drift flag and open or withdraw a drift review: the server
// page, the reviews and the dashboard counts all follow.
const KEYS = [queryKeys.snapshots.all, ["server"], ["servers"], ["review"], ["reviews"], queryKeys.stats];

/** The newest snapshot, or null when none has been taken yet. */
export function useLatestSnapshotQuery(serverId: string) {
  return useQuery({
    queryKey: queryKeys.snapshots.latest(serverId),
    queryFn: async ({ signal }) => {
      try {
        return await api<SnapshotDetail>(`${base(serverId)}/snapshots/latest`, { signal });
      } catch (err) {
        if (err instanceof ApiClientError && err.status === 404) return null;
        throw err;
      }
    },
  });
}

export function useSnapshotHistoryQuery(serverId: string) {
  return useQuery({
    queryKey: queryKeys.snapshots.history(serverId),
    queryFn: ({ signal }) => api<{ snapshots: SnapshotSummary[]; nextCursor: string | null }>(`${base(serverId)}/snapshots?limit=10`, { signal }),
  });
}

/** Takes a snapshot now: of `version`, else of the server's latest version (pending included). */
export function useTakeSnapshotMutation(serverId: string) {
  return useApiMutation((version?: string) => api<SnapshotDetail & { drift: { detected: boolean } }>(`${base(serverId)}/snapshots`, { method: "POST", body: version ? { version } : {} }), KEYS);
}

export function useCredentialsQuery(serverId: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.snapshots.credentials(serverId), enabled, queryFn: ({ signal }) => api<CredentialsInfo>(`${base(serverId)}/snapshot-credentials`, { signal }) });
}

export type CredentialsInput =
  | { kind: "headers"; headers: Record<string, string> }
  | { kind: "oauth_client_credentials"; issuer: string; clientId: string; clientSecret: string; scope?: string };

export function useSetCredentialsMutation(serverId: string) {
  return useApiMutation((input: CredentialsInput) => api<null>(`${base(serverId)}/snapshot-credentials`, { method: "PUT", body: input }), KEYS);
}

export function useDeleteCredentialsMutation(serverId: string) {
  return useApiMutation(() => api<null>(`${base(serverId)}/snapshot-credentials`, { method: "DELETE" }), KEYS);
}

export function useAcknowledgeMutation(serverId: string) {
  return useApiMutation(
    ({ key, comment }: { key: string; comment: string }) => api<unknown>(`${base(serverId)}/findings/${encodeURIComponent(key)}/acknowledgement`, { method: "POST", body: { comment } }),
    KEYS,
  );
}

export function useToolScopesMutation(serverId: string) {
  return useApiMutation(
    ({ tool, scopes }: { tool: string; scopes: string[] | null }) =>
      api<unknown>(`${base(serverId)}/tools/${encodeURIComponent(tool)}/scopes`, scopes === null ? { method: "DELETE" } : { method: "PUT", body: { scopes } }),
    KEYS,
  );
}
