import type { Metadata } from "next";
import { AgentKeysPage } from "@/components/agents/keys/agent-keys-page";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Agent keys" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.agents.permission);
  const { id } = await params;
  return <AgentKeysPage id={id} />;
}
