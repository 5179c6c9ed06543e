import type { Metadata } from "next";
import { NewPolicy } from "@/components/policies/editor/policy-editor-page";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "New policy" };

export default async function Page() {
  await requireActor(ROUTES.policyNew.permission);
  return <NewPolicy />;
}
