"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { ArrowLeft, Ban, CircleCheck, History, TriangleAlert, Undo2 } from "lucide-react";
import { toast } from "sonner";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/states";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ReasonDialog, type ReasonSpec } from "@/components/registry/catalog/reason-dialog";
import { RiskBadge, VersionStateBadge } from "@/components/registry/catalog/status-badges";
import { InstallSnippets } from "@/components/registry/server/install-snippets";
import { ServerMetadata } from "@/components/registry/server/server-metadata";
import { ServerTools } from "@/components/registry/server/server-tools";
import { OwnersEditor } from "@/components/owners/owners-editor";
import { errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import {
  useAddOwnerMutation,
  useRemoveOwnerMutation,
  useServerQuery,
  useVersionStatusMutation,
  useWithdrawMutation,
  type ServerDetail,
  type ServerVersionDetail,
} from "@/lib/client/servers";

const HISTORY_LABELS: Record<string, string> = {
  "server.version.submit": "submitted",
  "server.version.approve": "approved",
  "server.version.reject": "rejected",
  "server.version.withdraw": "withdrew",
  "server.version.admit": "admitted by a sync rule",
  "server.version.deprecate": "deprecated",
  "server.version.revoke": "revoked",
  "server.version.activate": "re-activated",
};

/** One server: its versions and their review and registry status, who did what, how to install it. */
export function ServerPage({ id }: { id: string }) {
  const query = useServerQuery(id);
  if (query.isPending) {
    return (
      <div className="grid gap-4" aria-busy="true" aria-label="Loading server">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorState error={query.error} title="Could not load this server" onRetry={() => void query.refetch()} />;
  return <ServerView server={query.data} />;
}

function ServerView({ server }: { server: ServerDetail }) {
  const headline = server.versions.find((v) => v.isLatest) ?? server.versions[0];
  const approved = server.versions.filter((v) => v.state === "approved" && v.status !== "deleted");
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const shown = server.versions.find((v) => v.id === selected) ?? approved.find((v) => v.isLatest) ?? approved[0] ?? headline;

  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <Link href="/servers" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft aria-hidden className="size-4" />
          All servers
        </Link>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="grid min-w-0 gap-1">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{headline?.title ?? server.name}</h1>
            <p className="font-mono text-sm break-all text-muted-foreground">{server.name}</p>
            {headline?.description && <p className="max-w-3xl text-sm text-muted-foreground">{headline.description}</p>}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {headline && <VersionStateBadge state={headline.state} status={headline.status} />}
            <RiskBadge risk={server.riskLevel} />
            {server.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </div>
        </div>
      </div>

      <VersionsCard server={server} onShow={setSelected} shownId={shown?.id} />

      <ServerTools server={server} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid content-start gap-6">
          {shown && <InstallSnippets key={shown.id} version={shown} />}
          {shown && <DocumentCard version={shown} />}
        </div>
        <div className="grid content-start gap-6">
          <ServerMetadata server={server} />
          <OwnersCard server={server} />
          <AgentsCard server={server} />
          <PoliciesCard server={server} />
          <HistoryCard server={server} />
        </div>
      </div>
    </div>
  );
}

function approvalOf(v: ServerVersionDetail) {
  const decided = [...v.reviews].reverse().find((r) => r.state === "approved" || r.state === "rejected");
  return decided ?? null;
}

function VersionsCard({ server, onShow, shownId }: { server: ServerDetail; onShow: (id: string) => void; shownId?: string }) {
  const me = useActor();
  const can = useCan();
  const decider = can("reviews.decide");
  const status = useVersionStatusMutation(server.id);
  const withdraw = useWithdrawMutation();
  const [reason, setReason] = useState<ReasonSpec | null>(null);
  const [withdrawing, setWithdrawing] = useState<ServerVersionDetail | null>(null);

  const label = (v: ServerVersionDetail) => `${server.name} ${v.version}`;
  const change = (v: ServerVersionDetail, to: "active" | "deprecated" | "deleted") => {
    const specs: Record<typeof to, Omit<ReasonSpec, "run" | "success">> = {
      deprecated: {
        title: `Deprecate ${label(v)}?`,
        description: "The registry keeps serving it, marked deprecated, so clients can warn people and move on. You can re-activate it later.",
        label: "Reason",
        hint: "Shown to clients as the status message, e.g. “Use 2.x: 1.x no longer receives fixes”.",
        confirmLabel: "Deprecate",
      },
      deleted: {
        title: `Revoke ${label(v)}?`,
        description: "The registry marks it deleted at once and clients stop offering it. A revoked version cannot be re-activated: a fix comes as a new version.",
        label: "Reason",
        hint: "Recorded in the audit log and served as the status message.",
        confirmLabel: "Revoke",
        destructive: true,
        required: true,
      },
      active: {
        title: `Re-activate ${label(v)}?`,
        description: "The deprecation is lifted and the registry serves it as active again.",
        label: "Note (optional)",
        confirmLabel: "Re-activate",
      },
    };
    setReason({
      ...specs[to],
      run: (text) => status.mutateAsync({ versionId: v.id, status: to, statusMessage: text || undefined }),
      success: to === "deleted" ? `${label(v)} is revoked` : to === "deprecated" ? `${label(v)} is deprecated` : `${label(v)} is active again`,
    });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Versions</CardTitle>
        <CardDescription>
          {server.versions.length} version{server.versions.length === 1 ? "" : "s"}; the registry serves the approved ones, and “latest” is the highest approved version.
        </CardDescription>
      </CardHeader>
      <CardContent className="overflow-x-auto p-0">
        <Table aria-label="Versions">
          <TableHeader>
            <TableRow>
              <TableHead>Version</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Submitted</TableHead>
              <TableHead>Decided</TableHead>
              <TableHead>Source</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {server.versions.map((v) => {
              const decided = approvalOf(v);
              const pendingReview = v.reviews.find((r) => r.state === "pending");
              return (
                <TableRow key={v.id} aria-current={v.id === shownId ? "true" : undefined} className={v.id === shownId ? "bg-muted/50" : undefined}>
                  <TableCell>
                    <button type="button" onClick={() => onShow(v.id)} className="font-mono text-sm font-medium hover:underline focus-visible:underline" aria-label={`Show ${label(v)}`}>
                      {v.version}
                    </button>
                    {v.isLatest && (
                      <Badge tone="primary" className="ml-2">
                        latest
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="grid justify-items-start gap-1">
                      <VersionStateBadge state={v.state} status={v.status} />
                      {v.statusMessage && <span className="max-w-56 text-xs text-muted-foreground">{v.statusMessage}</span>}
                      {Array.isArray(v.warnings) && v.warnings.length > 0 && (
                        <span className="inline-flex items-center gap-1 text-xs text-amber-700 dark:text-amber-300">
                          <TriangleAlert aria-hidden className="size-3" />
                          {v.warnings.length} warning{v.warnings.length === 1 ? "" : "s"}
                        </span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <div className="grid">
                      <span title={formatDate(v.createdAt, true)}>{formatRelative(v.createdAt)}</span>
                      <span className="text-xs text-muted-foreground">by {v.submittedByName ?? "someone removed"}</span>
                    </div>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {decided ? (
                      <div className="grid">
                        <span title={formatDate(decided.decidedAt, true)}>
                          {decided.state} {formatRelative(decided.decidedAt)}
                        </span>
                        <span className="text-xs text-muted-foreground">by {decided.reviewedByName ?? "someone removed"}</span>
                        {decided.comment && <span className="max-w-56 truncate text-xs text-muted-foreground" title={decided.comment}>“{decided.comment}”</span>}
                      </div>
                    ) : v.admittedByRuleId ? (
                      <span className="text-xs text-muted-foreground">admitted by a sync rule</span>
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge>{v.source}</Badge>
                  </TableCell>
                  <TableCell className="text-right">
                    <div className="flex flex-wrap justify-end gap-1.5">
                      {pendingReview && decider && pendingReview && (
                        <Link href={`/servers/reviews/${pendingReview.id}`} className={buttonClasses("secondary", "sm")}>
                          Review
                        </Link>
                      )}
                      {pendingReview && v.submittedBy === me.id && (
                        <Button size="sm" variant="secondary" onClick={() => setWithdrawing(v)} aria-label={`Withdraw ${label(v)}`}>
                          <Undo2 aria-hidden />
                          Withdraw
                        </Button>
                      )}
                      {decider && v.state === "approved" && v.status === "active" && (
                        <Button size="sm" variant="secondary" onClick={() => change(v, "deprecated")} aria-label={`Deprecate ${label(v)}`}>
                          <History aria-hidden />
                          Deprecate
                        </Button>
                      )}
                      {decider && v.state === "approved" && v.status === "deprecated" && (
                        <Button size="sm" variant="secondary" onClick={() => change(v, "active")} aria-label={`Re-activate ${label(v)}`}>
                          <CircleCheck aria-hidden />
                          Re-activate
                        </Button>
                      )}
                      {decider && v.state === "approved" && v.status !== "deleted" && (
                        <Button size="sm" variant="destructive-outline" onClick={() => change(v, "deleted")} aria-label={`Revoke ${label(v)}`}>
                          <Ban aria-hidden />
                          Revoke
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
      <ReasonDialog spec={reason} onOpenChange={(open) => !open && setReason(null)} />
      <ConfirmDialog
        open={withdrawing !== null}
        onOpenChange={(open) => !open && setWithdrawing(null)}
        title={withdrawing ? `Withdraw ${label(withdrawing)}?` : ""}
        description="The review is closed unanswered and the version leaves the queue. You can submit the version again later under a new version number."
        confirmLabel="Withdraw"
        destructive
        pending={withdraw.isPending}
        onConfirm={() => {
          const v = withdrawing;
          const review = v?.reviews.find((r) => r.state === "pending");
          if (!v || !review) return;
          withdraw.mutate(review.id, {
            onSuccess: () => toast.success(`${label(v)} is withdrawn`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setWithdrawing(null),
          });
        }}
      />
    </Card>
  );
}

function DocumentCard({ version }: { version: ServerVersionDetail }) {
  const text = useMemo(() => JSON.stringify(version.document, null, 2), [version.document]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>server.json of {version.version}</CardTitle>
        <CardDescription>The document as it was submitted{version.state === "approved" ? " and is served" : ""}.</CardDescription>
      </CardHeader>
      <CardContent>
        <details>
          <summary className="cursor-pointer text-sm font-medium">Show the document</summary>
          <pre className="mt-3 max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed">{text}</pre>
        </details>
      </CardContent>
    </Card>
  );
}

function OwnersCard({ server }: { server: ServerDetail }) {
  const me = useActor();
  const can = useCan();
  return (
    <OwnersEditor
      owners={server.owners.map((o) => ({ id: o.userId, name: o.name, addedAt: o.addedAt }))}
      manage={can("reviews.decide") || (can("servers.submit") && server.owners.some((o) => o.userId === me.id))}
      description="Owners submit new versions and manage this list; approvers may act for any server."
      removeDescription="They can no longer submit versions of this server (unless they are an approver). Their past submissions stay as they are."
      add={useAddOwnerMutation(server.id)}
      remove={useRemoveOwnerMutation(server.id)}
    />
  );
}

function AgentsCard({ server }: { server: ServerDetail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Agents</CardTitle>
        <CardDescription>Agents registered to reach this server.</CardDescription>
      </CardHeader>
      <CardContent>
        {server.agents.length === 0 ? (
          <p className="text-sm text-muted-foreground">No agent names this server yet.</p>
        ) : (
          <ul className="grid gap-2 text-sm">
            {server.agents.map((a) => (
              <li key={a.id} className="flex items-center justify-between gap-2">
                <Link href={`/agents/${encodeURIComponent(a.id)}`} className="truncate font-medium underline-offset-4 hover:underline">
                  {a.name} <span className="font-mono text-xs text-muted-foreground">{a.slug}</span>
                </Link>
                <Badge tone={a.status === "published" ? "success" : a.status === "revoked" ? "danger" : "neutral"}>{a.status}</Badge>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function PoliciesCard({ server }: { server: ServerDetail }) {
  const drifted = !!server.drift?.detected;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Delegation policies</CardTitle>
        <CardDescription>
          Enterprise-managed authorization (XAA): who may let which agents act toward this server.{drifted && " Grants are suspended while its tools have drifted."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {server.policies.length === 0 ? (
          <p className="text-sm text-muted-foreground">No policy targets this server.</p>
        ) : (
          <ul className="grid gap-2 text-sm">
            {server.policies.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-2">
                <Link href={`/policies/${encodeURIComponent(p.id)}`} className="min-w-0 truncate font-medium underline-offset-4 hover:underline">
                  {p.name} <span className="text-xs text-muted-foreground">{p.scopes.join(" ") || "all scopes"}</span>
                </Link>
                <span className="flex shrink-0 gap-1">
                  <Badge tone={p.effect === "deny" ? "danger" : "success"}>{p.effect}</Badge>
                  <Badge tone={p.status === "active" ? "info" : "neutral"}>{p.status}</Badge>
                </span>
              </li>
            ))}
          </ul>
        )}
        <Link href={`/policies/matrix?server=${encodeURIComponent(server.name)}`} className="mt-3 inline-block text-sm underline-offset-4 hover:underline">
          Who may act here: the matrix
        </Link>
      </CardContent>
    </Card>
  );
}

function HistoryCard({ server }: { server: ServerDetail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Status history</CardTitle>
        <CardDescription>Who submitted, approved, deprecated or revoked which version, and when.</CardDescription>
      </CardHeader>
      <CardContent>
        {server.history.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>
        ) : (
          <ol className="grid gap-3 border-l pl-4">
            {server.history.map((h) => (
              <li key={h.id} className="relative text-sm">
                <span aria-hidden className="absolute top-1.5 -left-[1.3rem] size-2 rounded-full bg-primary" />
                <span className="font-medium">{h.actor ?? "Someone"}</span> {HISTORY_LABELS[h.action] ?? h.action}{" "}
                <span className="font-mono text-xs">{h.version}</span>
                {h.message && <span className="block text-xs text-muted-foreground">“{h.message}”</span>}
                <time dateTime={h.at} title={formatDate(h.at, true)} className="block text-xs text-muted-foreground">
                  {formatRelative(h.at)}
                </time>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
