"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Ban, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { useCan } from "@/components/shell/actor-context";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { ReasonDialog, type ReasonSpec } from "@/components/registry/catalog/reason-dialog";
import { errorMessage } from "@/lib/client/api";
import { useDeleteAgentMutation, useRevokeAgentMutation, type AgentDetail } from "@/lib/client/agents";

/** Revoke (stops serving at once, for good) and delete (hides it; the slug stays taken). */
export function DangerActions({ agent }: { agent: AgentDetail }) {
  const can = useCan();
  const revoke = useRevokeAgentMutation(agent.id);
  const [reason, setReason] = useState<ReasonSpec | null>(null);
  const [deleting, setDeleting] = useState(false);
  const canDelete = can("reviews.decide") && agent.status !== "deleted";
  if (!agent.permissions.canRevoke && !canDelete) return null;
  return (
    <>
      {agent.permissions.canRevoke && (
        <Button
          variant="destructive"
          onClick={() =>
            setReason({
              title: `Revoke ${agent.name}?`,
              description: (
                <>
                  <span className="font-mono">{agent.clientId}</span> stops being served at once (404), so authorization servers refuse the agent from their next fetch.
                  A version in review is withdrawn. <strong className="font-medium text-foreground">This cannot be undone</strong>: the slug is never reused.
                </>
              ),
              label: "Reason (optional)",
              hint: "Recorded in the audit trail and shown on the agent page.",
              confirmLabel: "Revoke agent",
              destructive: true,
              run: (text) => revoke.mutateAsync(text || undefined),
              success: `${agent.name} is revoked; its document is no longer served`,
            })
          }
        >
          <Ban aria-hidden />
          Revoke
        </Button>
      )}
      {canDelete && (
        <Button variant="destructive-outline" onClick={() => setDeleting(true)}>
          <Trash2 aria-hidden />
          Delete
        </Button>
      )}
      <ReasonDialog spec={reason} onOpenChange={(open) => !open && setReason(null)} />
      <Dialog open={deleting} onOpenChange={setDeleting}>
        <DialogContent>{deleting && <DeleteForm agent={agent} onDone={() => setDeleting(false)} />}</DialogContent>
      </Dialog>
    </>
  );
}

function DeleteForm({ agent, onDone }: { agent: AgentDetail; onDone: () => void }) {
  const router = useRouter();
  const remove = useDeleteAgentMutation(agent.id);
  const [typed, setTyped] = useState("");
  const matches = typed === agent.slug;
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!matches) return;
        remove.mutate(undefined, {
          onSuccess: () => {
            toast.success(`${agent.name} is deleted`);
            onDone();
            router.push("/agents");
          },
          onError: (err) => toast.error(errorMessage(err)),
        });
      }}
    >
      <DialogHeader>
        <DialogTitle>Delete {agent.name}?</DialogTitle>
        <DialogDescription>
          It disappears from the console and its document is no longer served. Its history stays in the audit trail, and the slug <span className="font-mono">{agent.slug}</span> can never be
          registered again.
        </DialogDescription>
      </DialogHeader>
      <Field label={`Type ${agent.slug} to confirm`}>
        {(p) => <Input {...p} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} className="font-mono" autoFocus />}
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={remove.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="destructive" disabled={!matches || remove.isPending}>
          {remove.isPending && <Spinner />}
          Delete agent
        </Button>
      </DialogFooter>
    </form>
  );
}
