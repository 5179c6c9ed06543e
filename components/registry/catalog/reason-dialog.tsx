"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage } from "@/lib/client/api";

export interface ReasonSpec {
  title: string;
  description: React.ReactNode;
  label: string;
  hint?: string;
  confirmLabel: string;
  destructive?: boolean;
  /** The reason must be given (revocation); otherwise it may be left empty. */
  required?: boolean;
  run: (reason: string) => Promise<unknown>;
  success: string;
}

/** A decision or status change that carries a sentence: the reason goes into the audit event. */
export function ReasonDialog({ spec, onOpenChange }: { spec: ReasonSpec | null; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={spec !== null} onOpenChange={onOpenChange}>
      <DialogContent>
        {spec && <ReasonForm key={spec.title} spec={spec} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function ReasonForm({ spec, onDone }: { spec: ReasonSpec; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (spec.required && !reason.trim()) {
      setError("is required");
      return;
    }
    setPending(true);
    try {
      await spec.run(reason.trim());
      toast.success(spec.success);
      onDone();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>{spec.title}</DialogTitle>
        <DialogDescription>{spec.description}</DialogDescription>
      </DialogHeader>
      <Field label={spec.label} hint={spec.hint} error={error}>
        {(p) => <Textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={1000} autoFocus />}
      </Field>
      <DialogFooter>
        <Button type="button" variant="secondary" onClick={onDone} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" variant={spec.destructive ? "destructive" : "primary"} disabled={pending}>
          {pending && <Spinner />}
          {spec.confirmLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
