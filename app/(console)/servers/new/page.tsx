import type { Metadata } from "next";
import { SubmitServer } from "@/components/registry/submit/submit-server";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Submit a server version" };

export default async function Page() {
  await requireActor("servers.submit");
  return <SubmitServer />;
}
