"use client";

import { useState } from "react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";
import { Spinner } from "@/components/ui/spinner";
import { api, ApiClientError, errorMessage } from "@/lib/client/api";
import { setupSchema } from "@/lib/users/schema";
import { fieldErrorsOf, focusFirstInvalid } from "@/lib/client/form";

type Fields = "code" | "email" | "name" | "password";

/** First run: create the first admin with the one-time code from the server log, then sign in. */
export function SetupForm() {
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [formError, setFormError] = useState<React.ReactNode>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const raw = Object.fromEntries(["code", "email", "name", "password"].map((k) => [k, String(form.get(k) ?? "")]));
    const parsed = setupSchema.safeParse(raw);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      focusFirstInvalid(formEl);
      setFormError(null);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(true);
    try {
      await api("/api/setup", { method: "POST", body: parsed.data });
    } catch (err) {
      setPending(false);
      if (err instanceof ApiClientError) {
        if (err.status === 403) {
          setErrors({ code: err.message });
          focusFirstInvalid(formEl);
          return;
        }
        if (err.status === 409) {
          setFormError(
            <>
              Setup is already complete.{" "}
              <Link href="/signin" className="font-medium underline underline-offset-4">
                Sign in
              </Link>
            </>,
          );
          return;
        }
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
    const res = await signIn("credentials", {
      redirect: false,
      email: parsed.data.email,
      password: parsed.data.password,
      callbackUrl: "/",
    }).catch(() => null);
    window.location.assign(res?.ok && !res.error ? "/" : "/signin");
  }

  // method="post": a submit before hydration must never put the password in the URL.
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Create the first administrator">
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Setup code"
        error={errors.code}
        hint="Printed in the server log when Portcullis started without any user."
      >
        {(p) => (
          <Input {...p} name="code" autoComplete="one-time-code" spellCheck={false} autoFocus className="font-mono" />
        )}
      </Field>
      <Field label="Your name" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="name" />}
      </Field>
      <Field label="E-mail" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="username" spellCheck={false} />}
      </Field>
      <Field label="Password" error={errors.password} hint="At least 12 characters.">
        {(p) => <PasswordInput {...p} name="password" autoComplete="new-password" />}
      </Field>
      <Button type="submit" disabled={pending} className="mt-1 w-full">
        {pending && <Spinner />}
        {pending ? "Creating your account…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}
