import type { AuditEventJson } from "@/lib/client/types";

// Known console actions in words, for summaries; the raw action stays visible in the audit table.
const VERBS: Record<string, string> = {
  "user.create": "created user",
  "user.update": "updated user",
  "user.rename": "renamed user",
  "user.role_change": "changed the role of",
  "user.disable": "disabled user",
  "user.enable": "enabled user",
  "user.delete": "deleted user",
  "user.unlock": "unlocked sign-in for",
  "user.password_reset": "reset the password of",
  "user.password_change": "changed the password of",
  "user.sessions_revoke": "signed out every session of",
  "service_account.create": "created service account",
  "service_account.revoke": "revoked service account",
  "token.create": "issued API token",
  "token.revoke": "revoked API token",
  "auth.signin": "signed in",
  "auth.signin_failed": "failed to sign in as",
  "auth.signout": "signed out",
  "auth.signout_everywhere": "signed out everywhere",
  "auth.lockout": "locked sign-in for",
  "setup.code_rejected": "entered a wrong setup code",
  "settings.update": "changed settings",
  "review.submit": "submitted for review",
  "review.approve": "approved",
  "review.reject": "rejected",
  "audit.export": "exported the audit trail",
  "audit.verify.request": "asked for an integrity check",
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
