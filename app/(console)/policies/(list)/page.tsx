import type { Metadata } from "next";
import { PolicyList } from "@/components/policies/policy-list";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Policies" };

export default async function Page() {
  await requireActor(ROUTES.policies.permission);
  return <PolicyList />;
}
