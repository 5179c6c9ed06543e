"use client";

import Link from "next/link";
import { useState } from "react";
import { KeyRound, Plus, Upload } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AgentSkeleton, AgentTitle } from "@/components/agents/agent-overview";
import { errorMessage } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import { useAgentKeysQuery, useAgentQuery, useRetireKeyMutation, type AgentDetail, type AgentKey, type AgentKeys, type KeyPlacement } from "@/lib/client/agents";
import { GenerateKeyDialog, RegisterKeyDialog } from "./key-dialogs";

const STATES: Record<AgentKey["state"], { label: string; tone: BadgeTone; hint: string }> = {
  active: { label: "Active", tone: "success", hint: "Served now: authorization servers accept assertions signed with it." },
  pending: { label: "In review", tone: "info", hint: "Added by a version in review; served once it is approved." },
  retiring: { label: "Retiring", tone: "warning", hint: "Still served; a version in review removes it." },
  retired: { label: "Retired", tone: "neutral", hint: "No longer served." },
};
const SOURCES: Record<AgentKey["source"], string> = { generated: "generated here", registered: "registered", document: "in the document" };

/** How long ago, in one unit: "3 days", "5 hours". */
export function ageOf(iso: string | null, now = Date.now()): string {
  if (!iso) return "—";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return "—";
  const units: [string, number][] = [
    ["year", 365 * 86_400_000],
    ["month", 30 * 86_400_000],
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "under a minute";
}

/** Agents > Keys: the keys it signs private_key_jwt assertions with, their rotation, and new ones. */
export function AgentKeysPage({ id }: { id: string }) {
  const agent = useAgentQuery(id);
  const keys = useAgentKeysQuery(id);
  if (agent.isPending) return <AgentSkeleton label="Loading keys" />;
  if (agent.isError) return <ErrorState error={agent.error} title="Could not load this agent" onRetry={() => void agent.refetch()} />;
  return <KeysView agent={agent.data} keys={keys} />;
}

function KeysView({ agent, keys }: { agent: AgentDetail; keys: ReturnType<typeof useAgentKeysQuery> }) {
  const [generating, setGenerating] = useState(false);
  const [registering, setRegistering] = useState(false);
  const data = keys.data;
  const placement: KeyPlacement = data?.placement === "jwks_uri" ? "jwks_uri" : "jwks";
  const blocked = blockedBecause(agent, data);
  const canChange = agent.permissions.canEdit && !blocked;

  return (
    <div className="grid gap-6">
      <AgentTitle agent={agent} title={`Keys of ${agent.name}`}>
        {agent.permissions.canEdit && (
          <>
            <Button variant="secondary" disabled={!canChange} onClick={() => setRegistering(true)}>
              <Upload aria-hidden />
              Register public key
            </Button>
            <Button disabled={!canChange} onClick={() => setGenerating(true)}>
              <Plus aria-hidden />
              Generate key
            </Button>
          </>
        )}
      </AgentTitle>
      <p className="-mt-3 max-w-3xl text-sm text-muted-foreground">
        The agent signs its client assertions (private_key_jwt) with these keys. Adding a key keeps the others listed, so you can rotate without downtime; retiring removes one. Every
        change is a new version of the document, reviewed like any other.
      </p>
      {agent.permissions.canEdit && blocked && <Alert tone="info" title="Keys cannot change right now">{blocked}</Alert>}

      <Card>
        <CardHeader>
          <CardTitle>Where the keys are published</CardTitle>
          <CardDescription>
            {data?.placement === "jwks_uri"
              ? "In the hosted key set the document names as its jwks_uri:"
              : data?.placement === "external"
                ? "At a jwks_uri outside Portcullis: keys there are managed by whoever runs it."
                : data?.placement === "jwks"
                  ? "Inside the served document (jwks). A hosted key set would be served at:"
                  : "No keys yet. A hosted key set would be served at:"}
          </CardDescription>
        </CardHeader>
        {data && data.placement !== "external" && (
          <CardContent className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-xs break-all">{data.jwksUri}</code>
            <CopyButton value={data.jwksUri} label="Copy URL" />
          </CardContent>
        )}
      </Card>

      <Card className="overflow-hidden">
        {keys.isPending ? (
          <TableSkeleton rows={3} columns={5} label="Loading keys" />
        ) : keys.isError ? (
          <ErrorState error={keys.error} title="Could not load the keys" onRetry={() => void keys.refetch()} />
        ) : keys.data.items.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            title="No keys"
            description={
              agent.kind === "headless"
                ? "A headless agent authenticates with private_key_jwt: generate a key, or register the public half of one it already has."
                : "An interactive agent needs keys only if it authenticates with private_key_jwt."
            }
            action={
              agent.permissions.canEdit && canChange ? (
                <Button onClick={() => setGenerating(true)}>
                  <Plus aria-hidden />
                  Generate key
                </Button>
              ) : undefined
            }
          />
        ) : (
          <KeyTable agent={agent} items={keys.data.items} canChange={canChange} />
        )}
      </Card>

      {generating && <GenerateKeyDialog agentId={agent.id} slug={agent.slug} open={generating} onOpenChange={setGenerating} placement={placement} />}
      {registering && <RegisterKeyDialog agentId={agent.id} open={registering} onOpenChange={setRegistering} placement={placement} />}
    </div>
  );
}

/** Why keys cannot change now, or null when they can. */
function blockedBecause(agent: AgentDetail, keys: AgentKeys | undefined): React.ReactNode | null {
  if (agent.status === "revoked" || agent.status === "deleted") return "The agent is revoked.";
  if (agent.versions.length === 0) return "The agent has no document yet: submit one first, then manage its keys.";
  if (agent.pending) {
    return (
      <>
        Version {agent.pending.number} is in review; a key change would be the next version.{" "}
        {agent.pending.reviewId && (
          <Link href={`/servers/reviews/${encodeURIComponent(agent.pending.reviewId)}`} className="font-medium underline underline-offset-4">
            Open the review
          </Link>
        )}
      </>
    );
  }
  if (keys?.placement === "external") return "The document names an external jwks_uri. Edit the document to keep the keys in jwks or the hosted key set.";
  return null;
}

function KeyTable({ agent, items, canChange }: { agent: AgentDetail; items: AgentKey[]; canChange: boolean }) {
  const retire = useRetireKeyMutation(agent.id);
  const [retiring, setRetiring] = useState<AgentKey | null>(null);
  return (
    <>
      {/* A table from sm up; on phones each key is a card. */}
      <Table aria-label="Keys" containerClassName="hidden sm:block">
        <TableHeader>
          <TableRow>
            <TableHead className="pl-4">Key id (kid)</TableHead>
            <TableHead>Algorithm</TableHead>
            <TableHead>Thumbprint (RFC 7638)</TableHead>
            <TableHead>State</TableHead>
            <TableHead>Age</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((k) => (
            <TableRow key={k.thumbprint}>
              <TableCell className="max-w-56 pl-4">
                <code className="font-mono text-xs break-all">{k.kid ?? "(none)"}</code>
                <span className="block text-xs text-muted-foreground">
                  {SOURCES[k.source] ?? k.source}
                  {k.createdBy?.name ? ` by ${k.createdBy.name}` : ""}
                </span>
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <span className="font-mono text-xs">{k.alg ?? "—"}</span>
                <span className="block text-xs text-muted-foreground">
                  {k.kty}
                  {k.crv ? ` ${k.crv}` : ""}
                </span>
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <code className="max-w-48 truncate font-mono text-xs" title={k.thumbprint}>
                    {k.thumbprint}
                  </code>
                  <CopyButton value={k.thumbprint} label="Copy" aria-label={`Copy the thumbprint of ${k.kid ?? "this key"}`} />
                </div>
              </TableCell>
              <TableCell>
                <Badge tone={STATES[k.state].tone} title={STATES[k.state].hint}>
                  {STATES[k.state].label}
                </Badge>
                {k.state === "retired" && k.retiredAt && <span className="block text-xs text-muted-foreground">since {formatDate(k.retiredAt)}</span>}
              </TableCell>
              <TableCell className="whitespace-nowrap" title={formatDate(k.createdAt, true)}>
                {ageOf(k.createdAt)}
              </TableCell>
              <TableCell className="text-right">
                {canChange && k.state === "active" && k.kid && (
                  <Button size="sm" variant="destructive-outline" onClick={() => setRetiring(k)} aria-label={`Retire key ${k.kid}`}>
                    Retire
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ul aria-label="Keys" className="divide-y sm:hidden">
        {items.map((k) => (
          <li key={k.thumbprint} className="grid gap-2 p-4 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={STATES[k.state].tone}>{STATES[k.state].label}</Badge>
              <span className="font-mono text-xs">{k.alg ?? k.kty}</span>
              <span className="text-xs text-muted-foreground">{ageOf(k.createdAt)}</span>
            </div>
            <code className="font-mono text-xs break-all">{k.kid ?? "(no kid)"}</code>
            <span className="text-xs text-muted-foreground">{SOURCES[k.source] ?? k.source}</span>
            <code className="font-mono text-[11px] break-all text-muted-foreground">{k.thumbprint}</code>
            <div className="flex flex-wrap gap-2">
              <CopyButton value={k.thumbprint} label="Copy thumbprint" />
              {canChange && k.state === "active" && k.kid && (
                <Button size="sm" variant="destructive-outline" onClick={() => setRetiring(k)} aria-label={`Retire key ${k.kid}`}>
                  Retire
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={retiring !== null}
        onOpenChange={(open) => !open && setRetiring(null)}
        title={`Retire key ${retiring?.kid ?? ""}?`}
        description="A new version without this key goes to review. The key stays served until that version is approved; then assertions signed with it are refused."
        confirmLabel="Retire key"
        destructive
        pending={retire.isPending}
        onConfirm={() =>
          retiring?.kid &&
          retire.mutate(retiring.kid, {
            onSuccess: (r) => toast.success(`Version ${r.version.number}, without key ${retiring.kid}, is in review`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRetiring(null),
          })
        }
      />
    </>
  );
}
