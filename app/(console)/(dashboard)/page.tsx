import type { Metadata } from "next";
import { Dashboard } from "@/components/dashboard/dashboard";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  const actor = await requireActor(ROUTES.dashboard.permission);
  // Every successful sign-in is an `auth.signin` audit event by the person: one means this is
  // their first. (Session rows would over-count: a forced password change opens a second one.)
  const signIns = await db().auditEvent.findMany({
    where: { actorId: actor.id, action: "auth.signin" },
    select: { seq: true },
    take: 2,
  });
  return <Dashboard firstSignIn={signIns.length <= 1} />;
}
