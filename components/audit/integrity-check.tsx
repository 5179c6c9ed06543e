"use client";

import { CheckCircle2, ShieldAlert, ShieldCheck, XCircle } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { useAuditIntegrityQuery } from "@/lib/client/audit";
import { cn } from "@/lib/client/cn";
import { formatDate } from "@/lib/client/format";
import type { IntegrityReport } from "@/lib/client/types";

// The button and the result share one query (same key), so they can sit apart on the page.

export function IntegrityCheckButton() {
  const integrity = useAuditIntegrityQuery();
  return (
    <Button variant="secondary" onClick={() => void integrity.refetch()} disabled={integrity.isFetching}>
      {integrity.isFetching ? <Spinner /> : <ShieldCheck aria-hidden />}
      {integrity.isFetching ? "Verifying…" : "Verify integrity"}
    </Button>
  );
}

const REASONS: Record<string, string> = {
  gap: "an event is missing from the chain",
  prev_hash_mismatch: "an event does not link to the one before it",
  hash_mismatch: "an event was changed after it was sealed",
  head_mismatch: "events were removed from the end of the chain",
};

export function IntegrityResult() {
  const integrity = useAuditIntegrityQuery();
  if (integrity.isError && !integrity.isFetching) {
    return <Alert title="The integrity check could not run">{errorMessage(integrity.error)}</Alert>;
  }
  if (!integrity.data) return null;
  const streams = integrity.data.streams;
  const allOk = streams.every((s) => s.ok);
  return (
    <Card
      role="status"
      aria-live="polite"
      className={cn("overflow-hidden", !allOk && "border-red-300 dark:border-red-500/40")}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b px-5 py-3">
        <div className="flex items-center gap-2">
          {allOk ? (
            <ShieldCheck aria-hidden className="size-5 text-emerald-600 dark:text-emerald-400" />
          ) : (
            <ShieldAlert aria-hidden className="size-5 text-destructive" />
          )}
          <h2 className="font-semibold">
            {streams.length === 0 ? "Nothing to verify yet" : allOk ? "Audit trail intact" : "Audit trail broken"}
          </h2>
        </div>
        <p className="text-xs text-muted-foreground">Checked {formatDate(new Date(integrity.dataUpdatedAt).toISOString(), true)}</p>
      </div>
      {streams.length > 0 && (
        <ul className="divide-y">
          {streams.map((s) => (
            <StreamResult key={s.stream} report={s} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function StreamResult({ report }: { report: IntegrityReport }) {
  const b = report.firstBroken;
  return (
    <li className="flex gap-3 px-5 py-3 text-sm">
      {report.ok ? (
        <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
      ) : (
        <XCircle aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
      )}
      <div className="grid gap-0.5">
        <p>
          <span className="font-medium">
            Stream <code className="font-mono">{report.stream}</code>
          </span>
          {": "}
          {report.ok ? "every sealed event checks out" : "broken"}
        </p>
        <p className="text-muted-foreground">
          {report.sealed} sealed {report.sealed === 1 ? "event" : "events"} verified
          {report.unsealed > 0 && ` · ${report.unsealed} recent ${report.unsealed === 1 ? "event" : "events"} not sealed yet`}
        </p>
        {b && (
          <p className="text-destructive">
            First broken link at chain position {b.chainSeq}
            {b.eventId && (
              <>
                {" "}
                (event <code className="font-mono text-xs">{b.eventId}</code>)
              </>
            )}
            : {REASONS[b.reason] ?? b.reason}. <span className="text-muted-foreground">{b.message}</span>
          </p>
        )}
      </div>
    </li>
  );
}
