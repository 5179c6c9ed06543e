"use client";

import { useState } from "react";
import { Pencil, RefreshCw, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { SyncCounts, SyncProgress } from "@/components/registry/sync/sync-progress";
import { SyncRules } from "@/components/registry/sync/sync-rules";
import { UpstreamDialog } from "@/components/registry/sync/upstream-dialog";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useDeleteUpstreamMutation, useStartSyncMutation, type SyncCountsJson, type UpstreamJson } from "@/lib/client/sync";

const STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  idle: { label: "Never synced", tone: "neutral" },
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};

export function UpstreamCard({ upstream, canManage }: { upstream: UpstreamJson; canManage: boolean }) {
  const start = useStartSyncMutation();
  const remove = useDeleteUpstreamMutation();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const running = upstream.status === "running";
  const counts = upstream.lastCounts as SyncCountsJson | null;
  const status = STATUS[upstream.status] ?? STATUS.idle;

  return (
    <Card aria-label={upstream.name} role="region">
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-base font-semibold">{upstream.name}</h2>
            <Badge tone={status.tone}>{status.label}</Badge>
            {!upstream.enabled && <Badge>Disabled</Badge>}
          </div>
          <p className="font-mono text-xs break-all text-muted-foreground">{upstream.baseUrl}</p>
          <p className="text-xs text-muted-foreground">
            {upstream.intervalMinutes > 0 ? `Every ${upstream.intervalMinutes} min` : "On demand only"}
            {" · "}
            Last sync{" "}
            <span title={formatDate(upstream.lastFinishedAt ?? upstream.lastStartedAt, true)}>
              {formatRelative(upstream.lastFinishedAt ?? upstream.lastStartedAt)}
            </span>
            {upstream.updatedSince && ` · next run asks for changes since ${formatDate(upstream.updatedSince)}`}
          </p>
        </div>
        {canManage && (
          <div className="flex shrink-0 flex-wrap gap-2">
            <Button
              size="sm"
              disabled={running || start.isPending}
              onClick={() => start.mutate(upstream.id, { onError: (err) => toast.error(errorMessage(err)) })}
            >
              {running || start.isPending ? <Spinner /> : <RefreshCw aria-hidden />}
              Sync now
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${upstream.name}`}>
              <Pencil aria-hidden />
              Edit
            </Button>
            <Button size="sm" variant="destructive-outline" disabled={running} onClick={() => setDeleting(true)} aria-label={`Delete ${upstream.name}`}>
              <Trash2 aria-hidden />
              Delete
            </Button>
          </div>
        )}
      </CardHeader>
      <CardContent className="grid gap-5">
        {running && <SyncProgress name={upstream.name} counts={counts} />}
        {upstream.status === "failed" && upstream.lastError && <Alert title="The last run failed">{upstream.lastError}</Alert>}
        {counts ? <SyncCounts counts={counts} /> : !running && <p className="text-sm text-muted-foreground">No run yet.</p>}
        {counts && counts.problems.length > 0 && (
          <details className="rounded-lg border px-3.5 py-2.5 text-sm">
            <summary className="cursor-pointer font-medium">
              {counts.problems.length} {counts.problems.length === 1 ? "entry" : "entries"} refused
            </summary>
            <ul className="mt-2 grid gap-1.5">
              {counts.problems.map((p, i) => (
                <li key={i} className="grid">
                  <span className="font-mono text-xs break-all">{p.name ? `${p.name}${p.version ? `@${p.version}` : ""}` : "(unnamed entry)"}</span>
                  <span className="text-xs text-muted-foreground">{p.reason}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
        <SyncRules upstream={upstream} canManage={canManage} />
      </CardContent>
      {canManage && (
        <>
          <UpstreamDialog open={editing} onOpenChange={setEditing} upstream={upstream} />
          <ConfirmDialog
            open={deleting}
            onOpenChange={setDeleting}
            title={`Delete ${upstream.name}?`}
            description="Its allow rules go with it. Versions it brought stay in the catalog, with their reviews."
            confirmLabel="Delete"
            destructive
            pending={remove.isPending}
            onConfirm={() =>
              remove.mutate(upstream.id, {
                onSuccess: () => {
                  toast.success(`Deleted ${upstream.name}`);
                  setDeleting(false);
                },
                onError: (err) => toast.error(errorMessage(err)),
              })
            }
          />
        </>
      )}
    </Card>
  );
}
