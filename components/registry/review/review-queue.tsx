"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { CheckCheck, ClipboardCheck, Layers, X, XCircle } from "lucide-react";
import { toast } from "sonner";
import { useActor } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ReasonDialog, type ReasonSpec } from "@/components/registry/catalog/reason-dialog";
import { VersionStateBadge } from "@/components/registry/catalog/status-badges";
import { formatDate, formatRelative } from "@/lib/client/format";
import { rowsOf } from "@/lib/client/list-query";
import { useBatchDecideMutation, useReviewsQuery, type ReviewListItem } from "@/lib/client/servers";

const KINDS = [
  { value: "server-version", label: "Server versions" },
  { value: "sync-rule", label: "Sync allow rules" },
  { value: "agent-version", label: "Agent versions" },
  { value: "tool-snapshot", label: "Tool drift" },
  { value: "policy-version", label: "Policy versions" },
];

const STATES = [
  { value: "pending", label: "Awaiting review" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "withdrawn", label: "Withdrawn" },
];

/**
 * The review queue for approvers: pending server versions, newest first, optionally one batch
 * (an import or a sync run). Select many and decide them with one comment; each is still its
 * own four-eyes decision, and your own submissions are refused one by one.
 */
export function ReviewQueue() {
  const me = useActor();
  const router = useRouter();
  const params = useSearchParams();
  const batch = params.get("batch") ?? "";
  const [state, setState] = useState("pending");
  const [kind, setKind] = useState(() => (KINDS.some((k) => k.value === params.get("type")) ? params.get("type")! : "server-version"));
  const reviews = useReviewsQuery({ state, type: kind, batch });
  const rules = kind === "sync-rule";
  const agents = kind === "agent-version";
  const policies = kind === "policy-version";
  const rows = rowsOf(reviews);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const decidable = useMemo(() => rows.filter((r) => r.state === "pending" && r.submittedBy !== me.id), [rows, me.id]);
  const chosen = decidable.filter((r) => selected.has(r.id));
  const batchDecide = useBatchDecideMutation();
  const [reason, setReason] = useState<ReasonSpec | null>(null);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allChosen = decidable.length > 0 && chosen.length === decidable.length;

  const decide = (decision: "approve" | "reject") =>
    setReason({
      title: `${decision === "approve" ? "Approve" : "Reject"} ${chosen.length} version${chosen.length === 1 ? "" : "s"}?`,
      description:
        decision === "approve"
          ? "Each becomes its own audited decision with this comment, and the registry serves them at once."
          : "Each becomes its own audited decision with this comment; the submitters see it.",
      label: "Comment",
      hint: "One comment for all of them.",
      confirmLabel: decision === "approve" ? "Approve all" : "Reject all",
      destructive: decision === "reject",
      required: decision === "reject",
      run: async (comment) => {
        const res = await batchDecide.mutateAsync({ ids: chosen.map((r) => r.id), decision, comment: comment || undefined });
        setSelected(new Set());
        if (res.refused) toast.warning(`${res.refused} could not be decided: ${res.results.find((r) => !r.ok)?.error?.message ?? ""}`);
        return res;
      },
      success: `${chosen.length} decision${chosen.length === 1 ? "" : "s"} recorded`,
    });

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Review queue"
        description="Server versions, sync allow rules and agents' client metadata awaiting a second pair of eyes. Open one to read what changed since the approved version, or what a rule would admit."
        actions={
          <Link href="/servers" className={buttonClasses("secondary")}>
            Catalog
          </Link>
        }
      />
      <div className="flex flex-wrap items-center gap-2">
        <Select
          size="sm"
          aria-label="What is reviewed"
          value={kind}
          onValueChange={(v) => {
            setKind(v);
            setSelected(new Set());
          }}
          options={KINDS}
          className="w-auto min-w-44"
        />
        <Select
          size="sm"
          aria-label="Review state"
          value={state}
          onValueChange={(v) => {
            setState(v);
            setSelected(new Set());
          }}
          options={STATES}
          className="w-auto min-w-44"
        />
        {batch && (
          <Badge tone="info" className="gap-1.5 py-1">
            <Layers aria-hidden />
            Batch <span className="font-mono">{batch}</span>
            <button type="button" onClick={() => router.push("/servers/reviews")} aria-label="Show every batch" className="rounded hover:bg-sky-100 dark:hover:bg-sky-500/20">
              <X aria-hidden />
            </button>
          </Badge>
        )}
        {state === "pending" && (
          <div className="ml-auto flex flex-wrap items-center gap-2" role="toolbar" aria-label="Batch decision">
            <span className="text-sm text-muted-foreground" aria-live="polite">
              {chosen.length} selected
            </span>
            <Button size="sm" onClick={() => decide("approve")} disabled={chosen.length === 0}>
              <CheckCheck aria-hidden />
              Approve selected
            </Button>
            <Button size="sm" variant="destructive-outline" onClick={() => decide("reject")} disabled={chosen.length === 0}>
              <XCircle aria-hidden />
              Reject selected
            </Button>
          </div>
        )}
      </div>
      <Card className="overflow-hidden">
        {reviews.isPending ? (
          <TableSkeleton rows={5} columns={4} label="Loading reviews" />
        ) : reviews.isError && rows.length === 0 ? (
          <ErrorState error={reviews.error} title="Could not load reviews" onRetry={() => void reviews.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={ClipboardCheck}
            title={state === "pending" ? "Nothing awaits review" : "No reviews here"}
            description={state === "pending" ? "New submissions, imports and syncs land here for a second person to decide." : "Try another state."}
          />
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="Reviews">
              <TableHeader>
                <TableRow>
                  {state === "pending" && (
                    <TableHead className="w-10">
                      <input
                        type="checkbox"
                        aria-label="Select every review you may decide"
                        checked={allChosen}
                        onChange={() => setSelected(allChosen ? new Set() : new Set(decidable.map((r) => r.id)))}
                        className="size-4 accent-primary"
                      />
                    </TableHead>
                  )}
                  <TableHead>{rules ? "Namespace" : agents ? "Agent" : policies ? "Policy" : "Server"}</TableHead>
                  <TableHead>{rules ? "Upstream" : "Version"}</TableHead>
                  <TableHead>Submitted</TableHead>
                  <TableHead>State</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r: ReviewListItem) => {
                  const own = r.submittedBy === me.id;
                  return (
                    <TableRow key={r.id}>
                      {state === "pending" && (
                        <TableCell>
                          <input
                            type="checkbox"
                            aria-label={own ? `${r.subject.name} ${r.subject.version}: your own submission, someone else decides it` : `Select ${r.subject.name} ${r.subject.version}`}
                            disabled={own || r.state !== "pending"}
                            checked={selected.has(r.id)}
                            onChange={() => toggle(r.id)}
                            className="size-4 accent-primary"
                          />
                        </TableCell>
                      )}
                      <TableCell>
                        <Link href={`/servers/reviews/${r.id}`} className="font-medium break-all hover:underline focus-visible:underline">
                          {r.subject.name}
                        </Link>
                        {own && (
                          <Badge tone="primary" className="ml-2">
                            yours
                          </Badge>
                        )}
                      </TableCell>
                      <TableCell className={rules ? "text-sm" : "font-mono text-xs"}>{agents || policies ? `v${r.subject.version}` : r.subject.version}</TableCell>
                      <TableCell className="whitespace-nowrap">
                        <span title={formatDate(r.submittedAt, true)}>{formatRelative(r.submittedAt)}</span>
                        <span className="block text-xs text-muted-foreground">by {r.submittedByName ?? "someone removed"}</span>
                      </TableCell>
                      <TableCell>
                        <VersionStateBadge state={r.state} />
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </Card>
      {reviews.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void reviews.fetchNextPage()} disabled={reviews.isFetchingNextPage}>
            Load more reviews
          </Button>
        </div>
      )}
      <ReasonDialog spec={reason} onOpenChange={(open) => !open && setReason(null)} />
    </div>
  );
}
