"use client";

import Link from "next/link";
import { useState } from "react";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { AgentFields, type AgentFieldValues } from "@/components/agents/agent-fields";
import { EnvironmentBadge, KindBadge } from "@/components/agents/agent-badges";
import { splitRefusal } from "@/components/agents/api-errors";
import { formatDate } from "@/lib/client/format";
import { useUpdateAgentMutation, type AgentDetail } from "@/lib/client/agents";

/** What the agent is for people (not served): purpose, team, environment, the servers it reaches. */
export function DetailsCard({ agent }: { agent: AgentDetail }) {
  const [editing, setEditing] = useState(false);
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-2">
        <div className="grid gap-1">
          <CardTitle>Details</CardTitle>
          <CardDescription>For people; not part of the served document.</CardDescription>
        </div>
        {agent.permissions.canEdit && (
          <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
            <Pencil aria-hidden />
            Edit
          </Button>
        )}
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[minmax(6rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-2.5 text-sm">
          <dt className="text-muted-foreground">Kind</dt>
          <dd>
            <KindBadge kind={agent.kind} />
          </dd>
          <dt className="text-muted-foreground">Environment</dt>
          <dd>
            <EnvironmentBadge environment={agent.environment} />
          </dd>
          <dt className="text-muted-foreground">Purpose</dt>
          <dd className="whitespace-pre-wrap">{agent.purpose || <span className="text-muted-foreground">—</span>}</dd>
          <dt className="text-muted-foreground">Owner team</dt>
          <dd>{agent.ownerTeam || <span className="text-muted-foreground">—</span>}</dd>
          <dt className="text-muted-foreground">Registered</dt>
          <dd>{formatDate(agent.createdAt)}</dd>
          <dt className="text-muted-foreground">Servers</dt>
          <dd>
            {agent.servers.length === 0 ? (
              <span className="text-muted-foreground">none linked</span>
            ) : (
              <ul className="grid gap-1" aria-label="Linked servers">
                {agent.servers.map((s) => (
                  <li key={s.id}>
                    <Link href={`/servers/${encodeURIComponent(s.id)}`} className="font-mono text-xs break-all text-primary underline-offset-4 hover:underline">
                      {s.name}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </CardContent>
      <Dialog open={editing} onOpenChange={setEditing}>
        <DialogContent className="max-w-2xl">{editing && <EditDetails agent={agent} onDone={() => setEditing(false)} />}</DialogContent>
      </Dialog>
    </Card>
  );
}

function EditDetails({ agent, onDone }: { agent: AgentDetail; onDone: () => void }) {
  const update = useUpdateAgentMutation(agent.id);
  const [values, setValues] = useState<AgentFieldValues>({
    name: agent.name,
    environment: agent.environment ?? "",
    purpose: agent.purpose ?? "",
    ownerTeam: agent.ownerTeam ?? "",
    servers: agent.servers,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!values.name.trim()) return setErrors({ name: "is required" });
        update.mutate(
          {
            name: values.name.trim(),
            environment: values.environment || undefined,
            purpose: values.purpose.trim() || null,
            ownerTeam: values.ownerTeam.trim() || null,
            servers: values.servers.map((s) => s.id),
          },
          {
            onSuccess: () => {
              toast.success(`${values.name.trim()} is updated`);
              onDone();
            },
            onError: (err) => {
              const split = splitRefusal(err);
              setErrors(split.fields);
              setMessage(split.message);
            },
          },
        );
      }}
    >
      <DialogHeader>
        <DialogTitle>Edit details of {agent.name}</DialogTitle>
        <DialogDescription>These are not served and need no review; the change is audited.</DialogDescription>
      </DialogHeader>
      <AgentFields value={values} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} errors={errors} />
      {message && (
        <p role="alert" className="text-sm text-destructive">
          {message}
        </p>
      )}
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={update.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending}>
          {update.isPending && <Spinner />}
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}
