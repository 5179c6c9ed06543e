import type { Metadata } from "next";
import { PolicySimulator } from "@/components/policies/simulator/policy-simulator";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Policy simulator" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function Page({ searchParams }: { searchParams: Search }) {
  await requireActor(ROUTES.policySimulator.permission);
  const q = await searchParams;
  return <PolicySimulator initial={{ versionId: one(q.versionId), server: one(q.server), clientId: one(q.client_id) }} />;
}
