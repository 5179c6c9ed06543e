"use client";

import Link from "next/link";
import { ArrowRight, CheckCircle2, CircleDashed, ShieldAlert, ShieldCheck, ShieldQuestion, XCircle } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { useAuditIntegrityQuery, useRequestVerification, type IntegrityState } from "@/lib/client/audit";
import { cn } from "@/lib/client/cn";
import { formatDate, formatRelative } from "@/lib/client/format";
import { ROUTES } from "@/lib/client/routes";
import type { IntegrityReport } from "@/lib/client/types";

// The integrity check runs in the background (GET /api/v1/audit/integrity reads what it found);
// the button asks for a full run now and the banner follows it until it has finished.

export const BROKEN_REASONS: Record<string, string> = {
  gap: "an event is missing from the chain",
  prev_hash_mismatch: "an event does not link to the one before it",
  hash_mismatch: "an event was changed after it was sealed",
  head_mismatch: "events were removed from the end of the chain",
  unknown_key: "an event was sealed with a key this server does not hold",
  not_canonical: "an event's stored fields were changed into something that cannot be checked",
  unchained: "an event is marked sealed but has no place in the chain",
};

/** Link to an event on the Audit page. */
export const eventHref = (id: string) => `${ROUTES.audit.href}?event=${encodeURIComponent(id)}`;

export type OverallIntegrity = "verified" | "broken" | "unverified" | "empty";

export function overallIntegrity(data: IntegrityState): OverallIntegrity {
  if (data.streams.length === 0) return "empty";
  if (data.streams.some((s) => s.status === "broken")) return "broken";
  if (data.streams.some((s) => s.status === "unverified")) return "unverified";
  return "verified";
}

export function IntegrityCheckButton() {
  const integrity = useAuditIntegrityQuery();
  const request = useRequestVerification();
  const waiting = request.isPending || !!integrity.data?.verifier.requested;
  return (
    <Button
      variant="secondary"
      onClick={() =>
        request.mutate(true, { onError: (err) => toast.error(`Could not start the check: ${errorMessage(err)}`) })
      }
      disabled={waiting}
    >
      {waiting ? <Spinner /> : <ShieldCheck aria-hidden />}
      {waiting ? "Verifying…" : "Verify now"}
    </Button>
  );
}

const TITLES: Record<OverallIntegrity, string> = {
  verified: "Audit trail verified",
  broken: "Audit trail broken",
  unverified: "Not checked yet",
  empty: "Nothing to verify yet",
};

export function IntegrityResult() {
  const integrity = useAuditIntegrityQuery();
  if (integrity.isError && !integrity.data) {
    return <Alert title="Could not load the integrity check">{errorMessage(integrity.error)}</Alert>;
  }
  if (!integrity.data) return null;
  const { streams, verifier } = integrity.data;
  const overall = overallIntegrity(integrity.data);
  const Icon = overall === "broken" ? ShieldAlert : overall === "verified" ? ShieldCheck : ShieldQuestion;
  return (
    <Card
      role="status"
      aria-live="polite"
      aria-label="Integrity check"
      className={cn("overflow-hidden", overall === "broken" && "border-red-300 dark:border-red-500/40")}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b px-5 py-3">
        <div className="flex items-center gap-2">
          <Icon
            aria-hidden
            className={cn(
              "size-5",
              overall === "broken" ? "text-destructive" : overall === "verified" ? "text-emerald-600 dark:text-emerald-400" : "text-muted-foreground",
            )}
          />
          <h2 className="font-semibold">{TITLES[overall]}</h2>
        </div>
        <p className="text-xs text-muted-foreground">
          {verifier.requested
            ? "A full check is running…"
            : verifier.lastRunAt
              ? `Checked ${formatRelative(verifier.lastRunAt)} · runs every ${verifier.intervalMinutes} min, from genesis daily`
              : `The background check runs every ${verifier.intervalMinutes} min`}
        </p>
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

function count(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function StreamResult({ report: r }: { report: IntegrityReport }) {
  const b = r.firstBroken;
  const awaiting = Math.max(0, r.chained - r.verified);
  const notes = [
    awaiting > 0 && !b && `${count(awaiting, "sealed event")} awaiting the next check`,
    r.pending > 0 && `${count(r.pending, "recent event")} not sealed yet`,
    r.quarantined > 0 && `${count(r.quarantined, "event")} quarantined (set aside, not in the chain)`,
  ].filter(Boolean);
  return (
    <li className="flex gap-3 px-5 py-3 text-sm">
      {r.status === "verified" ? (
        <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
      ) : r.status === "broken" ? (
        <XCircle aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
      ) : (
        <CircleDashed aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      )}
      <div className="grid min-w-0 gap-0.5">
        <p>
          <span className="font-medium">
            Stream <code className="font-mono">{r.stream}</code>
          </span>
          {": "}
          {r.status === "verified"
            ? r.verifiedThrough
              ? `verified through chain position ${r.verifiedThrough.chainSeq}`
              : "nothing sealed yet"
            : r.status === "broken"
              ? "broken"
              : "not checked yet"}
          {r.status === "verified" && r.verifiedThrough?.time && (
            <span className="text-muted-foreground"> (event of {formatDate(r.verifiedThrough.time, true)})</span>
          )}
        </p>
        {notes.length > 0 && <p className="text-muted-foreground">{notes.join(" · ")}</p>}
        {b && (
          <div className="grid gap-1">
            <p className="text-destructive">
              {b.chainSeq ? `First broken link at chain position ${b.chainSeq}` : "An event outside the chain"}:{" "}
              <span title={b.message}>{BROKEN_REASONS[b.reason] ?? b.message}</span>.
            </p>
            <p className="text-muted-foreground">
              {r.verifiedThrough ? `Verified through position ${r.verifiedThrough.chainSeq}; ` : "Nothing verified; "}
              events from the break on are marked unverified. Detected {formatDate(b.detectedAt, true)}.
            </p>
            {b.eventId && (
              <Link
                href={eventHref(b.eventId)}
                className="inline-flex w-fit items-center gap-1 font-medium text-primary underline-offset-4 hover:underline"
              >
                Open the first broken event <ArrowRight aria-hidden className="size-3.5" />
              </Link>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
