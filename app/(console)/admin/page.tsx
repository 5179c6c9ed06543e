import { redirect } from "next/navigation";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { ADMIN_NAV, ROUTES } from "@/lib/client/routes";

// /admin opens the first admin page the role may use (or the 403 page for Users).
export default async function AdminIndex() {
  const actor = await requireActor();
  redirect((ADMIN_NAV.find((r) => can(actor, r.permission)) ?? ROUTES.users).href);
}
