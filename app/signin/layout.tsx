import { redirect } from "next/navigation";
import { setupNeeded } from "@/lib/auth/bootstrap";
import { currentActor } from "@/lib/auth/session";

// Redirects happen here, outside loading.tsx, so they are real HTTP redirects.
export default async function SignInLayout({ children }: { children: React.ReactNode }) {
  if (await setupNeeded()) redirect("/setup");
  if (await currentActor()) redirect("/");
  return children;
}
