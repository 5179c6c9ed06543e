import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

// Checked here, outside this segment's loading.tsx, so a role that cannot submit gets a real 403.
// An edit is a new version for review, so policies.submit is all it takes.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor(ROUTES.policyNew.permission);
  return children;
}
