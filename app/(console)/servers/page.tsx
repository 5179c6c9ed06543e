import type { Metadata } from "next";
import { ServersComingSoon } from "@/components/coming-soon/sections";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Servers" };

export default async function Page() {
  await requireActor(ROUTES.servers.permission);
  return <ServersComingSoon />;
}
