"use client";

import Link from "next/link";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Check, TriangleAlert, Undo2, X } from "lucide-react";
import { toast } from "sonner";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { ReasonDialog, type ReasonSpec } from "@/components/registry/catalog/reason-dialog";
import { RiskBadge, VersionStateBadge } from "@/components/registry/catalog/status-badges";
import { DocumentDiff } from "@/components/registry/review/document-diff";
import { AgentReviewDetail } from "@/components/agents/agent-review-detail";
import { PolicyReviewDetail } from "@/components/policies/policy-review-detail";
import { DriftReviewDetail, VersionSnapshotCard } from "@/components/registry/tools/review-snapshot";
import type { SnapshotDetail } from "@/lib/client/snapshots";
import { errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import type { AgentReviewDetail as AgentDetail } from "@/lib/client/agents";
import type { PolicyReviewDetail as PolicyDetail } from "@/lib/client/policies";
import { useDecideMutation, useReviewQuery, useWithdrawMutation, type ReviewDetail } from "@/lib/client/servers";

interface RuleDetail {
  rule: { id: string; namespace: string; comment: string | null; state: string; revokedAt: string | null };
  upstream: { id: string; name: string; baseUrl: string };
}

interface Detail {
  server: { id: string; name: string; riskLevel: string | null; ownerTeam: string | null };
  version: { id: string; version: string; state: string; source: string; batchId: string | null; createdAt: string };
  document: Record<string, unknown>;
  warnings: { pointer: string; message: string }[];
  previous: { id: string; version: string; status: string; publishedAt: string | null; document: unknown } | null;
  snapshot: SnapshotDetail | null;
  lastCheck: { at: string | null; error: string | null };
}

/** One review: what was submitted, what changed since the approved version, and the decision. */
export function ReviewPage({ id }: { id: string }) {
  const query = useReviewQuery(id);
  if (query.isPending) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading review">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-96 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorState error={query.error} title="Could not load this review" onRetry={() => void query.refetch()} />;
  return <ReviewView review={query.data} />;
}

type Pkg = { registryType?: string; identifier?: string; version?: string; transport?: { type?: string; url?: string }; environmentVariables?: { name: string; isSecret?: boolean }[] };
type Remote = { type?: string; url?: string; headers?: { name: string; isSecret?: boolean }[] };

function ReviewView({ review }: { review: ReviewDetail }) {
  const me = useActor();
  const can = useCan();
  const isRule = review.subject.type === "sync-rule";
  const isAgent = review.subject.type === "agent-version";
  const isDrift = review.subject.type === "tool-snapshot";
  const isPolicy = review.subject.type === "policy-version";
  const detail = isRule || isAgent || isDrift || isPolicy ? null : (review.detail as Detail | null);
  const policyDetail = isPolicy ? (review.detail as PolicyDetail | null) : null;
  const driftDetail = isDrift ? (review.detail as SnapshotDetail | null) : null;
  const agentDetail = isAgent ? (review.detail as AgentDetail | null) : null;
  const ruleDetail = isRule ? (review.detail as RuleDetail | null) : null;
  const decide = useDecideMutation();
  const withdraw = useWithdrawMutation();
  const qc = useQueryClient();
  // The review mutations refresh the catalog's queries; an agent's pages are refreshed here.
  const refreshSubject = () =>
    isAgent
      ? Promise.all([qc.invalidateQueries({ queryKey: ["agent"] }), qc.invalidateQueries({ queryKey: ["agents"] })])
      : isPolicy
        ? Promise.all(["policy", "policies", "policy-simulate", "policy-matrix"].map((k) => qc.invalidateQueries({ queryKey: [k] })))
        : undefined;
  const [reason, setReason] = useState<ReasonSpec | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const own = review.submittedBy === me.id;
  const pending = review.state === "pending";
  const shownVersion = (isAgent || isPolicy) && review.subject.version ? `v${review.subject.version}` : review.subject.version;
  const label = `${review.subject.name} ${shownVersion ?? ""}`.trim();

  const ask = (decision: "approve" | "reject") =>
    setReason({
      title: `${decision === "approve" ? "Approve" : "Reject"} ${label}?`,
      description:
        decision === "approve"
          ? isAgent
            ? "Its client_id serves this document at once, in place of the published one; the decision, your comment and the bytes' SHA-256 are audited."
            : isPolicy
              ? "This version becomes the policy's active one at once: the decision point answers token exchanges with it from the next request. The decision and your comment are audited."
              : isDrift
              ? "This snapshot becomes the pinned one and the drift flag is lifted (a withdrawn version is served again); the decision and your comment are audited."
              : "The registry serves it at once; the decision and your comment are audited."
          : "The submitter sees your comment; they can submit a fixed version.",
      label: "Comment",
      hint: decision === "reject" ? "Say what needs to change." : "Optional.",
      confirmLabel: decision === "approve" ? "Approve" : "Reject",
      destructive: decision === "reject",
      required: decision === "reject",
      run: (comment) => decide.mutateAsync({ id: review.id, decision, comment: comment || undefined }).finally(refreshSubject),
      success: decision === "approve" ? `${label} is approved` : `${label} is rejected`,
    });

  const doc = detail?.document ?? {};
  const packages = (Array.isArray(doc.packages) ? doc.packages : []) as Pkg[];
  const remotes = (Array.isArray(doc.remotes) ? doc.remotes : []) as Remote[];

  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <Link href="/servers/reviews" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4" />
          Review queue
        </Link>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="grid gap-1">
            <h1 className="text-2xl font-semibold tracking-tight break-all">
              {review.subject.name} <span className="font-mono text-lg text-muted-foreground">{shownVersion}</span>
            </h1>
            <p className="text-sm text-muted-foreground">
              Submitted {formatRelative(review.submittedAt)} by {review.submittedByName ?? "someone removed"}
              {detail && ` · from ${detail.version.source}`}
              {detail?.version.batchId && (
                <>
                  {" · "}
                  <Link href={`/servers/reviews?batch=${encodeURIComponent(detail.version.batchId)}`} className="underline">
                    its batch
                  </Link>
                </>
              )}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <VersionStateBadge state={review.state} />
            {detail && <RiskBadge risk={detail.server.riskLevel} />}
            {detail && (
              <Link href={`/servers/${detail.server.id}`} className="text-sm underline">
                Server page
              </Link>
            )}
            {agentDetail && (
              <Link href={`/agents/${encodeURIComponent(agentDetail.agent.id)}`} className="text-sm underline">
                Agent page
              </Link>
            )}
            {policyDetail && (
              <Link href={`/policies/${encodeURIComponent(policyDetail.policy.id)}`} className="text-sm underline">
                Policy page
              </Link>
            )}
          </div>
        </div>
      </div>

      {pending && can("reviews.decide") && !own && (
        <Card>
          <CardContent className="flex flex-col gap-3 pt-6 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm">
              Read the document and the changes, then decide. A second person’s decision is what {isAgent ? "publishes it at its client_id" : isPolicy ? "puts it into effect at the decision point" : "lets it into the registry"}.
            </p>
            <div className="flex gap-2">
              <Button onClick={() => ask("approve")}>
                <Check aria-hidden />
                Approve
              </Button>
              <Button variant="destructive-outline" onClick={() => ask("reject")}>
                <X aria-hidden />
                Reject
              </Button>
            </div>
          </CardContent>
        </Card>
      )}
      {pending && own && (
        <Alert tone="info" title="This is your own submission">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <span>Someone else decides it (four eyes). You can withdraw it while it waits.</span>
            <Button size="sm" variant="secondary" onClick={() => setWithdrawing(true)}>
              <Undo2 aria-hidden />
              Withdraw
            </Button>
          </div>
        </Alert>
      )}
      {!pending && (
        <Alert tone="info" title={`This review was ${review.state}`}>
          {review.decidedAt && `${formatDate(review.decidedAt, true)}`}
          {review.reviewedByName && ` by ${review.reviewedByName}`}
          {review.comment && `: “${review.comment}”`}
        </Alert>
      )}

      {isDrift ? (
        driftDetail ? (
          <DriftReviewDetail snapshot={driftDetail} />
        ) : (
          <ErrorState error={new Error("The snapshot under review no longer exists")} title="Nothing to show" />
        )
      ) : isPolicy ? (
        policyDetail ? (
          <PolicyReviewDetail detail={policyDetail} decided={!pending} />
        ) : (
          <ErrorState error={new Error("The policy version under review no longer exists")} title="Nothing to show" />
        )
      ) : isAgent ? (
        agentDetail ? (
          <AgentReviewDetail detail={agentDetail} />
        ) : (
          <ErrorState error={new Error("The agent version under review no longer exists")} title="Nothing to show" />
        )
      ) : isRule ? (
        ruleDetail ? (
          <Card>
            <CardHeader>
              <CardTitle>Sync allow rule</CardTitle>
              <CardDescription>
                Once approved, versions synced from <strong>{ruleDetail.upstream.name}</strong> whose name {ruleDetail.rule.namespace.endsWith("/") ? "starts with" : "is"}{" "}
                <code className="font-mono">{ruleDetail.rule.namespace}</code> are approved without a review of their own; each records this rule and you as its approver.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-2 text-sm">
              <div>
                <span className="text-muted-foreground">Upstream: </span>
                <span className="font-mono break-all">{ruleDetail.upstream.baseUrl}</span>
              </div>
              {ruleDetail.rule.comment && (
                <div>
                  <span className="text-muted-foreground">Why: </span>
                  {ruleDetail.rule.comment}
                </div>
              )}
              <Link href="/servers/sync" className="w-fit text-sm underline">
                Sync settings
              </Link>
            </CardContent>
          </Card>
        ) : (
          <ErrorState error={new Error("The rule under review no longer exists")} title="Nothing to show" />
        )
      ) : !detail ? (
        <ErrorState error={new Error("The version under review no longer exists")} title="Nothing to show" />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <Card>
            <CardHeader>
              <CardTitle>{detail.previous ? `Changes since ${detail.previous.version}` : "The document"}</CardTitle>
              <CardDescription>
                {detail.previous
                  ? `Compared with ${detail.previous.version}, the approved version it follows (${detail.previous.status}).`
                  : "The first version of this server: everything is new."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              <DocumentDiff
                before={detail.previous?.document ?? null}
                after={detail.document}
                beforeLabel={detail.previous ? detail.previous.version : "nothing"}
                afterLabel={detail.version.version}
              />
            </CardContent>
          </Card>
          <div className="grid content-start gap-6">
            <Card>
              <CardHeader>
                <CardTitle>Warnings</CardTitle>
                <CardDescription>Valid by the schema, but worth a look.</CardDescription>
              </CardHeader>
              <CardContent>
                {detail.warnings.length === 0 ? (
                  <p className="text-sm text-muted-foreground">None.</p>
                ) : (
                  <ul className="grid gap-2">
                    {detail.warnings.map((w, i) => (
                      <li key={i} className="flex gap-2 text-sm">
                        <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-300" />
                        <span>
                          <code className="font-mono text-xs">{w.pointer || "/"}</code> {w.message}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Packages and remotes</CardTitle>
              </CardHeader>
              <CardContent className="grid gap-3 text-sm">
                {packages.length === 0 && remotes.length === 0 && <p className="text-muted-foreground">None listed.</p>}
                {packages.map((p, i) => (
                  <div key={`p${i}`} className="grid gap-1 rounded-md border p-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge className="font-mono">{p.registryType ?? "?"}</Badge>
                      <span className="font-mono text-xs break-all">
                        {p.identifier}
                        {p.version ? `@${p.version}` : ""}
                      </span>
                    </div>
                    <span className="text-xs text-muted-foreground">
                      transport {p.transport?.type ?? "?"}
                      {p.transport?.url ? ` · ${p.transport.url}` : ""}
                    </span>
                    {p.environmentVariables && p.environmentVariables.length > 0 && (
                      <span className="text-xs text-muted-foreground">
                        env: {p.environmentVariables.map((e) => `${e.name}${e.isSecret ? " (secret)" : ""}`).join(", ")}
                      </span>
                    )}
                  </div>
                ))}
                {remotes.map((r, i) => (
                  <div key={`r${i}`} className="grid gap-1 rounded-md border p-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge className="font-mono">{r.type ?? "?"}</Badge>
                      <span className="font-mono text-xs break-all">{r.url}</span>
                    </div>
                    {r.headers && r.headers.length > 0 && (
                      <span className="text-xs text-muted-foreground">headers: {r.headers.map((h) => `${h.name}${h.isSecret ? " (secret)" : ""}`).join(", ")}</span>
                    )}
                  </div>
                ))}
              </CardContent>
            </Card>
          </div>
          <div className="lg:col-span-2">
            <VersionSnapshotCard serverId={detail.server.id} version={detail.version.version} snapshot={detail.snapshot} lastCheck={detail.lastCheck} />
          </div>
        </div>
      )}
      <ReasonDialog spec={reason} onOpenChange={(open) => !open && setReason(null)} />
      <ConfirmDialog
        open={withdrawing}
        onOpenChange={setWithdrawing}
        title={`Withdraw ${label}?`}
        description="The review is closed unanswered and the version leaves the queue."
        confirmLabel="Withdraw"
        destructive
        pending={withdraw.isPending}
        onConfirm={() =>
          withdraw.mutate(review.id, {
            onSuccess: () => toast.success(`${label} is withdrawn`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => {
              setWithdrawing(false);
              void refreshSubject();
            },
          })
        }
      />
    </div>
  );
}
