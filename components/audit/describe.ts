import type { AuditEventJson } from "@/lib/client/types";

// Known console actions in words, for summaries; the raw action stays visible in the audit table.
const VERBS: Record<string, string> = {
  "user.create": "created user",
  "user.update": "updated user",
  "user.disable": "disabled user",
  "user.enable": "enabled user",
  "service_account.create": "created service account",
  "service_account.revoke": "revoked service account",
  "token.create": "issued API token",
  "token.revoke": "revoked API token",
  "auth.signin": "signed in",
  "auth.lockout": "locked sign-in for",
  "review.submit": "submitted for review",
  "review.approve": "approved",
  "review.reject": "rejected",
};

/** Actions offered as suggestions in the audit filter. */
export const KNOWN_ACTIONS = Object.keys(VERBS);

export function describeAction(action: string): string {
  return VERBS[action] ?? action;
}

export function actorName(e: Pick<AuditEventJson, "actor">): string {
  return e.actor.label ?? e.actor.id ?? e.actor.type;
}

export function targetName(e: Pick<AuditEventJson, "target">): string | null {
  if (!e.target) return null;
  return e.target.label ?? e.target.id ?? null;
}
