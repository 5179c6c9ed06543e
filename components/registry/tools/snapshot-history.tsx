"use client";

import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { shortHash, TRIGGERS } from "@/components/registry/tools/snapshot-facts";
import { errorMessage } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import { useSnapshotHistoryQuery } from "@/lib/client/snapshots";

// The server's last checks, newest first: what each read (hash, drift, findings) or why it failed.

export function SnapshotHistory({ serverId }: { serverId: string }) {
  const q = useSnapshotHistoryQuery(serverId);
  if (q.isPending) return <Skeleton className="h-16 w-full" />;
  if (q.isError) return <p className="text-xs text-destructive">Could not load the history: {errorMessage(q.error)}</p>;
  if (!q.data.snapshots.length) return <p className="text-xs text-muted-foreground">No check has run yet.</p>;
  return (
    <ol className="grid gap-1.5 text-xs" aria-label="Snapshot history">
      {q.data.snapshots.map((s) => (
        <li key={s.id} className="grid gap-0.5">
          <div className="flex flex-wrap items-center gap-2">
            <time dateTime={s.createdAt} className="text-muted-foreground">
              {formatDate(s.createdAt)}
            </time>
            <span>v{s.version}</span>
            {s.status === "failed" ? (
              <Badge tone="danger">failed: {s.error?.code ?? "unknown"}</Badge>
            ) : (
              <>
                <span className="font-mono" title={s.hash ?? undefined}>
                  {shortHash(s.hash)}
                </span>
                {s.pinned && <Badge tone="success">pinned</Badge>}
                {s.drifted && <Badge tone="warning">drifted</Badge>}
                <Badge tone={s.findingsSummary.high ? "danger" : s.findingsSummary.total ? "warning" : "neutral"}>
                  {s.findingsSummary.total} finding{s.findingsSummary.total === 1 ? "" : "s"}
                </Badge>
              </>
            )}
            <span className="text-muted-foreground">{TRIGGERS[s.trigger] ?? s.trigger}</span>
          </div>
          {s.status === "failed" && s.error?.message && <p className="break-words text-muted-foreground">{s.error.message}</p>}
        </li>
      ))}
    </ol>
  );
}
