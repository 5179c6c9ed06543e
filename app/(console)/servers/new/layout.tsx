import { requireActor } from "@/lib/auth/session";

// Checked here as well as in the page, before this segment's loading.tsx, so a role without
// servers.submit gets a real 403 rather than a streamed one.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor("servers.submit");
  return children;
}
