"use client";

import { useState } from "react";
import { KeySquare } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { SecretReveal } from "@/components/admin/secret-reveal";
import { errorMessage } from "@/lib/client/api";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useIssueExchangeSecretMutation, useRemoveExchangeSecretMutation, type AgentDetail, type IssuedExchangeSecret } from "@/lib/client/agents";

/**
 * The agent's token-exchange secret (enterprise-managed authorization, XAA): for clients that
 * cannot sign a client assertion when they exchange an ID token for an ID-JAG at Portcullis's
 * token endpoint. Shown once; issuing again replaces it; never part of the served document.
 */
export function ExchangeSecretCard({ agent }: { agent: AgentDetail }) {
  const issue = useIssueExchangeSecretMutation(agent.id);
  const remove = useRemoveExchangeSecretMutation(agent.id);
  const [confirm, setConfirm] = useState<"rotate" | "remove" | null>(null);
  const [issued, setIssued] = useState<IssuedExchangeSecret | null>(null);
  const current = agent.exchangeSecret;
  const manage = agent.permissions.canEdit && agent.status !== "revoked";

  const doIssue = () =>
    issue.mutate(undefined, {
      onSuccess: (s) => {
        setConfirm(null);
        setIssued(s);
      },
      onError: (err) => toast.error(errorMessage(err)),
    });
  const doRemove = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        setConfirm(null);
        toast.success("Exchange secret removed");
      },
      onError: (err) => toast.error(errorMessage(err)),
    });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Token exchange secret</CardTitle>
        <CardDescription>
          For enterprise-managed authorization (XAA): lets this agent exchange a user&apos;s ID token for an ID-JAG at Portcullis&apos;s token endpoint without signing a
          client assertion. Valid only there; never in the served document. Prefer keys (private_key_jwt) where the client supports them.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        {current ? (
          <p>
            Issued {current.issuedAt ? <time dateTime={current.issuedAt} title={formatDate(current.issuedAt, true)}>{formatRelative(current.issuedAt)}</time> : "earlier"}, begins{" "}
            <code className="font-mono text-xs">{current.prefix}…</code>
          </p>
        ) : (
          <p className="text-muted-foreground">No secret issued.</p>
        )}
        {manage && (
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => (current ? setConfirm("rotate") : doIssue())} disabled={issue.isPending}>
              <KeySquare aria-hidden />
              {current ? "Rotate secret" : "Issue a secret"}
            </Button>
            {current && (
              <Button variant="ghost" onClick={() => setConfirm("remove")} disabled={remove.isPending}>
                Remove
              </Button>
            )}
          </div>
        )}
      </CardContent>
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={confirm === "rotate" ? "Rotate the exchange secret?" : "Remove the exchange secret?"}
        description={
          confirm === "rotate"
            ? "A new secret replaces the current one at once: clients still using the old one will be refused until they are given the new one."
            : "Clients using it will be refused at the token endpoint at once."
        }
        confirmLabel={confirm === "rotate" ? "Rotate" : "Remove"}
        destructive
        pending={issue.isPending || remove.isPending}
        onConfirm={confirm === "rotate" ? doIssue : doRemove}
      />
      <Dialog open={issued !== null} onOpenChange={() => {}}>
        <DialogContent hideClose onEscapeKeyDown={(e) => e.preventDefault()} onPointerDownOutside={(e) => e.preventDefault()}>
          {issued && (
            <SecretReveal
              title={`Exchange secret for ${agent.name}`}
              subject={agent.name}
              token={issued.secret}
              label="Secret"
              onDone={() => setIssued(null)}
              description={
                <>
                  Send it as <code className="font-mono text-xs">client_secret</code> ({issued.authMethods.join(" or ")}) to{" "}
                  <code className="font-mono text-xs break-all">{issued.tokenEndpoint}</code> with client_id{" "}
                  <code className="font-mono text-xs break-all">{issued.clientId}</code>.
                </>
              }
            />
          )}
        </DialogContent>
      </Dialog>
    </Card>
  );
}
