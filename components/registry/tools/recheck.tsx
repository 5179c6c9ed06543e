"use client";

import { useState } from "react";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { useTakeSnapshotMutation } from "@/lib/client/snapshots";

// Taking a snapshot now: the button (in a card's header) and, apart from it, what went wrong (in
// the card's body), so a long reason does not squeeze the header.

interface Failure {
  title: string;
  message: string;
  reason?: string;
}

function failureOf(err: unknown): Failure {
  if (err instanceof ApiClientError && err.status === 409) {
    return { title: "A snapshot is already being taken", message: "Another check of this version is running. Wait for it to finish, then look again." };
  }
  const details = err instanceof ApiClientError && err.details && typeof err.details === "object" && !Array.isArray(err.details) ? (err.details as { reason?: unknown }) : {};
  return { title: "Could not take a snapshot", message: errorMessage(err), reason: typeof details.reason === "string" ? details.reason : undefined };
}

/** Takes a snapshot of `version` (else of the server's latest version) and keeps the failure. */
export function useRecheck(serverId: string, version?: string) {
  const take = useTakeSnapshotMutation(serverId);
  const [failure, setFailure] = useState<Failure | null>(null);
  const run = async () => {
    setFailure(null);
    try {
      const s = await take.mutateAsync(version);
      toast.success(s.drift.detected ? "Snapshot taken: the tools differ from the approved ones" : "Snapshot taken");
    } catch (err) {
      setFailure(failureOf(err));
    }
  };
  return { run, pending: take.isPending, failure };
}

export type Recheck = ReturnType<typeof useRecheck>;

export function RecheckButton({ recheck, label = "Re-check" }: { recheck: Recheck; label?: string }) {
  return (
    <Button size="sm" variant="secondary" onClick={() => void recheck.run()} disabled={recheck.pending} aria-busy={recheck.pending}>
      <RefreshCw aria-hidden className={recheck.pending ? "animate-spin" : undefined} />
      {recheck.pending ? "Connecting…" : label}
    </Button>
  );
}

export function RecheckFailure({ recheck }: { recheck: Recheck }) {
  const f = recheck.failure;
  if (!f) return null;
  return (
    <Alert title={f.title}>
      <p className="break-words">{f.message}</p>
      {f.reason && (
        <p className="mt-1 text-xs">
          Reason: <code className="font-mono">{f.reason}</code>
        </p>
      )}
    </Alert>
  );
}
