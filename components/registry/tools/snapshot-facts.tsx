"use client";

import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { SnapshotDetail } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// What identifies a snapshot (era, protocol, transport, extensions, hash, when and why it was
// taken) and the server's instructions, shared by the server page and the review page.

export const shortHash = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : "none");
export const TRIGGERS: Record<string, string> = { manual: "by hand", submit: "on submission", schedule: "scheduled" };

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
        <span title={snapshot.hash ?? undefined}>sha256 {shortHash(snapshot.hash)}</span>
        {snapshot.hash && <CopyButton value={snapshot.hash} label="Copy" variant="ghost" aria-label="Copy the snapshot hash" className="h-6 px-1.5" />}
      </span>
      <span className="text-muted-foreground">
        taken{" "}
        <time dateTime={snapshot.createdAt} title={formatDate(snapshot.createdAt, true)}>
          {formatRelative(snapshot.createdAt)}
        </time>{" "}
        ({TRIGGERS[snapshot.trigger] ?? snapshot.trigger}) · version {snapshot.version}
        {snapshot.pinned && " · pinned"}
      </span>
    </div>
  );
}

/** The instructions the server gives the model, folded: they are text the model reads. */
export function SnapshotInstructions({ snapshot }: { snapshot: SnapshotDetail }) {
  if (!snapshot.instructions) return null;
  return (
    <details className="rounded-md border p-2 text-sm">
      <summary className="cursor-pointer text-xs font-medium">Server instructions</summary>
      <p className="mt-2 break-words whitespace-pre-wrap">{revealInvisible(snapshot.instructions)}</p>
    </details>
  );
}
