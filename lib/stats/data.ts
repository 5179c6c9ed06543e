import { db } from "@/lib/db";
import { can, type Actor } from "@/lib/auth/actor";
import { windowStart } from "@/lib/auth/lockout";
import { getSettings } from "@/lib/settings/data";

// Dashboard counts. Each one is included only when the caller may see the records it counts,
// so the dashboard never reveals more than the pages behind it.

export interface DashboardStats {
  /** Active (not disabled) people; needs users.read. */
  activeUsers?: number;
  /** Active service accounts; needs users.read. */
  activeServiceAccounts?: number;
  /** Tokens neither revoked nor expired; needs users.read. */
  activeTokens?: number;
  /** People locked out of password sign-in (from some address or everywhere); needs users.read. */
  lockedAccounts?: number;
  /** Live tokens expiring within tokenExpiryWarningDays; needs users.read. */
  tokensExpiringSoon?: number;
  /** Reviews waiting for a decision; needs catalog.read. */
  pendingReviews: number;
  /** Audit events recorded in the last 24 hours, all streams; needs audit.read. */
  auditEvents24h?: number;
  /** Approved versions whose tools differ from their pinned snapshot; needs catalog.read. */
  driftedVersions: number;
  /** Approved versions whose last tool check failed; needs catalog.read. */
  failedChecks: number;
}

/** People whose recorded sign-in failures reach a lockout limit inside the window. */
async function lockedAccounts(now: Date): Promise<number> {
  const client = db();
  const s = await getSettings();
  const since = { at: { gt: windowStart(now, s.lockoutWindowMinutes) } };
  const [perAddress, everywhere] = await Promise.all([
    client.loginFailure.groupBy({ by: ["email", "address"], where: since, having: { id: { _count: { gte: s.lockoutFailures } } } }),
    client.loginFailure.groupBy({ by: ["email"], where: since, having: { id: { _count: { gte: s.lockoutAccountFailures } } } }),
  ]);
  const emails = [...new Set([...perAddress, ...everywhere].map((r) => r.email))];
  return emails.length === 0 ? 0 : client.user.count({ where: { kind: "human", email: { in: emails } } });
}

export async function dashboardStats(actor: Actor, now = new Date()): Promise<DashboardStats> {
  const client = db();
  const since = new Date(now.getTime() - 24 * 60 * 60_000);
  const people = can(actor, "users.read");
  const warningDays = people ? (await getSettings()).tokenExpiryWarningDays : 0;
  const live = { state: "approved" as const, status: { not: "deleted" as const } };
  const [activeUsers, activeServiceAccounts, activeTokens, locked, tokensExpiringSoon, pendingReviews, auditEvents24h, driftedVersions, failedChecks] = await Promise.all([
    people ? client.user.count({ where: { kind: "human", disabled: false } }) : undefined,
    people ? client.user.count({ where: { kind: "service", disabled: false } }) : undefined,
    people ? client.apiToken.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }) : undefined,
    people ? lockedAccounts(now) : undefined,
    people
      ? client.apiToken.count({ where: { revokedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + warningDays * 86_400_000) } } })
      : undefined,
    client.review.count({ where: { state: "pending" } }),
    can(actor, "audit.read") ? client.auditEvent.count({ where: { time: { gte: since } } }) : undefined,
    client.serverVersion.count({ where: { ...live, driftSince: { not: null } } }),
    client.serverVersion.count({ where: { ...live, lastCheckError: { not: null } } }),
  ]);
  return { activeUsers, activeServiceAccounts, activeTokens, lockedAccounts: locked, tokensExpiringSoon, pendingReviews, auditEvents24h, driftedVersions, failedChecks };
}
