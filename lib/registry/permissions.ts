import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";

// Who may touch this server: its owners submit versions and manage co-owners; approvers and
// admins may do so for any server (they hold reviews.decide).

export function canSubmitVersionOf(actor: Actor, ownerIds: readonly string[]): boolean {
  return can(actor, "servers.submit") && (ownerIds.includes(actor.id) || can(actor, "reviews.decide"));
}

export function canManageOwnersOf(actor: Actor, ownerIds: readonly string[]): boolean {
  return canSubmitVersionOf(actor, ownerIds);
}
