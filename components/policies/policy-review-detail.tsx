"use client";

import Link from "next/link";
import { ArrowRight, ListChecks, Minus, Plus, TriangleAlert } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DocumentDiff } from "@/components/registry/review/document-diff";
import { cn } from "@/lib/client/cn";
import { formatDate } from "@/lib/client/format";
import type { PolicyReviewDetail as Detail } from "@/lib/client/policies";
import { policyChanges, widens, type PolicyChange } from "./changes";
import { EffectBadge } from "./policy-badges";
import { PolicySentence } from "./policy-sentence";
import { ReviewSimulator } from "./simulator/review-simulator";

function ChangeItem({ change, effect }: { change: PolicyChange; effect: "allow" | "deny" }) {
  const wide = widens(change, effect);
  return (
    <li className={cn("grid gap-1 rounded-md border p-2.5 text-sm", wide && "border-amber-300 bg-amber-50/70 dark:border-amber-500/40 dark:bg-amber-500/10")}>
      <span className="flex flex-wrap items-center gap-2 font-medium">
        {change.label}
        {wide && (
          <Badge tone="warning">
            <TriangleAlert aria-hidden />
            widens access
          </Badge>
        )}
      </span>
      {change.kind === "value" ? (
        <span className="flex flex-wrap items-center gap-1.5 font-mono text-xs break-all">
          <span className="text-red-700 dark:text-red-300">
            <span className="sr-only">from </span>
            {change.from}
          </span>
          <ArrowRight aria-label="becomes" className="size-3.5 shrink-0" />
          <span className="text-emerald-700 dark:text-emerald-300">{change.to}</span>
        </span>
      ) : (
        <ul className="grid gap-0.5">
          {change.added.map((v) => (
            <li key={`+${v}`} className="flex items-start gap-1.5 font-mono text-xs break-all">
              <Plus aria-hidden className="mt-0.5 size-3.5 shrink-0 text-emerald-700 dark:text-emerald-300" />
              <span className="sr-only">added: </span>
              {v}
            </li>
          ))}
          {change.removed.map((v) => (
            <li key={`-${v}`} className="flex items-start gap-1.5 font-mono text-xs break-all">
              <Minus aria-hidden className="mt-0.5 size-3.5 shrink-0 text-red-700 dark:text-red-300" />
              <span className="sr-only">removed: </span>
              {v}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * A review of a policy version: what it says (in words), what changes against the active
 * version (in words, then the JSON), and a simulator that answers the same request with and
 * without it ("what would this change do").
 */
export function PolicyReviewDetail({ detail, decided }: { detail: Detail; decided: boolean }) {
  const { policy, version, previous } = detail;
  const doc = version.document;
  const changes = previous ? policyChanges(previous.document, doc) : [];
  return (
    <div className="grid gap-6">
      {detail.suspended && (
        <Alert tone="warning" title="Allow policies toward this server grant nothing right now">
          {detail.suspended}
        </Alert>
      )}
      <Card>
        <CardContent className="grid gap-3 pt-5 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
          <div className="grid min-w-0 gap-1">
            <Link href={`/policies/${encodeURIComponent(policy.id)}`} className="w-fit font-medium hover:underline">
              {policy.name}
            </Link>
            <span className="text-xs text-muted-foreground">
              Delegation policy (enterprise-managed authorization, XAA) · {policy.enabled ? "enabled" : "disabled"}
              {previous ? ` · v${previous.number} in effect since ${formatDate(previous.approvedAt)}` : " · nothing in effect yet"}
            </span>
          </div>
          <EffectBadge effect={doc.effect} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Version {version.number}, in words</CardTitle>
          <CardDescription>{decided ? "What this version says." : "What the decision point applies once you approve this version."}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <PolicySentence doc={doc} className="rounded-lg border bg-muted/40 px-4 py-3 text-sm leading-relaxed" />
          {doc.description && <p className="text-sm whitespace-pre-line">{doc.description}</p>}
          {previous && (
            <div className="grid gap-1.5">
              <span className="text-xs font-medium text-muted-foreground uppercase">In effect now (v{previous.number})</span>
              <PolicySentence doc={previous.document} className="text-sm leading-relaxed text-muted-foreground" />
            </div>
          )}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-labelledby="policy-changes" className="grid content-start gap-3 rounded-xl border bg-card p-4">
          <h2 id="policy-changes" className="flex items-center gap-2 text-base font-semibold">
            <ListChecks aria-hidden className="size-4 text-muted-foreground" />
            What changes
            <Badge tone={changes.length ? "warning" : "neutral"}>{previous ? (changes.length ? `${changes.length} change${changes.length === 1 ? "" : "s"}` : "none") : "new policy"}</Badge>
          </h2>
          {!previous ? (
            <p className="text-sm text-muted-foreground">The policy&apos;s first version: everything in it is new.</p>
          ) : changes.length === 0 ? (
            <p className="text-sm text-muted-foreground">The same rules as version {previous.number}.</p>
          ) : (
            <ul aria-label="Changes" className="grid gap-2">
              {changes.map((c) => (
                <ChangeItem key={c.label} change={c} effect={doc.effect} />
              ))}
            </ul>
          )}
        </section>
        <Card className="self-start">
          <CardHeader>
            <CardTitle>{previous ? `Changes since v${previous.number}` : "The policy"}</CardTitle>
            <CardDescription>{previous ? `The JSON of version ${version.number} against version ${previous.number}, the active one.` : "The JSON of the first version."}</CardDescription>
          </CardHeader>
          <CardContent>
            <DocumentDiff before={previous?.document ?? null} after={doc} beforeLabel={previous ? `v${previous.number}` : "nothing"} afterLabel={`v${version.number}`} />
          </CardContent>
        </Card>
      </div>

      <ReviewSimulator doc={doc} versionId={version.id} versionNumber={version.number} hasActive={!!previous} />
    </div>
  );
}
