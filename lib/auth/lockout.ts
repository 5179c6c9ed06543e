import { db, type Tx } from "@/lib/db";
import { getSettings } from "@/lib/settings/data";
import type { Settings } from "@/lib/settings/schema";

// Lockout state of accounts, for the Users page (ADMIN) and for sign-in (lib/auth/signin.ts).
// A LoginFailure row is one sign-in attempt that did not succeed (or is still being checked),
// keyed by e-mail and client address, counted over the sliding lockoutWindowMinutes:
// - lockoutFailures from one (e-mail, address): the account is locked from that address;
// - lockoutAccountFailures for the e-mail from all addresses: locked everywhere;
// - throttlePerAddress from one address across all e-mails: the address is throttled.

export interface LockoutState {
  /** Locked from at least one client address (or everywhere). */
  locked: boolean;
  /** Locked from every address (lockoutAccountFailures reached). */
  lockedEverywhere: boolean;
  /** Failed attempts for this e-mail inside the window, from all addresses. */
  failures: number;
  /** When the last lock lifts by itself (ISO 8601), null when not locked. */
  until: string | null;
}

export type LockoutLimits = Pick<Settings, "lockoutFailures" | "lockoutAccountFailures" | "lockoutWindowMinutes">;

export function windowStart(now: Date, windowMinutes: number): Date {
  return new Date(now.getTime() - windowMinutes * 60_000);
}

/**
 * When a set of attempt times inside the window stops reaching `limit`: after the oldest
 * (count - limit + 1) of them have aged out. Null when the limit is not reached.
 */
function lockLifts(times: number[], limit: number, windowMs: number): number | null {
  if (times.length < limit) return null;
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length - limit] + windowMs;
}

/** Lockout state computed from the attempts (of one e-mail) inside the window. */
export function stateOf(attempts: { address: string; at: Date }[], limits: LockoutLimits): LockoutState {
  const windowMs = limits.lockoutWindowMinutes * 60_000;
  const all = attempts.map((a) => a.at.getTime());
  const everywhere = lockLifts(all, limits.lockoutAccountFailures, windowMs);
  const byAddress = new Map<string, number[]>();
  for (const a of attempts) {
    const list = byAddress.get(a.address) ?? [];
    list.push(a.at.getTime());
    byAddress.set(a.address, list);
  }
  let until = everywhere;
  for (const times of byAddress.values()) {
    const lifts = lockLifts(times, limits.lockoutFailures, windowMs);
    if (lifts !== null && (until === null || lifts > until)) until = lifts;
  }
  return {
    locked: until !== null,
    lockedEverywhere: everywhere !== null,
    failures: attempts.length,
    until: until === null ? null : new Date(until).toISOString(),
  };
}

const EMPTY: LockoutState = { locked: false, lockedEverywhere: false, failures: 0, until: null };

/** Lockout state per e-mail (lower-cased keys as given); unknown e-mails are unlocked. */
export async function lockoutStates(emails: string[], now = new Date(), client: Tx = db()): Promise<Map<string, LockoutState>> {
  const wanted = [...new Set(emails.filter(Boolean))];
  const out = new Map<string, LockoutState>();
  if (wanted.length === 0) return out;
  const limits = await getSettings(client);
  const rows = await client.loginFailure.findMany({
    where: { email: { in: wanted }, at: { gt: windowStart(now, limits.lockoutWindowMinutes) } },
    select: { email: true, address: true, at: true },
  });
  const byEmail = new Map<string, { address: string; at: Date }[]>();
  for (const r of rows) {
    const list = byEmail.get(r.email) ?? [];
    list.push(r);
    byEmail.set(r.email, list);
  }
  for (const email of wanted) {
    const list = byEmail.get(email);
    out.set(email, list ? stateOf(list, limits) : { ...EMPTY });
  }
  return out;
}

/** Unlocks an account: deletes every recorded attempt for the e-mail. Returns how many. */
export async function clearLockout(tx: Tx, email: string): Promise<number> {
  const { count } = await tx.loginFailure.deleteMany({ where: { email: email.trim().toLowerCase() } });
  return count;
}
