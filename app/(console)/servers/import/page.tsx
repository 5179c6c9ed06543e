import type { Metadata } from "next";
import { ServerImport } from "@/components/registry/import/server-import";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Import servers" };

export default async function Page() {
  await requireActor("servers.submit");
  return <ServerImport />;
}
