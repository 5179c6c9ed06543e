import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Change password" };

// Reachable while a password change is required (requireActor lets this path through).
export default async function Page() {
  const actor = await requireActor();
  const row = await db().user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  const hasPassword = !!row?.passwordHash;
  // Forced change: the console layout frames the page (no shell, no navigation).
  if (actor.mustChangePassword && hasPassword) {
    return (
      <div className="grid gap-4">
        <p className="text-center text-sm text-muted-foreground">Signed in as {actor.email ?? actor.name}</p>
        <ChangePasswordForm required />
      </div>
    );
  }
  return (
    <div className="mx-auto grid w-full max-w-md gap-6">
      <PageHeader
        title="Change password"
        description="Changing your password signs you out in every other browser."
      />
      <div className="rounded-xl border bg-card p-6 shadow-sm">
        {hasPassword ? (
          <ChangePasswordForm required={!!actor.mustChangePassword} />
        ) : (
          <p className="text-sm text-muted-foreground">
            Your account signs in through single sign-on, so it has no Portcullis password. Change your password at your
            identity provider.
          </p>
        )}
      </div>
      <div className="grid gap-3 rounded-xl border bg-card p-6 shadow-sm">
        <h2 className="text-base font-semibold">Sessions</h2>
        <p className="text-sm text-muted-foreground">
          Signed in on a computer you no longer use? End every session, this one included.
        </p>
        <SignOutEverywhere />
      </div>
    </div>
  );
}
