import type { Metadata } from "next";
import { AgentOverview } from "@/components/agents/agent-overview";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Agent" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.agents.permission);
  const { id } = await params;
  return <AgentOverview id={id} />;
}
