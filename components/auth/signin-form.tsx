"use client";

import { useState } from "react";
import { signIn } from "next-auth/react";
import { KeyRound } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PasswordInput } from "@/components/ui/password-input";
import { Spinner } from "@/components/ui/spinner";

// next-auth error codes (from signIn()'s result or the ?error= query) in words.
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong e-mail or password",
  AccountLocked: "Too many failed attempts: sign-in to this account is locked for a while. Try again later, or ask an administrator to unlock it.",
  TooManyAttempts: "Too many sign-in attempts from your network. Wait a few minutes and try again.",
  ServerBusy: "The server is busy. Try again in a moment.",
  NoRole: "Your identity provider groups grant no Portcullis role",
  AccessDenied: "Your identity provider groups grant no Portcullis role",
  SessionRequired: "Sign in to continue",
};

export function signInErrorMessage(code: string | null | undefined, sso = false): string | null {
  if (!code) return null;
  return (
    MESSAGES[code] ??
    (sso ? "Single sign-on did not complete. Try again, or ask your administrator." : "Sign-in failed. Try again.")
  );
}

interface SignInFormProps {
  callbackUrl: string;
  /** Error code from the ?error= query (e.g. after SSO). */
  initialError?: string | null;
  sso?: { name: string } | null;
}

export function SignInForm({ callbackUrl, initialError, sso }: SignInFormProps) {
  const [error, setError] = useState<string | null>(() => signInErrorMessage(initialError, true));
  const [pending, setPending] = useState<"credentials" | "oidc" | null>(null);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("Enter your e-mail and password");
      return;
    }
    setPending("credentials");
    setError(null);
    try {
      const res = await signIn("credentials", { redirect: false, email, password, callbackUrl });
      if (!res || res.error || !res.ok) {
        setError(signInErrorMessage(res?.error ?? "CredentialsSignin"));
        setPending(null);
        return;
      }
      // A full page load, so the console starts from a clean slate with the new session.
      window.location.assign(callbackUrl);
    } catch {
      setError("Could not reach the Portcullis server. Check your connection and try again.");
      setPending(null);
    }
  }

  return (
    <div className="grid gap-5">
      {error && <Alert>{error}</Alert>}
      {/* method="post": a submit before hydration must never put the password in the URL. */}
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-4">
        <Field label="E-mail">
          {(p) => <Input {...p} name="email" type="email" autoComplete="username" required autoFocus spellCheck={false} />}
        </Field>
        <Field label="Password">
          {(p) => <PasswordInput {...p} name="password" autoComplete="current-password" required />}
        </Field>
        <Button type="submit" disabled={pending !== null} className="mt-1 w-full">
          {pending === "credentials" && <Spinner />}
          {pending === "credentials" ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {sso && (
        <>
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            or
            <span className="h-px flex-1 bg-border" />
          </div>
          <Button
            variant="secondary"
            className="w-full"
            disabled={pending !== null}
            onClick={() => {
              setPending("oidc");
              setError(null);
              void signIn("oidc", { callbackUrl }).catch(() => {
                setError("Could not start single sign-on. Try again.");
                setPending(null);
              });
            }}
          >
            {pending === "oidc" ? <Spinner /> : <KeyRound aria-hidden />}
            Sign in with {sso.name}
          </Button>
        </>
      )}
    </div>
  );
}
