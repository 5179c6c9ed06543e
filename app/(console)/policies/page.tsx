import type { Metadata } from "next";
import { PoliciesComingSoon } from "@/components/coming-soon/sections";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Policies" };

export default async function Page() {
  await requireActor(ROUTES.policies.permission);
  return <PoliciesComingSoon />;
}
