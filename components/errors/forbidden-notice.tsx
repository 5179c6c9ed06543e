"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ShieldX } from "lucide-react";
import { useOptionalActor } from "@/components/shell/actor-context";
import { buttonClasses } from "@/components/ui/button";
import { routeForPath } from "@/lib/client/routes";

/** The 403 page: which permission the page needs and that the role lacks it. */
export function ForbiddenNotice() {
  const pathname = usePathname();
  const actor = useOptionalActor();
  const route = routeForPath(pathname);
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-5 py-16 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-amber-50 dark:bg-amber-500/10">
        <ShieldX aria-hidden className="size-6 text-amber-600 dark:text-amber-400" />
      </div>
      <div className="grid gap-2">
        <p className="text-sm font-medium text-muted-foreground">403 · Forbidden</p>
        <h1 className="text-2xl font-semibold tracking-tight">You don&apos;t have access</h1>
        <p className="text-sm text-muted-foreground">
          {route ? (
            <>
              {route.label} needs the <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-foreground">{route.permission}</code>{" "}
              permission
            </>
          ) : (
            <>This page needs a permission</>
          )}
          {actor ? (
            <>
              , which the <strong className="font-medium text-foreground">{actor.role}</strong> role doesn&apos;t include.
            </>
          ) : (
            <> that your role doesn&apos;t include.</>
          )}{" "}
          Ask a Portcullis administrator if you need it.
        </p>
      </div>
      <Link href="/" className={buttonClasses("secondary")}>
        Back to the dashboard
      </Link>
    </div>
  );
}
