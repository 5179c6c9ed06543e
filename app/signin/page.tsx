import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SignInForm } from "@/components/auth/signin-form";
import { setupNeeded } from "@/lib/auth/bootstrap";
import { currentActor } from "@/lib/auth/session";
import { safeCallbackUrl } from "@/lib/client/routes";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await setupNeeded()) redirect("/setup");
  if (await currentActor()) redirect(callbackUrl);
  const e = env();
  return (
    <AuthFrame title="Sign in to Portcullis" description="The registry and admin console for your organisation's MCP ecosystem.">
      <SignInForm
        callbackUrl={callbackUrl}
        initialError={first(params.error) ?? null}
        sso={e.oidcEnabled ? { name: e.OIDC_DISPLAY_NAME } : null}
      />
    </AuthFrame>
  );
}
