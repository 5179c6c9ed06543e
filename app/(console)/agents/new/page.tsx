import type { Metadata } from "next";
import { NewAgent } from "@/components/agents/new-agent";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";
import { env } from "@/lib/env";
import { insecureBase } from "@/lib/cimd/documents";

export const metadata: Metadata = { title: "Register an agent" };

export default async function Page() {
  await requireActor(ROUTES.agentNew.permission);
  // The client_id an agent gets is PUBLIC_BASE_URL's, fixed at creation: the preview shows it.
  const base = env().PUBLIC_BASE_URL;
  return <NewAgent publicBaseUrl={base} insecureBase={insecureBase()} />;
}
