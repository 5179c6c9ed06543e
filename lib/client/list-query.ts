import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryKey,
  type UseInfiniteQueryResult,
} from "@tanstack/react-query";
import { api, type Query } from "@/lib/client/api";
import { invalidateAfterChange } from "@/lib/client/invalidate";
import type { Page } from "@/lib/client/types";

// One factory for every cursor-paginated list of the console API: a resource is a key, a path and
// the filters its endpoint takes. Query keys are [key, "list", filters] with empty filters
// dropped and the rest in a fixed order, so the same filters always hit the same cache entry,
// and a mutation that invalidates [key] refreshes every list of that resource.

export type ListFilters = Record<string, string | number | boolean | undefined>;

export type ListQueryResult<T> = UseInfiniteQueryResult<InfiniteData<Page<T>, string | undefined>, Error>;

/** The filters as they go into the key and the URL: no empty values, keys sorted. */
export function normalizeFilters<F extends ListFilters>(filters: F): Partial<F> {
  const out: Record<string, string | number | boolean> = {};
  for (const k of Object.keys(filters).sort()) {
    const v = filters[k];
    if (v === undefined || v === "" || v === false) continue;
    out[k] = typeof v === "string" ? v.trim() : v;
    if (out[k] === "") delete out[k];
  }
  return out as Partial<F>;
}

export interface ListQueryOptions {
  pageSize?: number;
  /** Keep showing the previous rows while a new search loads (the search box does not flash). */
  keepPrevious?: boolean;
}

export function createListQuery<T, F extends ListFilters = ListFilters>(key: string, path: string, options: ListQueryOptions = {}) {
  const { pageSize = 25, keepPrevious = true } = options;
  const keys = {
    all: [key] as const,
    lists: [key, "list"] as const,
    list: (filters: F) => [key, "list", normalizeFilters(filters)] as const,
  };

  function useListQuery(filters: F = {} as F, opts: { enabled?: boolean } = {}): ListQueryResult<T> {
    const normalized = normalizeFilters(filters);
    return useInfiniteQuery({
      queryKey: [key, "list", normalized],
      enabled: opts.enabled ?? true,
      queryFn: ({ pageParam, signal }) =>
        api<Page<T>>(path, { query: { ...(normalized as Query), cursor: pageParam, limit: pageSize }, signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      placeholderData: keepPrevious ? keepPreviousData : undefined,
    });
  }

  return Object.assign(useListQuery, { keys, path });
}

/** The rows of every page loaded so far. */
export function rowsOf<T>(query: ListQueryResult<T>): T[] {
  return query.data?.pages.flatMap((p) => p.items) ?? [];
}

/**
 * A mutation of console data: when it settles (success or failure: the server may have changed
 * something either way) it invalidates the given keys, plus the audit log and dashboard counts.
 */
export function useApiMutation<V, R>(mutationFn: (vars: V) => Promise<R>, invalidates: QueryKey[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => invalidateAfterChange(qc, ...invalidates),
  });
}
