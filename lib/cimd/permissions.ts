import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";

// Who may touch this agent: its owners change its document, keys, draft and co-owners;
// approvers and admins may for any agent (they hold reviews.decide). Revoking and deleting are
// for reviewers only.

export function canChangeAgent(actor: Actor, ownerIds: readonly string[]): boolean {
  return can(actor, "agents.submit") && (ownerIds.includes(actor.id) || can(actor, "reviews.decide"));
}

export function canRevokeAgent(actor: Actor): boolean {
  return can(actor, "reviews.decide");
}
