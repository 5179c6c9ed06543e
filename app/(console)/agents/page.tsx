import type { Metadata } from "next";
import { AgentsComingSoon } from "@/components/coming-soon/sections";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Agents" };

export default async function Page() {
  await requireActor(ROUTES.agents.permission);
  return <AgentsComingSoon />;
}
