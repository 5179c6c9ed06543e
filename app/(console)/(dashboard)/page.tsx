import type { Metadata } from "next";
import { Dashboard } from "@/components/dashboard/dashboard";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  const actor = await requireActor(ROUTES.dashboard.permission);
  // A sign-in creates a session row: at most one means this is the person's first sign-in.
  const sessions = await db().userSession.count({ where: { userId: actor.id } });
  return <Dashboard firstSignIn={sessions <= 1} />;
}
