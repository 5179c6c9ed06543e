"use client";

import Link from "next/link";
import { useState } from "react";
import { KeyRound, Plus, Upload } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { AgentSkeleton, AgentTitle } from "@/components/agents/agent-overview";
import { useAgentKeysQuery, useAgentQuery, type AgentDetail, type AgentKeys, type KeyPlacement } from "@/lib/client/agents";
import { GenerateKeyDialog, RegisterKeyDialog } from "./key-dialogs";
import { KeyTable } from "./key-table";



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
