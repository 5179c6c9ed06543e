"use client";

import { useState } from "react";
import { CreateSecretDialog } from "@/components/admin/create-secret-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { useCreateTokenMutation, useTokenOwnersQuery } from "@/lib/client/tokens";
import type { CreatedToken } from "@/lib/client/types";
import { createTokenSchema } from "@/lib/users/schema";

export function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <CreateSecretDialog<CreatedToken>
      open={open}
      onOpenChange={onOpenChange}
      title="New API token"
      description="The token acts with its owner's role. It is shown once, right after you create it."
      revealed={(t) => ({ title: "Token issued", subject: `${t.userName ?? "its owner"} · ${t.name}` })}
      renderForm={(props) => <CreateTokenForm {...props} />}
    />
  );
}

function CreateTokenForm({ onCreated, onCancel }: { onCreated: (t: CreatedToken) => void; onCancel: () => void }) {
  const owners = useTokenOwnersQuery(true);
  const create = useCreateTokenMutation();
  const [userId, setUserId] = useState("");
  const form = useFormErrors();

  const groups = owners.data
    ? [
        {
          label: "Service accounts",
          options: owners.data.services.map((u) => ({ value: u.id, label: u.name, description: `service account · ${u.role}` })),
        },
        {
          label: "People",
          options: owners.data.people.map((u) => ({ value: u.id, label: u.name, description: `${u.email ?? "no e-mail"} · ${u.role}` })),
        },
      ]
    : [];

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const data = new FormData(formEl);
    const days = String(data.get("expiresInDays") ?? "").trim();
    const parsed = createTokenSchema.safeParse({
      userId,
      name: String(data.get("name") ?? ""),
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      form.invalid(formEl, {
        ...fields,
        ...(userId ? {} : { userId: "Choose who the token belongs to" }),
        ...(fields.expiresInDays ? { expiresInDays: "Enter a whole number of days from 1 to 3650" } : {}),
      });
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
      {owners.isError && <Alert title="Could not load owners">{errorMessage(owners.error)}</Alert>}
      <Field label="Owner" error={form.errors.userId} hint={owners.isPending ? "Loading people and service accounts…" : undefined}>
        {(p) => (
          <Select
            {...p}
            value={userId}
            onValueChange={setUserId}
            placeholder={owners.isPending ? "Loading…" : "Choose a service account or person"}
            disabled={!owners.data}
            groups={groups}
          />
        )}
      </Field>
      <Field label="Name" error={form.errors.name} hint="What it is for, e.g. github-actions.">
        {(p) => <Input {...p} name="name" autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label="Expires after (days)" error={form.errors.expiresInDays} hint="Optional. Leave empty for a token that does not expire.">
        {(p) => <Input {...p} name="expiresInDays" type="number" inputMode="numeric" min={1} max={3650} step={1} placeholder="e.g. 90" className="w-40" />}
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending && <Spinner />}
          Create token
        </Button>
      </DialogFooter>
    </form>
  );
}
