"use client";

import Link from "next/link";
import { Wrench } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { FindingsPanel } from "@/components/registry/tools/findings-panel";
import { SnapshotDiff } from "@/components/registry/tools/snapshot-diff";
import { ToolList } from "@/components/registry/tools/tool-list";
import { RecheckButton, RecheckFailure, useRecheck } from "@/components/registry/tools/recheck";
import { SnapshotFacts, SnapshotInstructions } from "@/components/registry/tools/snapshot-facts";
import { formatRelative } from "@/lib/client/format";
import type { SnapshotDetail } from "@/lib/client/snapshots";

// What a reviewer sees of a server's real tools: beside a server version's server.json, its
// newest snapshot; for a drift review (subject "tool-snapshot"), the diff from the pinned one.

export function VersionSnapshotCard({
  serverId,
  version,
  snapshot,
  lastCheck,
}: {
  serverId: string;
  /** The version under review: a snapshot taken here is of it. */
  version?: string;
  snapshot: SnapshotDetail | null;
  lastCheck?: { at: string | null; error: string | null };
}) {
  const can = useCan();
  const take = useRecheck(serverId, version);
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle>What the server offers</CardTitle>
          <CardDescription>Its tools as the server itself lists them; approving pins this snapshot.</CardDescription>
        </div>
        {can("servers.recheck") && <RecheckButton recheck={take} label={snapshot ? "Re-check" : "Take a snapshot"} />}
      </CardHeader>
      <CardContent className="grid gap-4">
        <RecheckFailure recheck={take} />
        {!take.failure && lastCheck?.error && (
          <p className="rounded-md bg-red-50 p-2 text-xs text-red-800 dark:bg-red-500/10 dark:text-red-300">
            The last check failed{lastCheck.at ? ` ${formatRelative(lastCheck.at)}` : ""}: {lastCheck.error}
          </p>
        )}
        {!snapshot ? (
          <EmptyState icon={Wrench} title="No snapshot yet" description="The background check takes one within a minute of submission; approving before then pins the first one taken." />
        ) : (
          <>
            <SnapshotFacts snapshot={snapshot} />
            <SnapshotInstructions snapshot={snapshot} />
            <FindingsPanel serverId={serverId} findings={snapshot.findings} canAcknowledge={can("reviews.decide")} />
            <ToolList snapshot={snapshot} serverId={serverId} canEditScopes={can("servers.recheck")} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function DriftReviewDetail({ snapshot }: { snapshot: SnapshotDetail }) {
  const can = useCan();
  const serverId = snapshot.serverId;
  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card>
        <CardHeader>
          <CardTitle>Changes since the approved tools</CardTitle>
          <CardDescription>
            Version {snapshot.version} of{" "}
            <Link className="underline" href={`/servers/${encodeURIComponent(serverId)}`}>
              {snapshot.server?.name ?? "this server"}
            </Link>{" "}
            now offers something else than what was pinned{snapshot.pinnedSnapshot ? ` (${snapshot.pinnedSnapshot.hash?.slice(0, 12)})` : ""}. Approving pins this snapshot and lifts the drift flag.
          </CardDescription>
        </CardHeader>
        <CardContent>{snapshot.diff ? <SnapshotDiff diff={snapshot.diff} /> : <p className="text-sm text-muted-foreground">No diff was recorded.</p>}</CardContent>
      </Card>
      <div className="grid content-start gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Poisoning findings</CardTitle>
          </CardHeader>
          <CardContent>
            <FindingsPanel serverId={serverId} findings={snapshot.findings} canAcknowledge={can("reviews.decide")} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>The new snapshot</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            <SnapshotFacts snapshot={snapshot} />
            <SnapshotInstructions snapshot={snapshot} />
            <ToolList snapshot={snapshot} serverId={serverId} canEditScopes={false} />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
