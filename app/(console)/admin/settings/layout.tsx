import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

// Checked here, outside this segment's loading.tsx, so a role without access gets a real 403.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor(ROUTES.settings.permission);
  return children;
}
