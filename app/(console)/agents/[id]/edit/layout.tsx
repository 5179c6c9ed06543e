import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

// Checked here, outside this segment's loading.tsx, so a role that cannot submit gets a real 403.
// Whether this person may edit this agent (an owner, or an approver) the API decides.
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requireActor(ROUTES.agentNew.permission);
  return children;
}
