import { db, lockKey, type Tx } from "@/lib/db";
import { bumpTokens, tokensChanged } from "@/lib/auth/token-cache";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { clearLockout, lockoutStates } from "@/lib/auth/lockout";
import { hashPassword } from "@/lib/auth/password";
import { endAllSessions } from "@/lib/auth/sessions";
import { recordAudit } from "@/lib/audit/record";
import { asciiLower, literalFilter, needsExactCheck, searchPage } from "@/lib/users/search";
import { usersJson, userRecord } from "@/lib/users/json";
import type { CreateUserInput, ListQuery, UpdateUserInput } from "@/lib/users/schema";

// People (and the listing of service accounts): created by an admin, changed with immediate
// effect, every kind of change its own audit event in the change's transaction.

export { toTokenJson, toUserJson } from "@/lib/users/json";
export { createServiceAccount, revokeServiceAccount } from "@/lib/users/service-accounts";
export { createToken, listTokens, revokeToken } from "@/lib/users/tokens";

export async function listUsers(kind: "human" | "service", q: ListQuery) {
  const needle = q.q?.toLowerCase();
  const where = {
    kind,
    // email is stored lower-cased; names match without regard to case on both engines.
    ...(needle ? { OR: [{ email: literalFilter(needle) }, { name: literalFilter(needle) }] } : {}),
  };
  const { page, nextCursor } = await searchPage(
    (args) => db().user.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...args }),
    q,
    needsExactCheck(needle) ? (u) => (u.email ?? "").includes(needle) || asciiLower(u.name).includes(needle) : undefined,
  );
  return { items: await usersJson(page), nextCursor };
}

async function findPerson(tx: Tx, id: string) {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user || user.kind !== "human") throw new ApiError("not_found", `User ${id} not found`);
  return user;
}

export async function createUser(actor: Actor, input: CreateUserInput) {
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new ApiError("conflict", `A user with e-mail ${input.email} already exists`, [
        { field: "email", message: "already in use" },
      ]);
    }
    // An admin chose this password: the person changes it at first sign-in.
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash, mustChangePassword: true, createdById: actor.id },
    });
    await recordAudit(tx, actor, { action: "user.create", target: { type: "user", id: user.id, label: user.email }, after: userRecord(user) });
    return (await usersJson([user], tx))[0];
  });
}

/**
 * Serialises every change that could leave no active admin. Without it two admins demoting each
 * other at once each count the other as still an admin (write skew) and both commit. Take it
 * before reading the users involved; on SQLite write transactions are serial already.
 */
export async function lockAdmins(tx: Tx): Promise<void> {
  await lockKey(tx, "admins");
}

/** Active human admins, as the transaction sees them now. */
export async function activeAdmins(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false, kind: "human" } });
}

export async function updateUser(actor: Actor, id: string, input: UpdateUserInput) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const result = await db().$transaction(async (tx) => {
    if (input.role !== undefined || input.disabled !== undefined) await lockAdmins(tx);
    const before = await findPerson(tx, id);
    const renaming = input.name !== undefined && input.name !== before.name;
    const roleChanging = input.role !== undefined && input.role !== before.role;
    const disabling = input.disabled === true && !before.disabled;
    const enabling = input.disabled === false && before.disabled;
    const resetting = passwordHash !== undefined;
    if (before.id === actor.id && (input.disabled === true || roleChanging)) {
      throw new ApiError("conflict", "You cannot disable yourself or change your own role");
    }
    if (before.ssoSubject && resetting) {
      throw new ApiError("validation_failed", "SSO users sign in through the identity provider", [
        { field: "password", message: "cannot be set for an SSO user" },
      ]);
    }
    if (!renaming && !roleChanging && !disabling && !enabling && !resetting) return (await usersJson([before], tx))[0];

    await tx.user.update({
      where: { id },
      data: {
        ...(renaming ? { name: input.name } : {}),
        ...(roleChanging ? { role: input.role } : {}),
        ...(disabling || enabling ? { disabled: disabling } : {}),
        // An admin-set password must be changed at the next sign-in.
        ...(resetting ? { passwordHash, mustChangePassword: true } : {}),
      },
    });
    if (before.role === "admin" && !before.disabled && (roleChanging || disabling) && (await activeAdmins(tx)) === 0) {
      throw new ApiError("conflict", "This is the last active admin; make another admin first");
    }
    const now = new Date();
    // A new password, a new role or disabling ends every session; disabling also revokes every
    // token, so enabling again revives no old credential.
    const sessionsEnded = roleChanging || disabling || resetting ? (await endAllSessions(tx, id, now)).revoked : 0;
    const tokensRevoked = disabling ? (await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } })).count : 0;
    // Cached bearer lookups (the fast path's) must not outlive a role change or a disable.
    if (roleChanging || disabling) await bumpTokens(tx);

    const target = { type: "user", id, label: before.email };
    const data = input.reason ? { reason: input.reason } : undefined;
    if (renaming) await recordAudit(tx, actor, { action: "user.rename", target, before: { name: before.name }, after: { name: input.name }, data });
    if (roleChanging) {
      await recordAudit(tx, actor, { action: "user.role_change", target, before: { role: before.role }, after: { role: input.role }, data });
    }
    if (disabling) {
      await recordAudit(tx, actor, { action: "user.disable", target, before: { disabled: false }, after: { disabled: true, sessionsEnded, tokensRevoked }, data });
    }
    if (enabling) await recordAudit(tx, actor, { action: "user.enable", target, before: { disabled: true }, after: { disabled: false }, data });
    if (resetting) {
      await recordAudit(tx, actor, {
        action: "user.password_reset",
        target,
        before: { mustChangePassword: before.mustChangePassword },
        after: { mustChangePassword: true },
        data,
      });
    }
    return (await usersJson([await tx.user.findUniqueOrThrow({ where: { id } })], tx, now))[0];
  });
  tokensChanged();
  return result;
}

/** Lifts a sign-in lockout early: forgets the recorded failures for the person's e-mail. */
export async function unlockUser(actor: Actor, id: string) {
  return db().$transaction(async (tx) => {
    // Two admins unlocking at once: the second finds nothing to unlock.
    await lockKey(tx, `user-unlock:${id}`);
    const user = await findPerson(tx, id);
    const now = new Date();
    const state = user.email ? (await lockoutStates([user.email], now, tx)).get(user.email) : undefined;
    if (!user.email || !state?.locked) throw new ApiError("conflict", `${user.email ?? user.name} is not locked`);
    const cleared = await clearLockout(tx, user.email);
    await recordAudit(tx, actor, {
      action: "user.unlock",
      target: { type: "user", id, label: user.email },
      before: { locked: true, lockedUntil: state.until, lockedEverywhere: state.lockedEverywhere, failures: state.failures },
      after: { locked: false },
      data: { failuresCleared: cleared },
    });
    return (await usersJson([user], tx, now))[0];
  });
}

/** "Sign out everywhere" for a person: every session ends at once (tokens are left alone). */
export async function revokeUserSessions(actor: Actor, id: string) {
  return db().$transaction(async (tx) => {
    const user = await findPerson(tx, id);
    const { revoked } = await endAllSessions(tx, id);
    await recordAudit(tx, actor, {
      action: "user.sessions_revoke",
      target: { type: "user", id, label: user.email },
      after: { sessionsEnded: revoked },
    });
    return (await usersJson([user], tx))[0];
  });
}
