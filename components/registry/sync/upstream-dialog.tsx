"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { useCreateUpstreamMutation, useUpdateUpstreamMutation, type UpstreamJson } from "@/lib/client/sync";
import { createUpstreamSchema } from "@/lib/registry/sync-schema";

/** Add an upstream registry, or edit one (`upstream` given). */
export function UpstreamDialog({ open, onOpenChange, upstream }: { open: boolean; onOpenChange: (open: boolean) => void; upstream?: UpstreamJson }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{upstream ? `Edit ${upstream.name}` : "Add upstream registry"}</DialogTitle>
          <DialogDescription>Any Registry API v0.1 base URL: the official registry, or another Portcullis.</DialogDescription>
        </DialogHeader>
        {open && <UpstreamForm upstream={upstream} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function UpstreamForm({ upstream, onDone }: { upstream?: UpstreamJson; onDone: () => void }) {
  const create = useCreateUpstreamMutation();
  const update = useUpdateUpstreamMutation();
  const pending = create.isPending || update.isPending;
  const form = useFormErrors();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    const minutes = String(data.get("intervalMinutes") ?? "").trim();
    if (!/^\d+$/.test(minutes)) {
      form.invalid(el, { intervalMinutes: "must be a whole number of minutes" });
      return;
    }
    const parsed = createUpstreamSchema.safeParse({
      name: String(data.get("name") ?? ""),
      baseUrl: String(data.get("baseUrl") ?? ""),
      intervalMinutes: Number(minutes),
      enabled: data.get("enabled") === "on",
    });
    if (!parsed.success) {
      form.invalid(el, fieldErrorsOf(parsed.error));
      return;
    }
    form.clear();
    const handlers = { onSuccess: onDone, onError: (err: unknown) => form.failed(el, err) };
    if (upstream) update.mutate({ id: upstream.id, input: parsed.data }, handlers);
    else create.mutate(parsed.data, handlers);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <Field label="Name" error={form.errors.name} hint="How the console refers to it, e.g. official.">
        {(p) => <Input {...p} name="name" defaultValue={upstream?.name} autoComplete="off" autoFocus />}
      </Field>
      <Field label="Base URL" error={form.errors.baseUrl} hint="Sync reads <base URL>/v0.1/servers. Plain http only to hosts OUTBOUND_ALLOWLIST names.">
        {(p) => <Input {...p} name="baseUrl" defaultValue={upstream?.baseUrl} placeholder="https://registry.modelcontextprotocol.io" spellCheck={false} className="font-mono" />}
      </Field>
      <Field label="Sync every (minutes)" error={form.errors.intervalMinutes} hint="0 syncs only when you press Sync now; at most 10080 (a week).">
        {(p) => <Input {...p} name="intervalMinutes" type="number" inputMode="numeric" min={0} max={10080} step={1} defaultValue={upstream?.intervalMinutes ?? 60} className="w-40" />}
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={upstream?.enabled ?? true} className="size-4 accent-primary" />
        Enabled (scheduled runs)
      </label>
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending && <Spinner />}
          {upstream ? "Save" : "Add upstream"}
        </Button>
      </DialogFooter>
    </form>
  );
}
