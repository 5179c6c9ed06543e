import type { Metadata } from "next";
import { PolicyOverview } from "@/components/policies/policy-overview";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Policy" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.policies.permission);
  const { id } = await params;
  return <PolicyOverview id={id} />;
}
