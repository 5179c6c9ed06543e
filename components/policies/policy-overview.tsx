"use client";

import Link from "next/link";
import { ArrowLeft, FilePen, FlaskConical, Grid3x3 } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { formatDate, formatRelative } from "@/lib/client/format";
import { usePolicyQuery, type PolicyDetail } from "@/lib/client/policies";
import { EnabledSwitch } from "./enabled-switch";
import { EffectBadge, PolicyStatusBadges, SuspendedBadge } from "./policy-badges";
import { PolicyFacts } from "./policy-facts";
import { PolicySentence } from "./policy-sentence";
import { PolicyVersions } from "./policy-versions";

/** One policy: what its active version says, the switch, what waits in review, its history. */
export function PolicyOverview({ id }: { id: string }) {
  const query = usePolicyQuery(id);
  if (query.isPending) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading policy">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-28 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorState error={query.error} title="Could not load this policy" onRetry={() => void query.refetch()} />;
  return <PolicyView policy={query.data} />;
}

function simulatorHref(policy: PolicyDetail, versionId?: string) {
  const doc = (policy.active ?? policy.pending)?.document;
  const q = new URLSearchParams();
  if (versionId) q.set("versionId", versionId);
  if (doc?.target.server) q.set("server", doc.target.server);
  if (doc?.agents[0]) q.set("client_id", doc.agents[0]);
  const s = q.toString();
  return `/policies/simulator${s ? `?${s}` : ""}`;
}

function PolicyView({ policy }: { policy: PolicyDetail }) {
  const can = useCan();
  const shown = policy.active ?? policy.pending;
  const doc = shown?.document;
  const base = `/policies/${encodeURIComponent(policy.id)}`;
  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <Link href="/policies" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4" />
          All policies
        </Link>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="grid min-w-0 gap-1">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{policy.name}</h1>
            <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
              {doc && <EffectBadge effect={doc.effect} />}
              <PolicyStatusBadges status={policy.status} pending={policy.pending} />
              {policy.suspended && <SuspendedBadge reason={policy.suspended} />}
              <span>
                Created {formatRelative(policy.createdAt)}, changed {formatRelative(policy.updatedAt)}
              </span>
            </p>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-2">
            <Link href={simulatorHref(policy)} className={buttonClasses("secondary")}>
              <FlaskConical aria-hidden />
              Simulate with this policy
            </Link>
            {doc && (
              <Link href={`/policies/matrix?server=${encodeURIComponent(doc.target.server)}`} className={buttonClasses("secondary")}>
                <Grid3x3 aria-hidden />
                Matrix
              </Link>
            )}
            {can("policies.submit") && (
              <Link href={`${base}/edit`} className={buttonClasses("primary")}>
                <FilePen aria-hidden />
                Edit
              </Link>
            )}
          </div>
        </div>
      </div>

      {policy.suspended && (
        <Alert tone="warning" title="Suspended: this policy grants nothing right now">
          {policy.suspended}
        </Alert>
      )}
      {policy.pending && (
        <Alert tone="info" title={`Version ${policy.pending.number} is waiting for review`}>
          <span>
            {policy.active ? `Until it is approved, version ${policy.active.number} stays in effect. ` : "Nothing is in effect until it is approved. "}
            Submitted {formatRelative(policy.pending.createdAt)} by {policy.pending.submittedBy?.name ?? "someone removed"}.{" "}
          </span>
          <span className="inline-flex flex-wrap gap-x-3">
            {policy.pending.reviewId && (
              <Link href={`/servers/reviews/${encodeURIComponent(policy.pending.reviewId)}`} className="font-medium underline underline-offset-4">
                Open the review
              </Link>
            )}
            <Link href={simulatorHref(policy, policy.pending.id)} className="font-medium underline underline-offset-4">
              Simulate version {policy.pending.number}
            </Link>
          </span>
        </Alert>
      )}

      <Card>
        <CardHeader className="sm:flex-row sm:items-start sm:justify-between sm:gap-4">
          <div className="grid gap-1">
            <CardTitle>{policy.active ? `Version ${policy.active.number}, in effect` : policy.pending ? `Version ${policy.pending.number}, proposed` : "No version in effect"}</CardTitle>
            <CardDescription>
              {policy.active
                ? `Approved ${formatDate(policy.active.approvedAt)}; submitted by ${policy.active.submittedBy?.name ?? "someone removed"}.`
                : policy.pending
                  ? "Not in effect yet: this is what the version in review says."
                  : "Every version so far was rejected or withdrawn. Edit the policy to submit another."}
            </CardDescription>
          </div>
          <div className="grid gap-1">
            <span className="text-xs font-medium text-muted-foreground uppercase">On or off</span>
            <EnabledSwitch policy={policy} />
          </div>
        </CardHeader>
        {doc && (
          <CardContent className="grid gap-5">
            <PolicySentence doc={doc} className="rounded-lg border bg-muted/40 px-4 py-3 text-sm leading-relaxed" />
            {doc.description && <p className="text-sm whitespace-pre-line">{doc.description}</p>}
            <PolicyFacts doc={doc} />
          </CardContent>
        )}
      </Card>

      <PolicyVersions policy={policy} />
    </div>
  );
}
