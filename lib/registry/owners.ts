import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { roleHas } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";
import { canManageOwnersOf } from "@/lib/registry/permissions";

// Co-owners of a server: whoever owns it (or an approver) adds people who may submit its
// versions, and removes them; a server always keeps at least one owner. Both run under the
// server's lock, so two removals cannot each leave the other as "the last owner" and both go.

/** The server, locked, with its owners, once the actor is known to be allowed to change them. */
async function lockedForOwnerChange(tx: Tx, actor: Actor, serverId: string) {
  const s = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true } });
  if (!s) throw new ApiError("not_found", `Server ${serverId} not found`);
  await lockKey(tx, `server:${s.name}`);
  const owners = await tx.serverOwner.findMany({ where: { serverId } });
  if (!canManageOwnersOf(actor, owners.map((o) => o.userId))) throw new ApiError("forbidden", `Only the owners of ${s.name} or an approver may change its owners`);
  return { s, owners };
}

export async function addOwner(actor: Actor, serverId: string, input: { email?: string; userId?: string }) {
  return db().$transaction(async (tx) => {
    const { s, owners } = await lockedForOwnerChange(tx, actor, serverId);
    const user = input.userId
      ? await tx.user.findUnique({ where: { id: input.userId } })
      : await tx.user.findUnique({ where: { email: (input.email ?? "").toLowerCase() } });
    const field = input.userId ? "userId" : "email";
    // One answer for "no such person", "disabled" and "may not submit": owners are not told who
    // exists or what role they have.
    if (!user || user.disabled || !roleHas(user.role, "servers.submit")) {
      throw new ApiError("validation_failed", `${field}: no active user who may submit servers`, [{ field, message: "no active user who may submit servers" }]);
    }
    if (owners.some((o) => o.userId === user.id)) throw new ApiError("conflict", `${user.name} already owns ${s.name}`);
    await tx.serverOwner.create({ data: { serverId, userId: user.id, addedById: actor.id } });
    await recordAudit(tx, actor, { action: "server.owner.add", target: { type: "server", id: s.id, label: s.name }, after: { userId: user.id, name: user.name } });
    return { serverId, userId: user.id, name: user.name };
  });
}

export async function removeOwner(actor: Actor, serverId: string, userId: string) {
  return db().$transaction(async (tx) => {
    const { s, owners } = await lockedForOwnerChange(tx, actor, serverId);
    if (!owners.some((o) => o.userId === userId)) throw new ApiError("not_found", `That user does not own ${s.name}`);
    if (owners.length === 1) throw new ApiError("conflict", `${s.name} must keep at least one owner: add another before removing this one`);
    await tx.serverOwner.delete({ where: { serverId_userId: { serverId, userId } } });
    await recordAudit(tx, actor, { action: "server.owner.remove", target: { type: "server", id: s.id, label: s.name }, before: { userId } });
    return { serverId, userId, removed: true };
  });
}
