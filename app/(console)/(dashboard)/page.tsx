import type { Metadata } from "next";
import { Dashboard } from "@/components/dashboard/dashboard";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  await requireActor(ROUTES.dashboard.permission);
  return <Dashboard />;
}
