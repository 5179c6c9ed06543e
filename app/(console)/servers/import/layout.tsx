import { requireActor } from "@/lib/auth/session";

// Checked here, outside this segment's loading.tsx, so a role without servers.submit gets a real 403.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor("servers.submit");
  return children;
}
