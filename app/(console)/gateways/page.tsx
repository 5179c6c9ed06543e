import type { Metadata } from "next";
import { GatewaysComingSoon } from "@/components/coming-soon/sections";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Gateways" };

export default async function Page() {
  await requireActor(ROUTES.gateways.permission);
  return <GatewaysComingSoon />;
}
