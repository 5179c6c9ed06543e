import type { Metadata } from "next";
import { SettingsForm } from "@/components/settings/settings-form";
import { requireActor } from "@/lib/auth/session";
import { ROUTES } from "@/lib/client/routes";

export const metadata: Metadata = { title: "Settings" };

export default async function Page() {
  await requireActor(ROUTES.settings.permission);
  return <SettingsForm />;
}
