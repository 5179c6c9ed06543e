"use client";

import Link from "next/link";
import { describeAction, actorName } from "@/components/audit/describe";
import { eventHref } from "@/components/audit/integrity-check";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useAgentAuditQuery } from "@/lib/client/agents";

const AGENT_ACTIONS: Record<string, string> = {
  "agent.create": "registered the agent",
  "agent.update": "changed its details",
  "agent.version.submit": "submitted a version",
  "agent.version.approve": "approved a version",
  "agent.version.reject": "rejected a version",
  "agent.version.withdraw": "withdrew a version",
  "agent.draft.save": "saved a draft",
  "agent.draft.discard": "discarded the draft",
  "agent.key.generate": "generated a key",
  "agent.key.register": "registered a key",
  "agent.key.retire": "retired a key",
  "agent.owner.add": "added an owner",
  "agent.owner.remove": "removed an owner",
  "agent.revoke": "revoked the agent",
  "agent.delete": "deleted the agent",
};

/** The agent's latest audit events (audit.read), each opening in the Audit page. */
export function AuditCard({ agentId }: { agentId: string }) {
  const events = useAgentAuditQuery(agentId, true);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Audit events</CardTitle>
        <CardDescription>The latest changes to this agent, from the sealed audit trail.</CardDescription>
      </CardHeader>
      <CardContent>
        {events.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading audit events">
            <Skeleton className="h-5 w-full" />
            <Skeleton className="h-5 w-4/5" />
            <Skeleton className="h-5 w-3/5" />
          </div>
        ) : events.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(events.error)}
          </p>
        ) : events.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No events yet.</p>
        ) : (
          <ol className="grid gap-3 border-l pl-4" aria-label="Audit events">
            {events.data.items.map((e) => (
              <li key={e.id} className="relative text-sm">
                <span aria-hidden className="absolute top-1.5 -left-[1.3rem] size-2 rounded-full bg-primary" />
                <Link href={eventHref(e.id)} className="hover:underline">
                  <span className="font-medium">{actorName(e)}</span> {AGENT_ACTIONS[e.action] ?? describeAction(e.action)}
                </Link>
                <span className="block font-mono text-xs text-muted-foreground">{e.action}</span>
                <time dateTime={e.time} title={formatDate(e.time, true)} className="block text-xs text-muted-foreground">
                  {formatRelative(e.time)}
                </time>
              </li>
            ))}
          </ol>
        )}
        <Link href={`/audit?targetType=agent&targetId=${encodeURIComponent(agentId)}`} className="mt-4 inline-block text-sm text-primary underline-offset-4 hover:underline">
          All of this agent&apos;s events
        </Link>
      </CardContent>
    </Card>
  );
}
