import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SetupForm } from "@/components/auth/setup-form";
import { setupNeeded } from "@/lib/auth/bootstrap";

export const metadata: Metadata = { title: "First-run setup" };

// Only while no person has an account; afterwards this page is gone.
export default async function SetupPage() {
  if (!(await setupNeeded())) redirect("/signin");
  return (
    <AuthFrame
      title="Set up Portcullis"
      description="Create the first administrator. You need the one-time setup code from the server log."
    >
      <SetupForm />
    </AuthFrame>
  );
}
