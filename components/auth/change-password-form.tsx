"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { LogOut } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasswordInput } from "@/components/ui/password-input";
import { Spinner } from "@/components/ui/spinner";
import { api, ApiClientError, errorMessage } from "@/lib/client/api";
import { focusFirstInvalid } from "@/lib/client/form";

type Fields = "currentPassword" | "newPassword" | "confirmPassword";

const MIN_LENGTH = 12;

/** Checks what can be checked here; the server checks again (and the current password). */
export function passwordFormErrors(v: Record<Fields, string>): Partial<Record<Fields, string>> {
  const out: Partial<Record<Fields, string>> = {};
  if (!v.currentPassword) out.currentPassword = "is required";
  if (!v.newPassword) out.newPassword = "is required";
  else if (v.newPassword.length < MIN_LENGTH) out.newPassword = `must be at least ${MIN_LENGTH} characters`;
  else if (v.newPassword.length > 256) out.newPassword = "must be at most 256 characters";
  else if (v.newPassword === v.currentPassword) out.newPassword = "must differ from the current password";
  if (!out.newPassword && v.confirmPassword !== v.newPassword) out.confirmPassword = "does not match the new password";
  return out;
}

/**
 * Change your own password: current, new, and the new one again. On success the server ends
 * every other session and renews this one; the page then reloads the console.
 */
export function ChangePasswordForm({ required }: { required: boolean }) {
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const values = Object.fromEntries(
      (["currentPassword", "newPassword", "confirmPassword"] as const).map((k) => [k, String(form.get(k) ?? "")]),
    ) as Record<Fields, string>;
    const problems = passwordFormErrors(values);
    setFormError(null);
    if (Object.keys(problems).length) {
      setErrors(problems);
      focusFirstInvalid(formEl);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await api("/api/v1/me/password", {
        method: "POST",
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
    } catch (err) {
      setPending(false);
      if (err instanceof ApiClientError) {
        const fields = err.fieldErrors;
        if (Object.keys(fields).length) {
          setErrors(fields);
          focusFirstInvalid(formEl);
          return;
        }
      }
      setFormError(errorMessage(err));
      return;
    }
    setDone(true);
    formEl.reset();
    // A full load: the console starts again with the renewed session.
    window.location.assign(required ? "/" : "/account");
  }

  return (
    <div className="grid gap-5">
      {required && (
        <Alert tone="info" title="Choose your own password">
          An administrator set your password. Choose a new one before you continue; other browsers signed in as you are
          signed out.
        </Alert>
      )}
      {formError && <Alert>{formError}</Alert>}
      {done && <Alert tone="info">Password changed. Loading the console…</Alert>}
      {/* method="post": a submit before hydration must never put passwords in the URL. */}
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Change your password">
        <Field label="Current password" error={errors.currentPassword}>
          {(p) => <PasswordInput {...p} name="currentPassword" autoComplete="current-password" autoFocus />}
        </Field>
        <Field label="New password" error={errors.newPassword} hint={`At least ${MIN_LENGTH} characters.`}>
          {(p) => <PasswordInput {...p} name="newPassword" autoComplete="new-password" />}
        </Field>
        <Field label="Confirm new password" error={errors.confirmPassword}>
          {(p) => <PasswordInput {...p} name="confirmPassword" autoComplete="new-password" />}
        </Field>
        <Button type="submit" disabled={pending || done} className="mt-1 w-full">
          {pending && <Spinner />}
          {pending ? "Changing your password…" : "Change password"}
        </Button>
      </form>
      {required && (
        <Button variant="ghost" size="sm" className="justify-self-center" onClick={() => void signOut({ callbackUrl: "/signin" })}>
          <LogOut aria-hidden />
          Sign out instead
        </Button>
      )}
    </div>
  );
}
