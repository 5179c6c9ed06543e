"use client";

import { Fragment, useState } from "react";
import { ChevronRight } from "lucide-react";
import { AuditEventDetail } from "@/components/audit/audit-event-detail";
import { IntegrityBadge } from "@/components/audit/integrity-badge";
import { actorName, targetName } from "@/components/audit/describe";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/client/cn";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { AuditFilters } from "@/lib/client/query-keys";
import type { AuditEventJson } from "@/lib/client/types";

/**
 * Audit events as rows; each row opens to show its before/after JSON. Below the `sm` breakpoint
 * time, actor, action and target stack in one cell, and from `sm` to `lg` the target is left to
 * the detail, so the table fits a phone without clipping.
 */
export function AuditTable({ events, onFilter }: { events: AuditEventJson[]; onFilter: (f: AuditFilters) => void }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Table>
      <caption className="sr-only">Console audit events, newest first</caption>
      <TableHeader>
        <TableRow>
          <TableHead className="w-10 pr-0">
            <span className="sr-only">Details</span>
          </TableHead>
          <TableHead className="sm:hidden">Event</TableHead>
          <TableHead className="hidden sm:table-cell">Time</TableHead>
          <TableHead className="hidden sm:table-cell">Actor</TableHead>
          <TableHead className="hidden sm:table-cell">Action</TableHead>
          <TableHead className="hidden lg:table-cell">Target</TableHead>
          <TableHead className="text-right">Integrity</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((e) => {
          const expanded = open.has(e.id);
          const detailId = `audit-${e.id}`;
          const target = targetName(e);
          return (
            <Fragment key={e.id}>
              <TableRow className={cn("hover:bg-muted/50", expanded && "bg-muted/40")}>
                <TableCell className="py-2 pr-0">
                  <button
                    type="button"
                    onClick={() => toggle(e.id)}
                    aria-expanded={expanded}
                    aria-controls={detailId}
                    className="flex size-7 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:bg-muted hover:text-foreground"
                  >
                    <ChevronRight aria-hidden className={cn("size-4 transition-transform", expanded && "rotate-90")} />
                    <span className="sr-only">
                      {expanded ? "Hide" : "Show"} details of {e.action} at {formatDate(e.time, true)}
                    </span>
                  </button>
                </TableCell>
                <TableCell className="sm:hidden">
                  {/* no <code> here: the desktop cell's action code stays the row's only one */}
                  <div className="grid min-w-0 gap-0.5">
                    <span className="font-medium [overflow-wrap:anywhere]">{actorName(e)}</span>
                    <span className="font-mono text-xs [overflow-wrap:anywhere]">{e.action}</span>
                    {target && <span className="text-xs text-muted-foreground [overflow-wrap:anywhere]">{target}</span>}
                    <time dateTime={e.time} title={formatDate(e.time, true)} className="text-xs text-muted-foreground">
                      {formatRelative(e.time)}
                    </time>
                  </div>
                </TableCell>
                <TableCell className="hidden whitespace-nowrap sm:table-cell">
                  <time dateTime={e.time} title={formatDate(e.time, true)} className="grid">
                    <span>{formatDate(e.time)}</span>
                    <span className="text-xs text-muted-foreground">{formatRelative(e.time)}</span>
                  </time>
                </TableCell>
                <TableCell className="hidden max-w-60 sm:table-cell">
                  <div className="grid">
                    <span className="font-medium break-words">{actorName(e)}</span>
                    <span className="text-xs text-muted-foreground">{e.actor.type}</span>
                  </div>
                </TableCell>
                <TableCell className="hidden sm:table-cell">
                  <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs whitespace-nowrap">{e.action}</code>
                </TableCell>
                <TableCell className="hidden max-w-64 lg:table-cell">
                  {e.target ? (
                    <div className="grid">
                      <span className="[overflow-wrap:anywhere]">{target}</span>
                      <span className="text-xs text-muted-foreground">{e.target.type}</span>
                    </div>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </TableCell>
                <TableCell className="text-right">
                  <IntegrityBadge event={e} />
                </TableCell>
              </TableRow>
              {expanded && (
                <TableRow id={detailId} className="bg-muted/25">
                  <TableCell colSpan={7} className="p-0">
                    <AuditEventDetail event={e} onFilter={onFilter} />
                  </TableCell>
                </TableRow>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
