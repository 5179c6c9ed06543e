import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { HashingBusyError, hashPassword, verifyPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/sessions";
import { recordAttempt, recordFailure } from "@/lib/auth/signin";
import type { ClientInfo } from "@/lib/server/client";
import { getSettings } from "@/lib/settings/data";

// POST /api/v1/me/password: a person changes their own local password. The current password is
// checked like a sign-in (recorded first, counted, locked out and throttled the same way). The
// change bumps sessionVersion and revokes every session; the caller's own session continues as a
// fresh one (a new session row and cookie), so only other browsers are signed out.

export interface PasswordChangeResult {
  /** The caller's new session, when they called with a session cookie. */
  session?: { id: string; version: number; expiresAt: Date };
  sessionsEnded: number;
}

export async function changeOwnPassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
  now = new Date(),
): Promise<PasswordChangeResult> {
  const user = await db().user.findUnique({ where: { id: actor.id }, omit: { passwordHash: false } });
  if (!user || user.kind !== "human") throw new ApiError("conflict", "Service accounts have no password");
  if (!user.passwordHash || !user.email) {
    throw new ApiError("conflict", "Your account signs in through single sign-on: change your password at your identity provider");
  }
  if (input.newPassword === input.currentPassword) {
    throw new ApiError("validation_failed", "Invalid newPassword", [{ field: "newPassword", message: "must differ from the current password" }]);
  }
  const email = user.email;
  const address = client.address ?? "";
  const limits = await getSettings();
  const attempt = await recordAttempt(email, address, client, limits, now, "password_change");
  if (attempt.kind === "refused") {
    throw new ApiError("rate_limited", "Too many wrong passwords: try again later");
  }
  let valid: boolean;
  let newHash: string | null = null;
  try {
    valid = await verifyPassword(input.currentPassword, user.passwordHash);
    if (valid) newHash = await hashPassword(input.newPassword);
  } catch (err) {
    await db().loginFailure.deleteMany({ where: { id: attempt.id } }).catch(() => {});
    if (err instanceof HashingBusyError) throw err;
    throw err;
  }
  if (!valid || !newHash) {
    await recordFailure(email, address, attempt, user, "wrong_password", client, limits, now, "password_change");
    throw new ApiError("validation_failed", "Invalid currentPassword", [{ field: "currentPassword", message: "is not correct" }]);
  }
  const hash = newHash;
  return db().$transaction(async (tx) => {
    await tx.loginFailure.deleteMany({ where: { OR: [{ id: attempt.id }, { email, address }] } });
    const saved = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash: hash, mustChangePassword: false, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    const { count } = await tx.userSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } });
    const session = actor.via === "session" ? await createSession(tx, user.id, client, now) : undefined;
    await recordAudit(tx, actor, {
      action: "user.password_change",
      target: { type: "user", id: user.id, label: email },
      data: { sessionsEnded: count, wasRequired: user.mustChangePassword },
    });
    return {
      sessionsEnded: count,
      session: session ? { id: session.id, version: saved.sessionVersion, expiresAt: session.expiresAt } : undefined,
    };
  });
}
