import { cache } from "react";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { actorFromSessionCookie, can, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";

// For server components and server actions: the signed-in person, re-read from the database.

// cache(): the console layout, a section's layout and its page each check; one lookup per request.
export const currentActor = cache(async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return actorFromSessionCookie(header);
});

/** Signed-out visitors go to /signin; signed-in ones without the permission get the 403 page. */
export async function requireActor(permission?: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  if (permission && !can(actor, permission)) forbidden();
  return actor;
}
