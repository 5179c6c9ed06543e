"use client";

import Link from "next/link";
import { ArrowLeft, FilePen, KeyRound } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { AgentStatusBadges, EnvironmentBadge, KindBadge } from "@/components/agents/agent-badges";
import { InsecureBaseNotice } from "@/components/agents/editor/cimd-editor";
import { AuditCard } from "@/components/agents/overview/audit-card";
import { DangerActions } from "@/components/agents/overview/danger-actions";
import { DetailsCard } from "@/components/agents/overview/details-card";
import { DocumentCard } from "@/components/agents/overview/document-card";
import { ExchangeSecretCard } from "@/components/agents/overview/exchange-secret-card";
import { OwnersCard } from "@/components/agents/overview/owners-card";
import { VersionsCard } from "@/components/agents/overview/versions-card";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useAgentQuery, type AgentDetail } from "@/lib/client/agents";

/** One agent: its identity (client_id, served digest), its versions, who owns it, what it reaches. */
export function AgentOverview({ id }: { id: string }) {
  const query = useAgentQuery(id);
  if (query.isPending) return <AgentSkeleton label="Loading agent" />;
  if (query.isError) return <ErrorState error={query.error} title="Could not load this agent" onRetry={() => void query.refetch()} />;
  return <AgentView agent={query.data} />;
}

export function AgentSkeleton({ label }: { label: string }) {
  return (
    <div className="grid gap-4" aria-busy="true" aria-label={label}>
      <Skeleton className="h-8 w-72" />
      <Skeleton className="h-28 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}

/** The back link and the agent's name, shared by its pages. */
export function AgentTitle({ agent, title, children }: { agent: Pick<AgentDetail, "id" | "name" | "slug" | "status" | "pending" | "hasDraft">; title?: string; children?: React.ReactNode }) {
  return (
    <div className="grid gap-3">
      <Link href={title ? `/agents/${encodeURIComponent(agent.id)}` : "/agents"} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden className="size-4" />
        {title ? agent.name : "All agents"}
      </Link>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 gap-1">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{title ?? agent.name}</h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
            <span className="font-mono break-all">{agent.slug}</span>
            <AgentStatusBadges agent={agent} />
          </p>
        </div>
        {children && <div className="flex shrink-0 flex-wrap items-center gap-2">{children}</div>}
      </div>
    </div>
  );
}

function AgentView({ agent }: { agent: AgentDetail }) {
  const can = useCan();
  const base = `/agents/${encodeURIComponent(agent.id)}`;
  return (
    <div className="grid gap-6">
      <AgentTitle agent={agent}>
        <Link href={`${base}/keys`} className={buttonClasses("secondary")}>
          <KeyRound aria-hidden />
          Keys{agent.keyCount ? ` (${agent.keyCount})` : ""}
        </Link>
        {agent.permissions.canEdit && (
          <Link href={`${base}/edit`} className={buttonClasses("primary")}>
            <FilePen aria-hidden />
            {agent.hasDraft ? "Continue the draft" : "Edit document"}
          </Link>
        )}
        <DangerActions agent={agent} />
      </AgentTitle>

      {agent.revoked && (
        <Alert title={`Revoked ${formatRelative(agent.revoked.at)} by ${agent.revoked.by?.name || "someone removed"}`}>
          {formatDate(agent.revoked.at, true)}. Its document is no longer served and it cannot be restored.
          {agent.revoked.reason && <> Reason: “{agent.revoked.reason}”</>}
        </Alert>
      )}
      {agent.insecureBase && agent.status !== "revoked" && <InsecureBaseNotice />}
      {agent.pending && (
        <Alert tone="info" title={`Version ${agent.pending.number} is waiting for review`}>
          {agent.status === "published" ? `Until it is approved, v${agent.published?.number} stays served. ` : "Nothing is served until it is approved. "}
          {agent.pending.reviewId && (
            <Link href={`/servers/reviews/${encodeURIComponent(agent.pending.reviewId)}`} className="font-medium underline underline-offset-4">
              Open the review
            </Link>
          )}
        </Alert>
      )}
      {agent.draft && agent.permissions.canEdit && (
        <Alert tone="info" title="An unsubmitted draft is waiting">
          Saved {formatRelative(agent.draft.updatedAt)}.{" "}
          <Link href={`${base}/edit`} className="font-medium underline underline-offset-4">
            Continue editing
          </Link>
        </Alert>
      )}

      <IdentityCard agent={agent} />
      <VersionsCard agent={agent} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid content-start gap-6">
          <DocumentCard agent={agent} />
          {can("audit.read") && <AuditCard agentId={agent.id} />}
        </div>
        <div className="grid content-start gap-6">
          <DetailsCard agent={agent} />
          <OwnersCard agent={agent} />
          <ExchangeSecretCard agent={agent} />
        </div>
      </div>
    </div>
  );
}

/** What an authorization server sees: the client_id, and the digest of the bytes served there. */
function IdentityCard({ agent }: { agent: AgentDetail }) {
  return (
    <Card>
      <CardContent className="grid gap-4 pt-5 md:grid-cols-2">
        <div className="grid min-w-0 content-start gap-1.5">
          <span className="text-xs font-medium text-muted-foreground uppercase">client_id</span>
          <code className="font-mono text-sm break-all" aria-label="client_id">
            {agent.clientId}
          </code>
          <div className="flex flex-wrap items-center gap-2">
            <CopyButton value={agent.clientId} label="Copy client_id" />
            <KindBadge kind={agent.kind} />
            <EnvironmentBadge environment={agent.environment} />
          </div>
        </div>
        <div className="grid min-w-0 content-start gap-1.5">
          <span className="text-xs font-medium text-muted-foreground uppercase">SHA-256 of the served bytes</span>
          {agent.published && agent.status === "published" ? (
            <>
              <code className="font-mono text-xs break-all" aria-label="SHA-256 of the served document">
                {agent.published.sha256}
              </code>
              <span className="text-xs text-muted-foreground">
                v{agent.published.number}
                {agent.published.publishedAt && `, published ${formatRelative(agent.published.publishedAt)}`}. The approval&apos;s audit event records the same digest.
              </span>
              <div>
                <CopyButton value={agent.published.sha256} label="Copy SHA-256" />
              </div>
            </>
          ) : (
            <span className="text-sm text-muted-foreground">{agent.status === "revoked" ? "Nothing: the agent is revoked." : "Nothing is served yet: no version has been approved."}</span>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
