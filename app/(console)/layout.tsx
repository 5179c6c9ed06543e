import { AuthFrame } from "@/components/auth/auth-frame";
import { ActorProvider } from "@/components/shell/actor-context";
import { AppShell } from "@/components/shell/app-shell";
import { requireActor } from "@/lib/auth/session";

// The signed-in console: every page below renders inside the shell. Signed-out visitors go to
// /signin; each section's own layout checks its permission. Someone who must change the
// password an admin set is sent to /account/password (requireActor), shown without the shell.
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const who = { id: actor.id, name: actor.name, email: actor.email, role: actor.role };
  if (actor.mustChangePassword) {
    return (
      <ActorProvider actor={who}>
        <AuthFrame title="Set your password" description="One step before you enter the console.">
          {children}
        </AuthFrame>
      </ActorProvider>
    );
  }
  return (
    <ActorProvider actor={who}>
      <AppShell>{children}</AppShell>
    </ActorProvider>
  );
}
