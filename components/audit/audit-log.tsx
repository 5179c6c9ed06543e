"use client";

import { useCallback, useMemo } from "react";
import { useSearchParams } from "next/navigation";
import { ScrollText } from "lucide-react";
import { AuditFiltersForm } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { IntegrityCheckButton, IntegrityResult } from "@/components/audit/integrity-check";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useAuditEventsQuery } from "@/lib/client/audit";
import type { AuditFilters } from "@/lib/client/query-keys";

/** Console audit events, newest first, filterable by action and actor; filters live in the URL. */
export function AuditLog() {
  const searchParams = useSearchParams();
  const action = searchParams.get("action")?.trim() || undefined;
  const actor = searchParams.get("actor")?.trim() || undefined;
  const filters = useMemo<AuditFilters>(() => ({ action, actor }), [action, actor]);
  const events = useAuditEventsQuery(filters);
  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);
  const filtered = Boolean(action || actor);

  const setFilters = useCallback((next: AuditFilters) => {
    const params = new URLSearchParams();
    if (next.action) params.set("action", next.action);
    if (next.actor) params.set("actor", next.actor);
    const qs = params.toString();
    // Next keeps useSearchParams in step with the native history API.
    window.history.pushState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, []);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Audit"
        description="Every change made through the console, newest first. Events are append-only and sealed into a hash chain, so tampering is detectable."
        actions={<IntegrityCheckButton />}
      />
      <IntegrityResult />

      <AuditFiltersForm filters={filters} onChange={setFilters} />

      <Card className="overflow-hidden">
        {events.isPending ? (
          <TableSkeleton rows={8} columns={5} label="Loading audit events" />
        ) : events.isError ? (
          <ErrorState error={events.error} title="Could not load audit events" onRetry={() => void events.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={ScrollText}
            title={filtered ? "No events match these filters" : "No audit events yet"}
            description={
              filtered ? "Try another action or actor, or clear the filters." : "Changes made in the console will be recorded here."
            }
            action={
              filtered ? (
                <Button variant="secondary" size="sm" onClick={() => setFilters({})}>
                  Clear filters
                </Button>
              ) : undefined
            }
          />
        ) : (
          <AuditTable events={rows} onFilter={(f) => setFilters({ ...filters, ...f })} />
        )}
      </Card>

      {rows.length > 0 && (
        <div className="flex flex-col items-center gap-2">
          {events.hasNextPage ? (
            <Button variant="secondary" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
              {events.isFetchingNextPage && <Spinner />}
              {events.isFetchingNextPage ? "Loading…" : "Load older events"}
            </Button>
          ) : (
            <p className="text-sm text-muted-foreground">
              {rows.length === 1 ? "1 event" : `${rows.length} events`} · that&apos;s all of them
            </p>
          )}
          {events.isFetchNextPageError && <p className="text-sm text-destructive">Could not load more events. Try again.</p>}
        </div>
      )}
    </div>
  );
}
