"use client";

import { useQueries } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { useAgentsQuery, type AgentSummary } from "@/lib/client/agents";
import type { Page } from "@/lib/client/types";

/** The slug of one of our client_ids (…/oauth/clients/<slug>), or null for an external one. */
export function slugOfClientId(clientId: string): string | null {
  const m = /\/oauth\/clients\/([a-z0-9-]+)$/.exec(clientId);
  return m ? m[1] : null;
}

/**
 * Names for client_ids: from the agents list's first page, and for the `wanted` ones not on it,
 * a search by their slug (under the agents' query root, so changes to agents refresh them).
 * An external client_id is shown as itself; one of ours that is not found, by its slug.
 */
export function useAgentNames(wanted: readonly string[] = []): (clientId: string) => string {
  const agents = useAgentsQuery({});
  const names = new Map<string, string>();
  for (const a of agents.data?.pages.flatMap((p) => p.items) ?? []) names.set(a.clientId, a.name);
  const slugs = [...new Set(wanted.filter((c) => !names.has(c)).map(slugOfClientId).filter((s): s is string => !!s))];
  const lookups = useQueries({
    queries: slugs.map((slug) => ({
      queryKey: ["agents", "lookup", slug],
      staleTime: 60_000,
      enabled: !agents.isPending,
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Page<AgentSummary>>("/api/v1/agents", { query: { q: slug, limit: 10 }, signal }),
    })),
  });
  for (const l of lookups) for (const a of l.data?.items ?? []) names.set(a.clientId, a.name);
  return (clientId: string) => names.get(clientId) ?? slugOfClientId(clientId) ?? clientId;
}
