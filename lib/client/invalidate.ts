import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";

/** Every console change writes an audit event and may move a dashboard count, so those are
 * refreshed along with the resource that changed. */
export function invalidateAfterChange(qc: QueryClient, ...keys: QueryKey[]) {
  return Promise.all(
    [...keys, queryKeys.audit.all, queryKeys.stats].map((queryKey) => qc.invalidateQueries({ queryKey })),
  );
}
