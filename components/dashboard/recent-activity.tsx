"use client";

import Link from "next/link";
import { ArrowRight, ScrollText } from "lucide-react";
import { actorName, describeAction, targetName } from "@/components/audit/describe";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useRecentAuditEventsQuery } from "@/lib/client/audit";
import { cn } from "@/lib/client/cn";
import { formatDate, formatRelative } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";

const LIMIT = 8;

/** The latest console audit events, linking to the full Audit page. */
export function RecentActivity({ className }: { className?: string }) {
  const events = useRecentAuditEventsQuery(LIMIT);
  return (
    <Card className={cn("flex flex-col", className)}>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Recent console activity</CardTitle>
          <CardDescription>Every change made in the console is an audit event.</CardDescription>
        </div>
        <Link
          href={ROUTES.audit.href}
          className="inline-flex shrink-0 items-center gap-1 text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          View all <ArrowRight aria-hidden className="size-3.5" />
        </Link>
      </CardHeader>
      {events.isPending ? (
        <TableSkeleton rows={5} columns={3} label="Loading recent activity" />
      ) : events.isError ? (
        <ErrorState error={events.error} title="Could not load recent activity" onRetry={() => void events.refetch()} />
      ) : events.data.items.length === 0 ? (
        <EmptyState icon={ScrollText} title="No activity yet" description="Changes made in the console will appear here." />
      ) : (
        <ol className="divide-y border-t">
          {events.data.items.map((e) => {
            const target = targetName(e);
            const who = actorName(e);
            return (
              <li key={e.id} className="flex items-start justify-between gap-4 px-5 py-3">
                <p className="min-w-0 text-sm">
                  <span className="font-medium">{who}</span>{" "}
                  <span className="text-muted-foreground">{describeAction(e.action)}</span>
                  {target && target !== who && (
                    <>
                      {" "}
                      <span className="font-medium break-all">{target}</span>
                    </>
                  )}
                </p>
                <time dateTime={e.time} title={formatDate(e.time, true)} className="shrink-0 text-xs text-muted-foreground">
                  {formatRelative(e.time)}
                </time>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
