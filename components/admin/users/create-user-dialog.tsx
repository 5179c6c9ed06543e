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
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import { useCreateUserMutation } from "@/lib/client/users";
import { createUserSchema } from "@/lib/users/schema";


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
  const form = useFormErrors();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const data = new FormData(formEl);
    const input = {
      email: String(data.get("email") ?? "").trim(),
      name: String(data.get("name") ?? ""),
      role,
      password: String(data.get("password") ?? ""),
    };
    const parsed = createUserSchema.safeParse(input);
    if (!parsed.success) {
      form.invalid(formEl, { ...fieldErrorsOf(parsed.error), ...(role ? {} : { role: "Choose a role" }) });
      return;
    }
    form.clear();
    create.mutate(parsed.data, {
      onSuccess: (user) => {
        toast.success(`Created ${user.name} (${user.role})`);
        onDone();
      },
      onError: (err) => {
        form.failed(formEl, err);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <Field label="Name" error={form.errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="off" autoFocus />}
      </Field>
      <Field label="E-mail" error={form.errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label="Role" error={form.errors.role}>
        {(p) => <Select {...p} value={role} onValueChange={setRole} placeholder="Choose a role" options={ROLE_OPTIONS} />}
      </Field>
      <Field
        label="Initial password"
        error={form.errors.password}
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
