import type { Metadata } from "next";
import { AllowlistDownloads } from "@/components/registry/allowlist-downloads";
import { ServerCatalog } from "@/components/registry/catalog/server-catalog";
import { env } from "@/lib/env";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Servers" };

export default async function Page() {
  await requireActor(ROUTES.servers.permission);
  return (
    <ServerCatalog>
      <AllowlistDownloads publicBaseUrl={env().PUBLIC_BASE_URL} privateRegistry={env().REGISTRY_PRIVATE} />
    </ServerCatalog>
  );
}
