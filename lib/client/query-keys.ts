// Stable query keys: one root per resource, so a mutation invalidates everything under it. Lists
// made with createListQuery (lib/client/list-query.ts) live under the same roots.

export interface AuditFilters {
  action?: string;
  actor?: string;
  /** One record's events (e.g. an agent's: targetType "agent", its id). */
  targetType?: string;
  targetId?: string;
}

export const queryKeys = {
  users: {
    all: ["users"] as const,
    options: ["users", "options"] as const,
  },
  serviceAccounts: {
    all: ["service-accounts"] as const,
  },
  tokens: {
    all: ["tokens"] as const,
  },
  myTokens: {
    all: ["me-tokens"] as const,
  },
  settings: ["settings"] as const,
  audit: {
    all: ["audit-events"] as const,
    list: (filters: AuditFilters) => ["audit-events", "list", filters] as const,
    recent: (limit: number) => ["audit-events", "recent", { limit }] as const,
    integrity: ["audit-integrity"] as const,
  },
  stats: ["stats"] as const,
  /** Tool snapshots of one server (docs/tool-snapshots.md): the newest in full, the history, credentials. */
  snapshots: {
    all: ["snapshots"] as const,
    latest: (serverId: string) => ["snapshots", serverId, "latest"] as const,
    history: (serverId: string) => ["snapshots", serverId, "history"] as const,
    credentials: (serverId: string) => ["snapshots", serverId, "credentials"] as const,
  },
};
