"use client";

import { useState } from "react";
import { ArrowRight } from "lucide-react";
import { toast } from "sonner";
import { ROLE_OPTIONS } from "@/components/admin/role-options";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { RoleBadge } from "@/components/ui/role-badge";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { fieldErrorsOf, useFormErrors } from "@/lib/client/form";
import type { UserJson } from "@/lib/client/types";
import type { HumanRole, Role } from "@/lib/auth/permissions";
import { useUpdateUserMutation } from "@/lib/client/users";
import { reasonSchema, roleSchema } from "@/lib/users/schema";

/**
 * A role change is never one keystroke: choose the new role, read what it means, confirm.
 * Promotion to admin needs a reason, which goes into the audit event.
 */
export function ChangeRoleDialog({ user, onOpenChange }: { user: UserJson | null; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={user !== null} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Change role of {user?.name}</DialogTitle>
          <DialogDescription>
            The new role applies at once: {user?.name ?? "they"} are signed out everywhere and sign in again with it. The change
            is recorded in the audit log.
          </DialogDescription>
        </DialogHeader>
        {user && <ChangeRoleForm key={user.id} user={user} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function article(word: string) {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function ChangeRoleForm({ user, onDone }: { user: UserJson; onDone: () => void }) {
  const update = useUpdateUserMutation();
  const [role, setRole] = useState<Role | "">("");
  const form = useFormErrors();
  const promoting = role === "admin";

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const reason = String(new FormData(formEl).get("reason") ?? "").trim();
    const errors: Record<string, string> = {};
    const parsedRole = roleSchema.safeParse(role);
    if (!parsedRole.success || role === user.role) errors.role = `Choose a role other than ${user.role}`;
    if (promoting && !reason) errors.reason = "Say why this person needs to be an admin";
    const parsedReason = reason ? reasonSchema.safeParse(reason) : null;
    if (parsedReason && !parsedReason.success) Object.assign(errors, { reason: fieldErrorsOf(parsedReason.error).form });
    if (Object.keys(errors).length) {
      form.invalid(formEl, errors);
      return;
    }
    form.clear();
    update.mutate(
      { id: user.id, patch: { role: role as HumanRole, ...(reason ? { reason } : {}) } },
      {
        onSuccess: (u) => {
          toast.success(`${u.name} is now ${article(u.role)} ${u.role}`);
          onDone();
        },
        onError: (err) => form.failed(formEl, err),
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {form.formError && <Alert>{form.formError}</Alert>}
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-muted-foreground">Current role</span>
        <RoleBadge role={user.role} />
        {role && role !== user.role && (
          <>
            <ArrowRight aria-hidden className="size-4 text-muted-foreground" />
            <span className="sr-only">new role</span>
            <RoleBadge role={role} />
          </>
        )}
      </div>
      <Field label="New role" error={form.errors.role}>
        {(p) => (
          <Select
            {...p}
            value={role}
            onValueChange={(v) => setRole(v as Role)}
            placeholder="Choose a role"
            options={ROLE_OPTIONS.filter((o) => o.value !== user.role)}
          />
        )}
      </Field>
      {promoting && (
        <Alert tone="warning" title="Admins can do everything">
          Users, tokens, gateways and settings included. Only promote someone who needs it.
        </Alert>
      )}
      <Field
        label={promoting ? "Reason" : "Reason (optional)"}
        error={form.errors.reason}
        hint={promoting ? "Required for a promotion to admin. Kept in the audit log." : "Kept in the audit log with the change."}
      >
        {(p) => <Textarea {...p} name="reason" maxLength={500} rows={3} required={promoting} aria-required={promoting} />}
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onDone} disabled={update.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending || !role}>
          {update.isPending && <Spinner />}
          {promoting ? "Make admin" : "Change role"}
        </Button>
      </DialogFooter>
    </form>
  );
}
