// Stable query keys: one root per resource, so a mutation invalidates everything under it.

export interface AuditFilters {
  action?: string;
  actor?: string;
}

export const queryKeys = {
  users: {
    all: ["users"] as const,
    list: (q: string) => ["users", "list", { q }] as const,
    options: ["users", "options"] as const,
  },
  serviceAccounts: {
    all: ["service-accounts"] as const,
    list: () => ["service-accounts", "list"] as const,
  },
  tokens: {
    all: ["tokens"] as const,
    list: () => ["tokens", "list"] as const,
  },
  audit: {
    all: ["audit-events"] as const,
    list: (filters: AuditFilters) => ["audit-events", "list", filters] as const,
    recent: (limit: number) => ["audit-events", "recent", { limit }] as const,
    integrity: ["audit-integrity"] as const,
  },
  stats: ["stats"] as const,
};
