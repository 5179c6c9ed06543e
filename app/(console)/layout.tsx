import { ActorProvider } from "@/components/shell/actor-context";
import { AppShell } from "@/components/shell/app-shell";
import { requireActor } from "@/lib/auth/session";

// The signed-in console: every page below renders inside the shell. Signed-out visitors go to
// /signin; each section's own layout checks its permission.
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <ActorProvider actor={{ id: actor.id, name: actor.name, email: actor.email, role: actor.role }}>
      <AppShell>{children}</AppShell>
    </ActorProvider>
  );
}
