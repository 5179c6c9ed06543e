import type { Metadata } from "next";
import { ServerCatalog } from "@/components/registry/catalog/server-catalog";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Servers" };

export default async function Page() {
  await requireActor(ROUTES.servers.permission);
  return <ServerCatalog />;
}
