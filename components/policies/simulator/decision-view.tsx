"use client";

import Link from "next/link";
import { CircleCheck, CircleMinus, CircleX, ShieldAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/client/cn";
import type { PolicyExplanation, SimulateResult } from "@/lib/client/policies";
import { EffectBadge } from "../policy-badges";

/** The decision, big, in colour and in words: allowed (green) or denied (red). */
export function DecisionBanner({ result, busy, compact }: { result: SimulateResult; busy?: boolean; compact?: boolean }) {
  const allow = result.decision === "allow";
  const stepUp = result.error === "insufficient_user_authentication";
  const Icon = allow ? CircleCheck : stepUp ? ShieldAlert : CircleX;
  return (
    <div
      data-testid="decision"
      data-decision={result.decision}
      className={cn(
        "grid gap-3 rounded-xl border-2 p-4",
        allow
          ? "border-emerald-600/60 bg-emerald-50 text-emerald-950 dark:border-emerald-400/50 dark:bg-emerald-500/10 dark:text-emerald-50"
          : "border-red-600/60 bg-red-50 text-red-950 dark:border-red-400/50 dark:bg-red-500/10 dark:text-red-50",
      )}
    >
      <div className="flex items-center gap-3">
        <Icon aria-hidden className={cn("shrink-0", compact ? "size-7" : "size-10", allow ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300")} />
        <div className="grid min-w-0 gap-0.5">
          <p className={cn("font-semibold tracking-tight", compact ? "text-xl" : "text-3xl")}>{allow ? "Allowed" : stepUp ? "Denied: step-up needed" : "Denied"}</p>
          <p className="text-sm opacity-90">
            {allow ? (
              `An ID-JAG would be issued for ${result.scopes.length} scope${result.scopes.length === 1 ? "" : "s"}, valid ${result.ttl} s.`
            ) : (
              <>
                The token exchange would fail with <code className="font-mono break-all">{result.error ?? "access_denied"}</code>.
              </>
            )}
          </p>
        </div>
        {busy && (
          <span className="ml-auto">
            <Spinner label="Evaluating" />
          </span>
        )}
      </div>
      {allow && (
        <div className="flex flex-wrap items-center gap-1.5 text-sm">
          <span className="font-medium">Granted:</span>
          {result.scopes.map((s) => (
            <Badge key={s} tone="success" className="font-mono">
              {s}
            </Badge>
          ))}
        </div>
      )}
      {result.stepUp && (
        <p className="text-sm">
          {["The person must sign in again", result.stepUp.acr ? `with acr ${result.stepUp.acr}` : null, result.stepUp.maxAgeSeconds !== null ? `no more than ${result.stepUp.maxAgeSeconds} s before the request` : null]
            .filter(Boolean)
            .join(", ")
            .replace("again, with", "again with")}
          .
        </p>
      )}
      {result.reasons.length > 0 && (
        <ul aria-label="Reasons" className="grid list-disc gap-0.5 pl-5 text-sm">
          {result.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {!compact && (result.audience || result.resource) && (
        <p className="text-xs opacity-80">
          Evaluated for audience <code className="font-mono break-all">{result.audience ?? "—"}</code>, resource <code className="font-mono break-all">{result.resource ?? "—"}</code>.
        </p>
      )}
    </div>
  );
}

/** Each candidate policy: whether it matched, why (or why not), and the scopes it moved. */
export function ExplanationList({ result, caption = "How each policy decided" }: { result: SimulateResult; caption?: string }) {
  if (result.explanation.length === 0) {
    return <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">No active policy targets this audience and resource, so the default applies: deny.</p>;
  }
  const decided = new Set(result.policyIds);
  const matched = (m: boolean) =>
    m ? (
      <span className="inline-flex items-center gap-1 text-sm font-medium text-emerald-800 dark:text-emerald-300">
        <CircleCheck aria-hidden className="size-4" />
        Matched
      </span>
    ) : (
      <span className="inline-flex items-center gap-1 text-sm text-muted-foreground">
        <CircleMinus aria-hidden className="size-4" />
        Not matched
      </span>
    );
  const name = (e: PolicyExplanation) => (
    <>
      <Link href={`/policies/${encodeURIComponent(e.policyId)}`} className="font-medium hover:underline">
        {e.name}
      </Link>
      <span className="ml-1.5 text-xs text-muted-foreground">v{e.version}</span>
      {decided.has(e.policyId) && (
        <Badge tone="info" className="ml-1.5">
          decided
        </Badge>
      )}
    </>
  );
  const why = (e: PolicyExplanation) => (
    <>
      {e.why}
      {e.scopes.length > 0 && (
        <span className="mt-1 flex flex-wrap gap-1">
          {e.scopes.map((s) => (
            <Badge key={s} tone={e.effect === "allow" ? "success" : "danger"} className="font-mono">
              {s}
            </Badge>
          ))}
        </span>
      )}
    </>
  );
  // A list rather than a table: it sits in narrow columns (the simulator, the review), and each
  // policy's reason is a sentence that needs the width.
  return (
    <ul aria-label={caption} className="divide-y border-t">
      {result.explanation.map((e) => (
        <li key={`${e.policyId}:${e.version}`} className="grid gap-1.5 px-5 py-3 text-sm">
          <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1.5">
            <div className="min-w-0 break-words">{name(e)}</div>
            <div className="flex flex-wrap items-center gap-2">
              <EffectBadge effect={e.effect} />
              {matched(e.matched)}
            </div>
          </div>
          <div className="min-w-0 break-words text-muted-foreground">{why(e)}</div>
        </li>
      ))}
    </ul>
  );
}
