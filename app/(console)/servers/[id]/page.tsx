import type { Metadata } from "next";
import { ServerPage } from "@/components/registry/server/server-page";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Server" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.servers.permission);
  const { id } = await params;
  return <ServerPage id={id} />;
}
