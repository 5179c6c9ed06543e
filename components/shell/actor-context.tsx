"use client";

import { createContext, useContext } from "react";
import { roleHas, type Permission } from "@/lib/auth/permissions";
import type { ShellActor } from "@/lib/client/types";

// The signed-in person, handed down by the console layout (which read it on the server). Used
// only to shape the UI: every API call is checked again on the server.

const ActorContext = createContext<ShellActor | null>(null);

export function ActorProvider({ actor, children }: { actor: ShellActor; children: React.ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

/** The signed-in person, or null outside the console (e.g. on the root 403 page). */
export function useOptionalActor(): ShellActor | null {
  return useContext(ActorContext);
}

export function useActor(): ShellActor {
  const actor = useContext(ActorContext);
  if (!actor) throw new Error("useActor() outside the console layout");
  return actor;
}

export function useCan(): (permission: Permission) => boolean {
  const actor = useActor();
  return (permission) => roleHas(actor.role, permission);
}
