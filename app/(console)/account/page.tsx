import type { Metadata } from "next";
import { AccountOverview } from "@/components/account/account-overview";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function Page() {
  await requireActor();
  return <AccountOverview />;
}
