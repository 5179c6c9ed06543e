"use client";

import { useState } from "react";
import { SERVICE_ROLE_OPTIONS } from "@/components/admin/role-options";
import { CreateSecretDialog } from "@/components/admin/create-secret-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { useCan } from "@/components/shell/actor-context";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { useSettingsQuery } from "@/lib/client/settings";
import { useCreateServiceAccountMutation } from "@/lib/client/service-accounts";
import type { CreatedServiceAccount } from "@/lib/client/types";
import { createServiceAccountSchema } from "@/lib/users/schema";

export function CreateServiceAccountDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <CreateSecretDialog<CreatedServiceAccount>
      open={open}
      onOpenChange={onOpenChange}
      title="Create service account"
      description="It gets a role like a person, and a first API token that is shown once."
      revealed={(a) => ({ title: "Service account created", subject: a.name })}
      renderForm={(props) => <CreateServiceAccountForm {...props} />}
    />
  );
}

function CreateServiceAccountForm({
  onCreated,
  onCancel,
}: {
  onCreated: (a: CreatedServiceAccount) => void;
  onCancel: () => void;
}) {
  const create = useCreateServiceAccountMutation();
  const [role, setRole] = useState("");
  const form = useFormErrors();
  const can = useCan();
  const settings = useSettingsQuery(can("settings.manage"));
  const limits = settings.data?.settings;
  const expiryHint = limits
    ? `Leave empty for the default, ${limits.tokenDefaultLifetimeDays} days. At most ${limits.tokenMaxLifetimeDays} days.`
    : "Leave empty for the default token lifetime; there is a maximum too.";

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const data = new FormData(formEl);
    const days = String(data.get("expiresInDays") ?? "").trim();
    if (days && !/^\d+$/.test(days)) {
      form.invalid(formEl, { expiresInDays: "must be a whole number of days" });
      return;
    }
    const parsed = createServiceAccountSchema.safeParse({
      name: String(data.get("name") ?? ""),
      role,
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
    if (!parsed.success) {
      form.invalid(formEl, { ...fieldErrorsOf(parsed.error), ...(role ? {} : { role: "Choose a role" }) });
      return;
    }
    form.clear();
    create.mutate(parsed.data, {
      onSuccess: onCreated,
      onError: (err) => {
        form.failed(formEl, err);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <Field label="Name" error={form.errors.name} hint="Letters, digits, dot, dash or underscore, e.g. ci-publisher.">
        {(p) => <Input {...p} name="name" autoComplete="off" spellCheck={false} autoFocus className="font-mono" />}
      </Field>
      <Field label="Role" error={form.errors.role}>
        {(p) => <Select {...p} value={role} onValueChange={setRole} placeholder="Choose a role" options={SERVICE_ROLE_OPTIONS} />}
      </Field>
      <Field label="First token expires after (days)" error={form.errors.expiresInDays} hint={expiryHint}>
        {(p) => (
          <Input
            {...p}
            name="expiresInDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={limits?.tokenMaxLifetimeDays}
            step={1}
            placeholder={limits ? String(limits.tokenDefaultLifetimeDays) : "default"}
            className="w-40"
          />
        )}
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending && <Spinner />}
          Create
        </Button>
      </DialogFooter>
    </form>
  );
}
