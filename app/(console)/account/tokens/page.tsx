import type { Metadata } from "next";
import { AccountTokens } from "@/components/account/account-tokens";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your API tokens" };

export default async function Page() {
  await requireActor();
  return <AccountTokens />;
}
