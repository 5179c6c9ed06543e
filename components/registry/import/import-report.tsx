"use client";

import Link from "next/link";
import { ArrowRight, CheckCircle2, CircleSlash, XCircle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/client/cn";
import type { ImportReport } from "@/lib/registry/import-file";

// What an import did, document by document: rejected first (they need the author's attention),
// then accepted (pending review, reviewed together as one batch), then unchanged.

export const batchReviewHref = (batchId: string) => `/servers/reviews?batch=${encodeURIComponent(batchId)}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function Summary({ tone, icon: Icon, label, count }: { tone: string; icon: typeof CheckCircle2; label: string; count: number }) {
  return (
    <div className="flex items-center gap-3 rounded-lg border bg-card px-4 py-3">
      <Icon aria-hidden className={cn("size-5 shrink-0", tone)} />
      <div className="grid">
        <span className="text-2xl font-semibold tabular-nums">{count.toLocaleString()}</span>
        <span className="text-xs text-muted-foreground">{label}</span>
      </div>
    </div>
  );
}

function Who({ name, version }: { name?: string; version?: string }) {
  return (
    <div className="grid min-w-0">
      <span className="font-medium [overflow-wrap:anywhere]">{name ?? <span className="text-muted-foreground italic">no name</span>}</span>
      {version && <span className="text-xs break-all text-muted-foreground">version {version}</span>}
    </div>
  );
}

export function ImportReportView({ report, total }: { report: ImportReport; total: number }) {
  const byIndex = <T extends { index: number }>(rows: T[]) => [...rows].sort((a, b) => a.index - b.index);
  const rejected = byIndex(report.rejected);
  const accepted = byIndex(report.accepted);
  const unchanged = byIndex(report.unchanged);
  return (
    <section aria-labelledby="import-report-title" className="grid gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="grid gap-1">
          <h2 id="import-report-title" className="text-lg font-semibold">
            Import report
          </h2>
          <p className="text-sm text-muted-foreground">
            {plural(total, "document")} in the file · batch <code className="font-mono text-xs">{report.batchId || "none"}</code>
          </p>
        </div>
        {accepted.length > 0 && report.batchId && (
          <Link href={batchReviewHref(report.batchId)} className={buttonClasses("primary", "md")}>
            Review this batch
            <ArrowRight aria-hidden />
          </Link>
        )}
      </div>

      <div className="grid gap-3 sm:grid-cols-3" role="group" aria-label="Import summary">
        <Summary tone="text-emerald-600 dark:text-emerald-400" icon={CheckCircle2} label="accepted, pending review" count={accepted.length} />
        <Summary tone="text-destructive" icon={XCircle} label="rejected" count={rejected.length} />
        <Summary tone="text-muted-foreground" icon={CircleSlash} label="unchanged (already imported)" count={unchanged.length} />
      </div>

      {rejected.length > 0 && (
        <Card className="overflow-hidden">
          <CardHeader className="border-b pb-4">
            <CardTitle>Rejected</CardTitle>
            <CardDescription>Nothing was stored for these documents. Fix each field named and import the file again.</CardDescription>
          </CardHeader>
          <Table>
            <caption className="sr-only">Rejected documents</caption>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16" title="Position in the file (from 0)">Index</TableHead>
                <TableHead className="min-w-56">Server</TableHead>
                <TableHead>Reasons</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rejected.map((r) => (
                <TableRow key={r.index} className="align-top">
                  <TableCell className="align-top text-muted-foreground tabular-nums">{r.index}</TableCell>
                  <TableCell className="align-top">
                    <Who name={r.name} version={r.version} />
                  </TableCell>
                  <TableCell className="align-top">
                    <ul className="grid gap-1">
                      {r.reasons.map((reason, i) => (
                        <li key={i} className="flex flex-wrap items-baseline gap-x-2">
                          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all">{reason.pointer || "/"}</code>
                          <span>{reason.message}</span>
                        </li>
                      ))}
                    </ul>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {accepted.length > 0 && (
        <Card className="overflow-hidden">
          <CardHeader className="border-b pb-4">
            <CardTitle>Accepted</CardTitle>
            <CardDescription>Each version waits for review; approvers can review the batch together.</CardDescription>
          </CardHeader>
          <Table>
            <caption className="sr-only">Accepted documents</caption>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16" title="Position in the file (from 0)">Index</TableHead>
                <TableHead className="min-w-56">Server</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Warnings</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {accepted.map((a) => (
                <TableRow key={a.index}>
                  <TableCell className="text-muted-foreground tabular-nums">{a.index}</TableCell>
                  <TableCell>
                    <Who name={a.name} version={a.version} />
                  </TableCell>
                  <TableCell>
                    <Badge tone="warning">pending review</Badge>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {a.warnings.length === 0 ? (
                      "none"
                    ) : (
                      <ul className="grid gap-1">
                        {a.warnings.map((w, i) => (
                          <li key={i} className="flex flex-wrap items-baseline gap-x-2">
                            <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all">{w.pointer || "/"}</code>
                            <span>{w.message}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {unchanged.length > 0 && (
        <Card className="overflow-hidden">
          <CardHeader className="border-b pb-4">
            <CardTitle>Unchanged</CardTitle>
            <CardDescription>These versions already exist with exactly this content; nothing new was submitted.</CardDescription>
          </CardHeader>
          <Table>
            <caption className="sr-only">Unchanged documents</caption>
            <TableHeader>
              <TableRow>
                <TableHead className="w-16" title="Position in the file (from 0)">Index</TableHead>
                <TableHead className="min-w-56">Server</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {unchanged.map((u) => (
                <TableRow key={u.index}>
                  <TableCell className="text-muted-foreground tabular-nums">{u.index}</TableCell>
                  <TableCell>
                    <Who name={u.name} version={u.version} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </section>
  );
}
