"use client";

import { useState } from "react";
import { ROLE_OPTIONS } from "@/components/admin/role-options";
import { SecretReveal } from "@/components/admin/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { fieldErrorsOf, focusFirstInvalid } from "@/lib/client/form";
import { useCreateServiceAccountMutation } from "@/lib/client/service-accounts";
import type { CreatedServiceAccount } from "@/lib/client/types";
import { createServiceAccountSchema } from "@/lib/users/schema";

export function CreateServiceAccountDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<CreatedServiceAccount | null>(null);
  const close = () => {
    onOpenChange(false);
    setCreated(null);
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent
        hideClose={created !== null}
        // While the token is on screen, only the explicit button closes the dialog.
        onEscapeKeyDown={(e) => created && e.preventDefault()}
        onPointerDownOutside={(e) => created && e.preventDefault()}
      >
        {created ? (
          <SecretReveal title="Service account created" subject={created.name} token={created.token} onDone={close} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Create service account</DialogTitle>
              <DialogDescription>It gets a role like a person, and a first API token that is shown once.</DialogDescription>
            </DialogHeader>
            {open && <CreateServiceAccountForm onCreated={setCreated} onCancel={close} />}
          </>
        )}
      </DialogContent>
    </Dialog>
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
  const [errors, setErrors] = useState<Partial<Record<"name" | "role", string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const parsed = createServiceAccountSchema.safeParse({ name: String(form.get("name") ?? ""), role });
    if (!parsed.success) {
      setErrors({ ...fieldErrorsOf(parsed.error), ...(role ? {} : { role: "Choose a role" }) });
      focusFirstInvalid(formEl);
      return;
    }
    setErrors({});
    setFormError(null);
    create.mutate(parsed.data, {
      onSuccess: onCreated,
      onError: (err) => {
        const fields = err instanceof ApiClientError ? err.fieldErrors : {};
        if (Object.keys(fields).length) {
          setErrors(fields);
          focusFirstInvalid(formEl);
        } else setFormError(errorMessage(err));
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {formError && <Alert>{formError}</Alert>}
      <Field label="Name" error={errors.name} hint="Letters, digits, dot, dash or underscore, e.g. ci-publisher.">
        {(p) => <Input {...p} name="name" autoComplete="off" spellCheck={false} autoFocus className="font-mono" />}
      </Field>
      <Field label="Role" error={errors.role}>
        {(p) => <Select {...p} value={role} onValueChange={setRole} placeholder="Choose a role" options={ROLE_OPTIONS} />}
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
