"use client";

import { useEffect, useRef } from "react";
import { X } from "lucide-react";
import { AuditEventDetail } from "@/components/audit/audit-event-detail";
import { actorName, describeAction } from "@/components/audit/describe";
import { IntegrityBadge } from "@/components/audit/integrity-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorState, TableSkeleton } from "@/components/ui/states";
import { useAuditEventQuery } from "@/lib/client/audit";
import { formatDate } from "@/lib/client/format";
import type { AuditFilters } from "@/lib/client/query-keys";

/** The event named in the URL (?event=<id>), opened above the list, wherever it is in the log. */
export function LinkedEvent({ id, onClose, onFilter }: { id: string; onClose: () => void; onFilter: (f: AuditFilters) => void }) {
  const event = useAuditEventQuery(id);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (event.data) ref.current?.scrollIntoView({ block: "nearest" });
  }, [event.data]);
  return (
    <Card className="overflow-hidden border-primary/40">
      <section ref={ref} aria-labelledby="linked-event-heading">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b px-5 py-3">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <h2 id="linked-event-heading" className="font-semibold">
              {event.data ? (
                <>
                  {actorName(event.data)} {describeAction(event.data.action)}{" "}
                  <span className="font-normal text-muted-foreground">· {formatDate(event.data.time, true)}</span>
                </>
              ) : (
                "Audit event"
              )}
            </h2>
            {event.data && <IntegrityBadge event={event.data} />}
          </div>
          <Button variant="ghost" size="sm" onClick={onClose}>
            <X aria-hidden />
            Close
          </Button>
        </div>
        {event.isPending ? (
          <TableSkeleton rows={3} columns={3} label="Loading the event" />
        ) : event.isError ? (
          <ErrorState error={event.error} title="Could not open this event" onRetry={() => void event.refetch()} />
        ) : (
          <AuditEventDetail event={event.data} onFilter={onFilter} />
        )}
      </section>
    </Card>
  );
}
