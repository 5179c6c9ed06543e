import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users/users-admin";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Users" };

export default async function Page() {
  await requireActor(ROUTES.users.permission);
  return <UsersAdmin />;
}
