import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Audit" };

export default async function Page() {
  await requireActor(ROUTES.audit.permission);
  return <AuditLog />;
}
