import type { Metadata } from "next";
import { ServiceAccountsAdmin } from "@/components/admin/service-accounts/service-accounts-admin";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Service accounts" };

export default async function Page() {
  await requireActor(ROUTES.serviceAccounts.permission);
  return <ServiceAccountsAdmin />;
}
