import { db } from "@/lib/db";
import { can, type Actor } from "@/lib/auth/actor";

// Dashboard counts. Each one is included only when the caller may see the records it counts,
// so the dashboard never reveals more than the pages behind it.

export interface DashboardStats {
  /** Active (not disabled) people; needs users.manage. */
  activeUsers?: number;
  /** Active service accounts; needs users.manage. */
  activeServiceAccounts?: number;
  /** Tokens neither revoked nor expired; needs tokens.manage. */
  activeTokens?: number;
  /** Reviews waiting for a decision; needs catalog.read. */
  pendingReviews: number;
  /** Audit events recorded in the last 24 hours, all streams; needs audit.read. */
  auditEvents24h?: number;
}

export async function dashboardStats(actor: Actor, now = new Date()): Promise<DashboardStats> {
  const client = db();
  const since = new Date(now.getTime() - 24 * 60 * 60_000);
  const [activeUsers, activeServiceAccounts, activeTokens, pendingReviews, auditEvents24h] = await Promise.all([
    can(actor, "users.manage") ? client.user.count({ where: { kind: "human", disabled: false } }) : undefined,
    can(actor, "users.manage") ? client.user.count({ where: { kind: "service", disabled: false } }) : undefined,
    can(actor, "tokens.manage")
      ? client.apiToken.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } })
      : undefined,
    client.review.count({ where: { state: "pending" } }),
    can(actor, "audit.read") ? client.auditEvent.count({ where: { time: { gte: since } } }) : undefined,
  ]);
  return { activeUsers, activeServiceAccounts, activeTokens, pendingReviews, auditEvents24h };
}
