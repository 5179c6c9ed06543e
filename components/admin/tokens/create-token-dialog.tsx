"use client";

import { useState } from "react";
import { CreateSecretDialog } from "@/components/admin/create-secret-dialog";
import { useActor, useCan } from "@/components/shell/actor-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { useSettingsQuery } from "@/lib/client/settings";
import { useCreateTokenMutation, useServiceAccountOptionsQuery } from "@/lib/client/tokens";
import type { CreatedToken } from "@/lib/client/types";
import { createTokenSchema } from "@/lib/users/schema";

const SELF = "self";

/**
 * A new API token, shown once. Tokens belong to yourself or to a service account, never to
 * another person: `owners="self"` for your own page, "self-or-service" where service accounts'
 * tokens are managed (tokens.manage).
 */
export function CreateTokenDialog({
  open,
  onOpenChange,
  owners,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  owners: "self" | "self-or-service";
}) {
  const me = useActor();
  return (
    <CreateSecretDialog<CreatedToken>
      open={open}
      onOpenChange={onOpenChange}
      title="New API token"
      description={
        owners === "self"
          ? "The token acts as you, with your role's permissions. It is shown once, right after you create it."
          : "The token acts with its owner's role: yours, or a service account's. It is shown once, right after you create it."
      }
      revealed={(t) => ({ title: "Token issued", subject: `${t.userId === me.id ? "you" : (t.userName ?? "its owner")} · ${t.name}` })}
      renderForm={(props) => <CreateTokenForm {...props} owners={owners} />}
    />
  );
}

function CreateTokenForm({
  onCreated,
  onCancel,
  owners,
}: {
  onCreated: (t: CreatedToken) => void;
  onCancel: () => void;
  owners: "self" | "self-or-service";
}) {
  const me = useActor();
  const can = useCan();
  const chooseOwner = owners === "self-or-service" && can("tokens.manage");
  const services = useServiceAccountOptionsQuery(chooseOwner);
  // The default and the maximum are settings; only admins can read them, others get the API's word.
  const settings = useSettingsQuery(can("settings.manage"));
  const create = useCreateTokenMutation();
  const [owner, setOwner] = useState(SELF);
  const form = useFormErrors();
  const limits = settings.data?.settings;

  const groups = [
    { label: "You", options: [{ value: SELF, label: me.name, description: `yourself · ${me.role}` }] },
    {
      label: "Service accounts",
      options: (services.data ?? []).map((u) => ({ value: u.id, label: u.name, description: `service account · ${u.role}` })),
    },
  ];

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const data = new FormData(formEl);
    const days = String(data.get("expiresInDays") ?? "").trim();
    if (days && !/^\d+$/.test(days)) {
      form.invalid(formEl, { expiresInDays: "must be a whole number of days" });
      return;
    }
    const parsed = createTokenSchema.safeParse({
      ...(owner === SELF ? {} : { userId: owner }),
      name: String(data.get("name") ?? ""),
      ...(days ? { expiresInDays: Number(days) } : {}),
    });
    if (!parsed.success) {
      form.invalid(formEl, fieldErrorsOf(parsed.error));
      return;
    }
    form.clear();
    create.mutate(parsed.data, { onSuccess: onCreated, onError: (err) => form.failed(formEl, err) });
  }

  const expiryHint = limits
    ? `Leave empty for the default, ${limits.tokenDefaultLifetimeDays} days. At most ${limits.tokenMaxLifetimeDays} days.`
    : "Leave empty for the default lifetime your administrator set; there is a maximum too.";

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      {chooseOwner && services.isError && <Alert title="Could not load service accounts">{errorMessage(services.error)}</Alert>}
      {chooseOwner && (
        <Field
          label="Owner"
          error={form.errors.userId}
          hint={services.isPending ? "Loading service accounts…" : "Tokens go to yourself or to a service account, never to another person."}
        >
          {(p) => <Select {...p} value={owner} onValueChange={setOwner} groups={groups} />}
        </Field>
      )}
      <Field label="Name" error={form.errors.name} hint="What it is for, e.g. github-actions.">
        {(p) => <Input {...p} name="name" autoComplete="off" spellCheck={false} autoFocus />}
      </Field>
      <Field label="Expires after (days)" error={form.errors.expiresInDays} hint={expiryHint}>
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
          Create token
        </Button>
      </DialogFooter>
    </form>
  );
}
