"use client";

import { useState } from "react";
import { LogOut } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { api, errorMessage } from "@/lib/client/api";

/** Ends every session of the signed-in person (this one too), then goes to the sign-in page. */
export function SignOutEverywhere() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="grid gap-3">
      {error && <Alert>{error}</Alert>}
      <Button
        variant="secondary"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          try {
            await api("/api/v1/me/sessions", { method: "DELETE" });
            // A full load: nothing of the ended session stays in memory.
            // eslint-disable-next-line @next/next/no-location-assign-relative-destination
            window.location.assign("/signin");
          } catch (err) {
            setError(errorMessage(err));
            setPending(false);
          }
        }}
      >
        {pending ? <Spinner /> : <LogOut aria-hidden />}
        Sign out everywhere
      </Button>
    </div>
  );
}
