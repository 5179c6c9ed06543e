"use client";

import { useState } from "react";
import { Trash2, UserPlus } from "lucide-react";
import { toast } from "sonner";
import { useActor } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { errorMessage } from "@/lib/client/api";
import { useAddAgentOwnerMutation, useRemoveAgentOwnerMutation, type AgentDetail, type PersonRef } from "@/lib/client/agents";

/** Who may change the agent: the creator and the co-owners they add (approvers may act for any agent). */
export function OwnersCard({ agent }: { agent: AgentDetail }) {
  const me = useActor();
  const manage = agent.permissions.canEdit;
  const add = useAddAgentOwnerMutation(agent.id);
  const remove = useRemoveAgentOwnerMutation(agent.id);
  const [email, setEmail] = useState("");
  const [removing, setRemoving] = useState<PersonRef | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Owners</CardTitle>
        <CardDescription>Owners change the document, the keys and this list; approvers may act for any agent.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {agent.owners.length === 0 ? (
          <p className="text-sm text-muted-foreground">No owners: only approvers can change it.</p>
        ) : (
          <ul className="grid gap-2" aria-label="Owners">
            {agent.owners.map((o) => (
              <li key={o.id} className="flex items-center justify-between gap-2 text-sm">
                <span>
                  {o.name || "someone removed"} {o.id === me.id && <Badge tone="primary">you</Badge>}
                </span>
                {manage && agent.owners.length > 1 && (
                  <Button size="icon-sm" variant="ghost" aria-label={`Remove ${o.name || "owner"} as owner`} onClick={() => setRemoving(o)}>
                    <Trash2 aria-hidden className="size-4" />
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const value = email.trim();
              if (!value) return;
              add.mutate(value, {
                onSuccess: () => {
                  toast.success(`${value} is now an owner of ${agent.name}`);
                  setEmail("");
                },
                onError: (err) => toast.error(errorMessage(err)),
              });
            }}
          >
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="colleague@example.com" aria-label="E-mail of a co-owner to add" />
            <Button type="submit" variant="secondary" disabled={add.isPending || !email.trim()}>
              <UserPlus aria-hidden />
              Add
            </Button>
          </form>
        )}
      </CardContent>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name || "this owner"}?`}
        description="They can no longer change this agent's document or keys (unless they are an approver). What they submitted stays as it is."
        confirmLabel="Remove owner"
        destructive
        pending={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => toast.success(`${removing.name || "The owner"} is no longer an owner`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRemoving(null),
          })
        }
      />
    </Card>
  );
}
