"use client";

import { useState } from "react";
import { ShieldAlert, ShieldCheck } from "lucide-react";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { formatRelative } from "@/lib/client/format";
import { useAcknowledgeMutation, type SnapshotFinding } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// The poisoning findings of a snapshot: what fired, where, on which exact text; and for
// approvers an acknowledgement with a comment (audited), never a silent dismissal.

const TITLES: Record<string, string> = {
  model_instructions: "Instructions to the model",
  hidden_text: "Hidden text",
  encoded_payload: "Encoded payload",
  credential_reference: "Credentials or local files",
  exfiltration: "Exfiltration hint",
  tool_shadowing: "Tool shadowing",
  oversized_description: "Oversized description",
};
/** Where a finding is: the item and the field inside it. */
const where = (f: SnapshotFinding) => `${f.kind === "server" ? "server instructions" : `${f.kind} ${revealInvisible(f.item ?? "")}`} · ${f.field}`;
const TONE: Record<string, BadgeTone> = { high: "danger", medium: "warning", low: "neutral" };

function AcknowledgeDialog({ serverId, finding, onClose }: { serverId: string; finding: SnapshotFinding; onClose: () => void }) {
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | undefined>();
  const ack = useAcknowledgeMutation(serverId);
  const submit = async () => {
    setError(undefined);
    try {
      await ack.mutateAsync({ key: finding.key, comment });
      toast.success("Finding acknowledged");
      onClose();
    } catch (err) {
      setError(err instanceof ApiClientError ? (err.fieldErrors.comment ?? err.message) : errorMessage(err));
    }
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogTitle className="text-lg font-semibold">Acknowledge this finding</DialogTitle>
        <DialogDescription className="text-sm text-muted-foreground">
          {TITLES[finding.rule] ?? finding.rule}: {where(finding)}. Say why it is acceptable: the comment is recorded in the audit log with your name.
        </DialogDescription>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field label="Comment" error={error}>
            {(control) => <Textarea {...control} value={comment} onChange={(e) => setComment(e.target.value)} rows={3} autoFocus required minLength={3} maxLength={2000} />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" type="button" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={ack.isPending || comment.trim().length < 3}>
              Acknowledge
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function FindingsPanel({ serverId, findings, canAcknowledge }: { serverId: string; findings: SnapshotFinding[]; canAcknowledge: boolean }) {
  const [acking, setAcking] = useState<SnapshotFinding | null>(null);
  if (!findings.length) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        <ShieldCheck aria-hidden className="size-4 text-emerald-600" /> No poisoning findings in this snapshot.
      </p>
    );
  }
  return (
    <>
      <ul className="grid gap-2" aria-label="Findings">
        {findings.map((f) => (
          <li key={f.key} className="grid gap-1.5 rounded-lg border p-3">
            <div className="flex flex-wrap items-center gap-2">
              <ShieldAlert aria-hidden className="size-4 text-destructive" />
              <Badge tone={TONE[f.severity]}>{f.severity}</Badge>
              <span className="text-sm font-medium">{TITLES[f.rule] ?? f.rule}</span>
              <span className="text-xs text-muted-foreground">
                {where(f)}
              </span>
            </div>
            <p className="text-sm">{revealInvisible(f.message)}</p>
            <pre className="max-h-40 overflow-auto rounded-md bg-muted p-2 font-mono text-xs whitespace-pre-wrap break-words">{revealInvisible(f.text)}</pre>
            {f.acknowledgement ? (
              <p className="text-xs text-muted-foreground">
                Acknowledged by {f.acknowledgement.actorName ?? "someone"} {formatRelative(f.acknowledgement.createdAt)}: “{f.acknowledgement.comment}”
              </p>
            ) : canAcknowledge ? (
              <Button size="sm" variant="secondary" className="w-fit" aria-label={`Acknowledge: ${TITLES[f.rule] ?? f.rule}, ${where(f)}`} onClick={() => setAcking(f)}>
                Acknowledge
              </Button>
            ) : (
              <p className="text-xs text-muted-foreground">Not acknowledged yet.</p>
            )}
          </li>
        ))}
      </ul>
      {acking && <AcknowledgeDialog serverId={serverId} finding={acking} onClose={() => setAcking(null)} />}
    </>
  );
}
