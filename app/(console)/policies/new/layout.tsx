import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

// Checked here as well as in the page, before this segment's loading.tsx, so a role without
// policies.submit gets a real 403 rather than a streamed one.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor(ROUTES.policyNew.permission);
  return children;
}
