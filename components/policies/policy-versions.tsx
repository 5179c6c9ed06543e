import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { PolicyDetail, PolicyVersionRow } from "@/lib/client/policies";
import { PolicyVersionBadge } from "./policy-badges";

function ReviewLink({ v, className }: { v: PolicyVersionRow; className?: string }) {
  if (!v.reviewId) return <span className="text-xs text-muted-foreground">—</span>;
  return (
    <Link
      href={`/servers/reviews/${encodeURIComponent(v.reviewId)}`}
      className={buttonClasses(v.state === "pending" ? "primary" : "secondary", "sm", className)}
      aria-label={`Review of version ${v.number}`}
    >
      {v.state === "pending" ? "Open review" : "Review"}
    </Link>
  );
}

/** Every version, newest first: which one is in effect, and the review of each. */
export function PolicyVersions({ policy }: { policy: PolicyDetail }) {
  const versions = policy.versions;
  const activeId = policy.active?.id;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Version history</CardTitle>
        <CardDescription>
          {versions.length === 0
            ? "Nothing submitted yet."
            : `${versions.length} version${versions.length === 1 ? "" : "s"}. Each is reviewed by someone other than its author; only the active one is applied.`}
        </CardDescription>
      </CardHeader>
      {versions.length > 0 && (
        <CardContent className="p-0">
          <Table aria-label="Versions" containerClassName="hidden sm:block">
            <TableHeader>
              <TableRow>
                <TableHead>Version</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Submitted</TableHead>
                <TableHead>Approved</TableHead>
                <TableHead className="text-right">Review</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {versions.map((v) => {
                const current = v.id === activeId || v.state === "active";
                return (
                  <TableRow key={v.id} className={current ? "bg-emerald-50/60 dark:bg-emerald-500/5" : undefined} aria-current={current ? "true" : undefined}>
                    <TableCell className="whitespace-nowrap">
                      <span className="font-medium">v{v.number}</span>
                      {current && (
                        <Badge tone="success" className="ml-2">
                          in effect
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      <PolicyVersionBadge state={v.state} />
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      <div className="grid">
                        <span title={formatDate(v.createdAt, true)}>{formatRelative(v.createdAt)}</span>
                        <span className="text-xs text-muted-foreground">by {v.submittedBy?.name ?? "someone removed"}</span>
                      </div>
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{v.approvedAt ? <span title={formatDate(v.approvedAt, true)}>{formatRelative(v.approvedAt)}</span> : <span className="text-xs text-muted-foreground">—</span>}</TableCell>
                    <TableCell className="text-right">
                      <ReviewLink v={v} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <ul aria-label="Versions" className="divide-y border-t sm:hidden">
            {versions.map((v) => (
              <li key={v.id} className="grid gap-2 p-4 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">v{v.number}</span>
                  {(v.id === activeId || v.state === "active") && <Badge tone="success">in effect</Badge>}
                  <PolicyVersionBadge state={v.state} />
                </div>
                <span className="text-xs text-muted-foreground">
                  {formatRelative(v.createdAt)} by {v.submittedBy?.name ?? "someone removed"}
                  {v.approvedAt && ` · approved ${formatRelative(v.approvedAt)}`}
                </span>
                <ReviewLink v={v} className="w-fit" />
              </li>
            ))}
          </ul>
        </CardContent>
      )}
    </Card>
  );
}
