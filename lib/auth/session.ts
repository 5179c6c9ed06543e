import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { actorFromSessionCookie, can, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { clientInfo } from "@/lib/server/client";

// For server components and server actions: the signed-in person, re-read from the database.

/** Set by proxy.ts on every page request (a client cannot choose it): the path being rendered. */
export const PATHNAME_HEADER = "x-portcullis-pathname";
export const PASSWORD_CHANGE_PAGE = "/account/password";

// cache(): the console layout, a section's layout and its page each check; one lookup per request.
export const currentActor = cache(async function currentActor(): Promise<Actor | null> {
  const h = await headers();
  // The raw header, decoded by actorFromSessionCookie (bad %-encoding reads as no cookie).
  return actorFromSessionCookie(h.get("cookie"), clientInfo(h));
});

/**
 * Signed-out visitors go to /signin; signed-in ones without the permission get the 403 page.
 * Someone whose password an admin set is sent to the change-password page until they change it.
 */
export async function requireActor(permission?: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  if (actor.mustChangePassword) {
    const path = (await headers()).get(PATHNAME_HEADER);
    if (path !== PASSWORD_CHANGE_PAGE) redirect(PASSWORD_CHANGE_PAGE);
  }
  if (permission && !can(actor, permission)) forbidden();
  return actor;
}
