import type { Metadata } from "next";
import { TasksComingSoon } from "@/components/coming-soon/sections";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Tasks" };

export default async function Page() {
  await requireActor(ROUTES.tasks.permission);
  return <TasksComingSoon />;
}
