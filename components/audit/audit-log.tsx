"use client";

import { useCallback, useEffect, useMemo } from "react";
import { useSearchParams } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { AuditFiltersForm } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { IntegrityCheckButton, IntegrityResult } from "@/components/audit/integrity-check";
import { LinkedEvent } from "@/components/audit/linked-event";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useAuditEventsQuery, useAuditIntegrityQuery } from "@/lib/client/audit";
import { queryKeys } from "@/lib/client/query-keys";
import type { AuditFilters } from "@/lib/client/query-keys";

/**
 * Audit events, newest first, filterable by action, actor and one record (targetType and
 * targetId, e.g. from an agent's page); filters live in the URL, and so
 * does an opened event (?event=<id>, e.g. the link to the first broken one).
 */
export function AuditLog() {
  const searchParams = useSearchParams();
  const action = searchParams.get("action")?.trim() || undefined;
  const actor = searchParams.get("actor")?.trim() || undefined;
  const eventId = searchParams.get("event")?.trim() || undefined;
  const targetType = searchParams.get("targetType")?.trim() || undefined;
  const targetId = searchParams.get("targetId")?.trim() || undefined;
  const client = useQueryClient();
  const integrity = useAuditIntegrityQuery();
  // When a check finishes, the rows' integrity changes with it.
  const checkedAt = integrity.data?.verifier.lastRunAt;
  useEffect(() => {
    if (checkedAt) void client.invalidateQueries({ queryKey: queryKeys.audit.all });
  }, [checkedAt, client]);
  const filters = useMemo<AuditFilters>(() => ({ action, actor, targetType, targetId }), [action, actor, targetType, targetId]);
  const events = useAuditEventsQuery(filters);
  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);
  const filtered = Boolean(action || actor || targetId);

  const setFilters = useCallback((next: AuditFilters) => {
    const params = new URLSearchParams();
    if (next.action) params.set("action", next.action);
    if (next.actor) params.set("actor", next.actor);
    if (next.targetType) params.set("targetType", next.targetType);
    if (next.targetId) params.set("targetId", next.targetId);
    const qs = params.toString();
    // Next keeps useSearchParams in step with the native history API.
    window.history.pushState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, []);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Audit"
        description="Every change made through the console, newest first. Events are append-only and sealed into a keyed hash chain that a background check verifies, so tampering is detectable."
        actions={<IntegrityCheckButton />}
      />
      <IntegrityResult />
      {eventId && <LinkedEvent id={eventId} onClose={() => setFilters(filters)} onFilter={(f) => setFilters({ ...filters, ...f })} />}

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
