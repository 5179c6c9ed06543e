"use client";

import Link from "next/link";
import { useState } from "react";
import { RefreshCw, TriangleAlert, Wrench } from "lucide-react";
import { toast } from "sonner";
import { useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Skeleton } from "@/components/ui/skeleton";
import { CredentialsCard } from "@/components/registry/tools/credentials-card";
import { FindingsPanel } from "@/components/registry/tools/findings-panel";
import { SnapshotDiff } from "@/components/registry/tools/snapshot-diff";
import { PromptsAndResources, ToolList } from "@/components/registry/tools/tool-list";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { ServerDetail } from "@/lib/client/servers";
import { useLatestSnapshotQuery, useSnapshotHistoryQuery, useTakeSnapshotMutation, type SnapshotDetail } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// The server page's Tools section: what the server really offers (its newest snapshot), the
// drift from what was approved, the poisoning findings, re-checking, and the credentials the
// check uses (docs/tool-snapshots.md).

const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : "none");

export function RecheckButton({ serverId, label = "Re-check" }: { serverId: string; label?: string }) {
  const take = useTakeSnapshotMutation(serverId);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async () => {
    setFailure(null);
    try {
      const s = await take.mutateAsync(undefined);
      toast.success(s.drift.detected ? "Snapshot taken: the tools differ from the approved ones" : "Snapshot taken");
    } catch (err) {
      const reason = err instanceof ApiClientError && err.details && typeof err.details === "object" ? (err.details as { reason?: string }).reason : undefined;
      setFailure(reason ? `${errorMessage(err)} (${reason})` : errorMessage(err));
    }
  };
  return (
    <div className="grid justify-items-end gap-1">
      <Button size="sm" variant="secondary" onClick={() => void run()} disabled={take.isPending}>
        <RefreshCw aria-hidden className={take.isPending ? "animate-spin" : undefined} />
        {take.isPending ? "Connecting…" : label}
      </Button>
      {failure && (
        <p role="alert" className="max-w-md text-right text-xs text-destructive">
          {failure}
        </p>
      )}
    </div>
  );
}

/** Era, protocol, hash and extensions of a snapshot, in one line. */
export function SnapshotFacts({ snapshot }: { snapshot: SnapshotDetail }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <Badge tone="info">{snapshot.era === "modern" ? "2026 era" : "2025 era"}</Badge>
      <Badge>protocol {snapshot.protocolVersion}</Badge>
      <Badge>{snapshot.transport}</Badge>
      {snapshot.extensions.map((e) => (
        <Badge key={e} tone="primary">
          {e}
        </Badge>
      ))}
      <span className="inline-flex items-center gap-1 font-mono text-muted-foreground">
        sha256 {short(snapshot.hash)}
        {snapshot.hash && <CopyButton value={snapshot.hash} label="Copy" variant="ghost" aria-label="Copy the snapshot hash" className="h-6 px-1.5" />}
      </span>
      <span className="text-muted-foreground">
        taken {formatRelative(snapshot.createdAt)} ({snapshot.trigger}) · version {snapshot.version}
        {snapshot.pinned && " · pinned"}
      </span>
    </div>
  );
}

function DriftBanner({ server, snapshot }: { server: ServerDetail; snapshot: SnapshotDetail | null }) {
  const drift = server.drift;
  if (!drift?.detected) return null;
  return (
    <div role="status" className="grid gap-3 rounded-lg border border-amber-500/40 bg-amber-50 p-4 dark:bg-amber-500/10">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-amber-900 dark:text-amber-200">
        <TriangleAlert aria-hidden className="size-4" />
        Tools changed since approval (version {drift.version}, since {formatDate(drift.since)}).
        {drift.reviewId && (
          <Link className="underline underline-offset-2" href={`/servers/reviews/${encodeURIComponent(drift.reviewId)}`}>
            Review the new snapshot
          </Link>
        )}
      </p>
      <p className="font-mono text-xs text-amber-900/80 dark:text-amber-200/80">
        pinned {short(drift.pinnedHash)} → now {short(drift.currentHash)}
      </p>
      {snapshot?.diff && snapshot.isCurrentDrift && <SnapshotDiff diff={snapshot.diff} />}
    </div>
  );
}

function History({ serverId }: { serverId: string }) {
  const q = useSnapshotHistoryQuery(serverId);
  if (q.isPending) return <Skeleton className="h-16 w-full" />;
  if (q.isError) return <p className="text-xs text-destructive">{errorMessage(q.error)}</p>;
  return (
    <ol className="grid gap-1 text-xs" aria-label="Snapshot history">
      {q.data.snapshots.map((s) => (
        <li key={s.id} className="flex flex-wrap items-center gap-2">
          <span className="text-muted-foreground">{formatDate(s.createdAt)}</span>
          <span>v{s.version}</span>
          {s.status === "failed" ? (
            <Badge tone="danger" title={s.error?.message ?? undefined}>
              failed: {s.error?.code}
            </Badge>
          ) : (
            <>
              <span className="font-mono">{short(s.hash)}</span>
              {s.pinned && <Badge tone="success">pinned</Badge>}
              {s.drifted && <Badge tone="warning">drifted</Badge>}
              {s.findingsSummary.total > 0 && <Badge tone="danger">{s.findingsSummary.total} findings</Badge>}
            </>
          )}
          <span className="text-muted-foreground">{s.trigger}</span>
        </li>
      ))}
    </ol>
  );
}

export function ServerTools({ server }: { server: ServerDetail }) {
  const can = useCan();
  const q = useLatestSnapshotQuery(server.id);
  const recheck = can("servers.recheck");
  const snapshot = q.data ?? null;
  return (
    <section className="grid gap-6" aria-labelledby="tools-heading">
      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1">
            <CardTitle id="tools-heading" className="flex items-center gap-2">
              <Wrench aria-hidden className="size-4" /> What the server offers
            </CardTitle>
            <CardDescription>Read from the server itself with the MCP client, pinned at approval and re-checked since.</CardDescription>
          </div>
          {recheck && <RecheckButton serverId={server.id} label={snapshot ? "Re-check" : "Take a snapshot"} />}
        </CardHeader>
        <CardContent className="grid gap-5">
          <DriftBanner server={server} snapshot={snapshot} />
          {server.drift?.lastCheckError && (
            <p className="rounded-md bg-red-50 p-2 text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300">
              The last check failed {formatRelative(server.drift.lastCheckedAt)}: {server.drift.lastCheckError}
            </p>
          )}
          {q.isPending ? (
            <Skeleton className="h-40 w-full" />
          ) : q.isError ? (
            <ErrorState error={q.error} title="Could not load the snapshot" onRetry={() => void q.refetch()} />
          ) : !snapshot ? (
            <EmptyState icon={Wrench} title="No snapshot yet" description="No one has connected to this server yet. The background check takes one within a minute of submission, or take one now." />
          ) : (
            <>
              <SnapshotFacts snapshot={snapshot} />
              {snapshot.instructions && (
                <details className="rounded-md border p-2 text-sm">
                  <summary className="cursor-pointer text-xs font-medium">Server instructions</summary>
                  <p className="mt-2 whitespace-pre-wrap">{revealInvisible(snapshot.instructions)}</p>
                </details>
              )}
              <section className="grid gap-2" aria-label="Poisoning findings">
                <h3 className="text-sm font-semibold">
                  Findings{" "}
                  {snapshot.findingsSummary.total > 0 && (
                    <span className="font-normal text-muted-foreground">
                      ({snapshot.findingsSummary.high} high, {snapshot.findingsSummary.medium} medium, {snapshot.findingsSummary.low} low)
                    </span>
                  )}
                </h3>
                <FindingsPanel serverId={server.id} findings={snapshot.findings} canAcknowledge={can("reviews.decide")} />
              </section>
              <section className="grid gap-2">
                <h3 className="text-sm font-semibold">Tools ({snapshot.tools.length})</h3>
                <ToolList snapshot={snapshot} serverId={server.id} canEditScopes={recheck} />
              </section>
              <PromptsAndResources snapshot={snapshot} />
              <details>
                <summary className="cursor-pointer text-xs font-medium">Snapshot history</summary>
                <div className="mt-2">
                  <History serverId={server.id} />
                </div>
              </details>
            </>
          )}
        </CardContent>
      </Card>
      {recheck && <CredentialsCard serverId={server.id} />}
    </section>
  );
}
