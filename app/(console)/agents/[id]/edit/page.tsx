import type { Metadata } from "next";
import { EditAgentDocument } from "@/components/agents/edit-agent-document";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Edit agent document" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.agentNew.permission);
  const { id } = await params;
  return <EditAgentDocument id={id} />;
}
