"use client";

import Link from "next/link";
import { TriangleAlert, Wrench } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Skeleton } from "@/components/ui/skeleton";
import { CredentialsCard } from "@/components/registry/tools/credentials-card";
import { FindingsPanel } from "@/components/registry/tools/findings-panel";
import { RecheckButton, RecheckFailure, useRecheck } from "@/components/registry/tools/recheck";
import { SnapshotDiff } from "@/components/registry/tools/snapshot-diff";
import { shortHash, SnapshotFacts, SnapshotInstructions } from "@/components/registry/tools/snapshot-facts";
import { SnapshotHistory } from "@/components/registry/tools/snapshot-history";
import { PromptsAndResources } from "@/components/registry/tools/snapshot-items";
import { ToolList } from "@/components/registry/tools/tool-list";
import { formatDate, formatRelative } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";
import type { ServerDetail } from "@/lib/client/servers";
import { useLatestSnapshotQuery, type SnapshotDetail } from "@/lib/client/snapshots";

// The server page's Tools section: what the server really offers (its newest snapshot), the
// drift from what was approved, the poisoning findings, re-checking, and the credentials the
// check uses (docs/tool-snapshots.md).

function DriftBanner({ server, snapshot }: { server: ServerDetail; snapshot: SnapshotDetail | null }) {
  const drift = server.drift;
  if (!drift?.detected) return null;
  return (
    <div role="status" className="grid gap-3 rounded-lg border border-amber-500/40 bg-amber-50 p-4 dark:bg-amber-500/10">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-amber-900 dark:text-amber-200">
        <TriangleAlert aria-hidden className="size-4" />
        Tools changed since approval (version {drift.version}, since {formatDate(drift.since)}).
        {drift.reviewId && (
          <Link className="underline underline-offset-2" href={`${ROUTES.serverReviews.href}/${encodeURIComponent(drift.reviewId)}`}>
            Review the new snapshot
          </Link>
        )}
      </p>
      <p className="font-mono text-xs text-amber-900/80 dark:text-amber-200/80">
        <span title={drift.pinnedHash ?? undefined}>pinned {shortHash(drift.pinnedHash)}</span> → <span title={drift.currentHash ?? undefined}>now {shortHash(drift.currentHash)}</span>
      </p>
      {snapshot?.diff && snapshot.isCurrentDrift && <SnapshotDiff diff={snapshot.diff} />}
    </div>
  );
}

export function ServerTools({ server }: { server: ServerDetail }) {
  const can = useCan();
  const q = useLatestSnapshotQuery(server.id);
  const recheck = can("servers.recheck");
  const snapshot = q.data ?? null;
  // The served (latest approved) version when there is one, as the drift banner speaks of it.
  const take = useRecheck(server.id, server.drift?.version ?? snapshot?.version);
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
          {recheck && <RecheckButton recheck={take} label={snapshot ? "Re-check" : "Take a snapshot"} />}
        </CardHeader>
        <CardContent className="grid gap-5">
          <RecheckFailure recheck={take} />
          <DriftBanner server={server} snapshot={snapshot} />
          {!take.failure && server.drift?.lastCheckError && (
            <p className="rounded-md bg-red-50 p-2 text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300">
              The last check failed {formatRelative(server.drift.lastCheckedAt)}: {server.drift.lastCheckError}
            </p>
          )}
          {q.isPending ? (
            <Skeleton className="h-40 w-full" />
          ) : q.isError ? (
            <ErrorState error={q.error} title="Could not load the snapshot" onRetry={() => void q.refetch()} />
          ) : !snapshot ? (
            <EmptyState
              icon={Wrench}
              title="No snapshot yet"
              description={`Nothing has been read from this server yet. The background check tries within a minute of submission${recheck ? ", or take one now" : ""}.`}
            />
          ) : (
            <>
              <SnapshotFacts snapshot={snapshot} />
              <SnapshotInstructions snapshot={snapshot} />
              <section className="grid gap-2" aria-label="Poisoning findings">
                <h3 className="text-sm font-semibold">
                  Findings{" "}
                  {snapshot.findingsSummary.total > 0 && (
                    <span className="font-normal text-muted-foreground">
                      ({snapshot.findingsSummary.high} high, {snapshot.findingsSummary.medium} medium, {snapshot.findingsSummary.low} low
                      {snapshot.version === server.drift?.version && server.findings ? `; ${server.findings.unacknowledged} not acknowledged` : ""})
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
            </>
          )}
          <details>
            <summary className="cursor-pointer text-xs font-medium">Snapshot history</summary>
            <div className="mt-2">
              <SnapshotHistory serverId={server.id} />
            </div>
          </details>
        </CardContent>
      </Card>
      {recheck && <CredentialsCard serverId={server.id} />}
    </section>
  );
}
