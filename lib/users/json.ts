import { db, type Tx } from "@/lib/db";
import { lockoutStates, type LockoutState } from "@/lib/auth/lockout";

// What the API shows of people, service accounts and tokens: never a password hash, a token
// hash or a session version. `*Record` is what audit events keep (no time-dependent fields).

type UserRow = Awaited<ReturnType<ReturnType<typeof db>["user"]["findFirstOrThrow"]>>;
type TokenRow = Awaited<ReturnType<ReturnType<typeof db>["apiToken"]["findFirstOrThrow"]>>;

/** Who created a user or a token (null when unknown: set up by the system, or since deleted). */
export interface PersonRef {
  id: string;
  name: string;
}

export function userRecord(u: UserRow) {
  return {
    id: u.id,
    kind: u.kind,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    sso: Boolean(u.ssoSubject),
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}

export function toUserJson(u: UserRow, extra: { lock?: LockoutState | null; createdBy?: PersonRef | null } = {}) {
  return {
    ...userRecord(u),
    locked: extra.lock?.locked ?? false,
    lockedUntil: extra.lock?.until ?? null,
    createdBy: extra.createdBy ?? null,
  };
}

/** Names of the given user ids (creators), in one query. */
export async function personRefs(ids: (string | null)[], client: Tx = db()): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = await client.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name }]));
}

/** Users as the API shows them, with lockout state and creator, in two or three queries. */
export async function usersJson(rows: UserRow[], client: Tx = db(), now = new Date()) {
  const [creators, locks] = await Promise.all([
    personRefs(rows.map((u) => u.createdById), client),
    lockoutStates(rows.filter((u) => u.kind === "human" && u.email).map((u) => u.email!), now, client),
  ]);
  return rows.map((u) =>
    toUserJson(u, { lock: u.email ? locks.get(u.email) : null, createdBy: u.createdById ? (creators.get(u.createdById) ?? null) : null }),
  );
}

export function tokenRecord(t: TokenRow & { user?: { name: string; kind: string } }) {
  return {
    id: t.id,
    userId: t.userId,
    userName: t.user?.name ?? null,
    userKind: t.user?.kind ?? null,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** A live token (not revoked) that expires within `warningDays` from `now` and has not yet. */
export function expiresSoon(t: { revokedAt: Date | null; expiresAt: Date | null }, warningDays: number, now = new Date()): boolean {
  if (t.revokedAt || !t.expiresAt) return false;
  const left = t.expiresAt.getTime() - now.getTime();
  return left > 0 && left <= warningDays * 86_400_000;
}

export function toTokenJson(
  t: TokenRow & { user?: { name: string; kind: string } },
  extra: { createdBy?: PersonRef | null; warningDays?: number; now?: Date } = {},
) {
  return {
    ...tokenRecord(t),
    createdBy: extra.createdBy ?? null,
    expiresSoon: extra.warningDays === undefined ? false : expiresSoon(t, extra.warningDays, extra.now),
  };
}
