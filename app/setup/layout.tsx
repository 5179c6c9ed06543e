import { redirect } from "next/navigation";
import { setupNeeded } from "@/lib/auth/bootstrap";

// Only while no person has an account; checked outside loading.tsx for a real HTTP redirect.
export default async function SetupLayout({ children }: { children: React.ReactNode }) {
  if (!(await setupNeeded())) redirect("/signin");
  return children;
}
