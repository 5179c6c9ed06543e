"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { LogOut } from "lucide-react";
import { useActor } from "@/components/shell/actor-context";
import { Button } from "@/components/ui/button";
import { RoleBadge } from "@/components/ui/role-badge";
import { Spinner } from "@/components/ui/spinner";
import { ThemeToggle } from "@/components/ui/theme-toggle";

function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** Who is signed in, with the theme switch and sign-out. */
export function UserPanel() {
  const actor = useActor();
  const [signingOut, setSigningOut] = useState(false);
  return (
    <div className="grid gap-2 border-t p-3">
      <div className="flex min-w-0 items-center gap-3 px-1">
        <div
          aria-hidden
          className="flex size-9 shrink-0 items-center justify-center rounded-full bg-accent text-sm font-semibold text-accent-foreground"
        >
          {initials(actor.name)}
        </div>
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium" title={actor.name}>
            {actor.name}
          </p>
          {actor.email && (
            <p className="truncate text-xs text-muted-foreground" title={actor.email}>
              {actor.email}
            </p>
          )}
        </div>
      </div>
      <div className="flex items-center gap-1 pl-1">
        <span className="sr-only">Role:</span>
        <RoleBadge role={actor.role} />
        <span className="flex-1" />
        <ThemeToggle />
        <Button
          variant="ghost"
          size="sm"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut({ callbackUrl: "/signin" });
          }}
        >
          {signingOut ? <Spinner /> : <LogOut aria-hidden />}
          Sign out
        </Button>
      </div>
    </div>
  );
}
