"use client";

import { useState } from "react";
import { toast } from "sonner";
import { ROLE_OPTIONS } from "@/components/admin/role-options";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { fieldErrorsOf, focusFirstInvalid } from "@/lib/client/form";
import { useCreateUserMutation } from "@/lib/client/users";
import { createUserSchema } from "@/lib/users/schema";

type Errors = Partial<Record<"email" | "name" | "role" | "password", string>>;

export function CreateUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create user</DialogTitle>
          <DialogDescription>
            A local account that signs in with e-mail and password. People who use single sign-on get their account when they
            first sign in.
          </DialogDescription>
        </DialogHeader>
        {/* Mounted only while open, so every opening starts with an empty form. */}
        {open && <CreateUserForm onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const create = useCreateUserMutation();
  const [role, setRole] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const input = {
      email: String(form.get("email") ?? "").trim(),
      name: String(form.get("name") ?? ""),
      role,
      password: String(form.get("password") ?? ""),
    };
    const parsed = createUserSchema.safeParse(input);
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      setErrors({ ...fields, ...(role ? {} : { role: "Choose a role" }) });
      focusFirstInvalid(formEl);
      return;
    }
    setErrors({});
    setFormError(null);
    create.mutate(parsed.data, {
      onSuccess: (user) => {
        toast.success(`Created ${user.name} (${user.role})`);
        onDone();
      },
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
      <Field label="Name" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="off" autoFocus />}
      </Field>
      <Field label="E-mail" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label="Role" error={errors.role}>
        {(p) => <Select {...p} value={role} onValueChange={setRole} placeholder="Choose a role" options={ROLE_OPTIONS} />}
      </Field>
      <Field
        label="Initial password"
        error={errors.password}
        hint="At least 12 characters. Share it with the person over a safe channel."
      >
        {(p) => <PasswordInput {...p} name="password" autoComplete="new-password" />}
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending && <Spinner />}
          Create user
        </Button>
      </DialogFooter>
    </form>
  );
}
