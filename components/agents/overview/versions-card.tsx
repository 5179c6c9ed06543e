import Link from "next/link";
import { TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AgentVersionBadge, ShortSha } from "@/components/agents/agent-badges";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { AgentDetail } from "@/lib/client/agents";

const SOURCES: Record<string, string> = { console: "console", api: "API", keys: "key change" };

/** Every version of the document, newest first: which one is served, and the review of each. */
export function VersionsCard({ agent }: { agent: AgentDetail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Versions</CardTitle>
        <CardDescription>
          {agent.versions.length === 0
            ? "Nothing submitted yet."
            : `${agent.versions.length} version${agent.versions.length === 1 ? "" : "s"}. Only the current one is served; each was reviewed by someone other than its submitter.`}
        </CardDescription>
      </CardHeader>
      {agent.versions.length > 0 && (
        <CardContent className="p-0">
          {/* A table from sm up; on phones each version is a card, so nothing runs off the screen. */}
          <Table aria-label="Versions" containerClassName="hidden sm:block">
            <TableHeader>
              <TableRow>
                <TableHead>Version</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Submitted</TableHead>
                <TableHead>SHA-256</TableHead>
                <TableHead className="text-right">Review</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {agent.versions.map((v) => (
                <TableRow key={v.id} className={v.current ? "bg-emerald-50/60 dark:bg-emerald-500/5" : undefined} aria-current={v.current ? "true" : undefined}>
                  <TableCell className="whitespace-nowrap">
                    <span className="font-medium">v{v.number}</span>
                    {v.current && (
                      <Badge tone="success" className="ml-2">
                        served
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="grid justify-items-start gap-1">
                      <AgentVersionBadge state={v.state} />
                      {v.warnings.length > 0 && (
                        <span className="inline-flex items-center gap-1 text-xs text-amber-700 dark:text-amber-300" title={v.warnings.map((w) => w.message).join("\n")}>
                          <TriangleAlert aria-hidden className="size-3" />
                          {v.warnings.length} warning{v.warnings.length === 1 ? "" : "s"}
                        </span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <div className="grid">
                      <span title={formatDate(v.createdAt, true)}>{formatRelative(v.createdAt)}</span>
                      <span className="text-xs text-muted-foreground">
                        by {v.submittedBy?.name || "someone removed"} · {SOURCES[v.source] ?? v.source}
                      </span>
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <div className="grid">
                      <ShortSha sha256={v.sha256} />
                      <span className="text-xs text-muted-foreground">{v.size} bytes</span>
                    </div>
                  </TableCell>
                  <TableCell className="text-right">
                    {v.review ? (
                      <Link
                        href={`/servers/reviews/${encodeURIComponent(v.review.id)}`}
                        className={buttonClasses(v.review.state === "pending" ? "primary" : "secondary", "sm")}
                        aria-label={`Review of version ${v.number}`}
                      >
                        {v.review.state === "pending" ? "Open review" : "Review"}
                      </Link>
                    ) : (
                      <span className="text-xs text-muted-foreground">—</span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <ul aria-label="Versions" className="divide-y border-t sm:hidden">
            {agent.versions.map((v) => (
              <li key={v.id} className="grid gap-2 p-4 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">v{v.number}</span>
                  {v.current && <Badge tone="success">served</Badge>}
                  <AgentVersionBadge state={v.state} />
                </div>
                <span className="text-xs text-muted-foreground">
                  {formatRelative(v.createdAt)} by {v.submittedBy?.name || "someone removed"} · {SOURCES[v.source] ?? v.source} · {v.size} bytes
                </span>
                <ShortSha sha256={v.sha256} />
                {v.warnings.length > 0 && (
                  <span className="text-xs text-amber-700 dark:text-amber-300">
                    {v.warnings.length} warning{v.warnings.length === 1 ? "" : "s"}
                  </span>
                )}
                {v.review && (
                  <Link href={`/servers/reviews/${encodeURIComponent(v.review.id)}`} className={buttonClasses("secondary", "sm", "w-fit")}>
                    {v.review.state === "pending" ? "Open review" : "Review"}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </CardContent>
      )}
    </Card>
  );
}
