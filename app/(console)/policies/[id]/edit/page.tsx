import type { Metadata } from "next";
import { EditPolicy } from "@/components/policies/editor/policy-editor-page";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Edit policy" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireActor(ROUTES.policyNew.permission);
  const { id } = await params;
  return <EditPolicy id={id} />;
}
