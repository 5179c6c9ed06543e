import type { Metadata } from "next";
import { AgentList } from "@/components/agents/agent-list";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Agents" };

export default async function Page() {
  await requireActor(ROUTES.agents.permission);
  return <AgentList />;
}
