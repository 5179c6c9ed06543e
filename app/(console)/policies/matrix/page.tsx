import type { Metadata } from "next";
import { PolicyMatrixPage } from "@/components/policies/matrix/policy-matrix";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Policy matrix" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function Page({ searchParams }: { searchParams: Search }) {
  await requireActor(ROUTES.policyMatrix.permission);
  const q = await searchParams;
  return <PolicyMatrixPage server={one(q.server) ?? ""} versionId={one(q.versionId)} />;
}
