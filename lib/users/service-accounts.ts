import { db, lockKey } from "@/lib/db";
import { bumpTokens, tokensChanged } from "@/lib/auth/token-cache";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { newToken } from "@/lib/auth/tokens";
import { recordAudit } from "@/lib/audit/record";
import { getSettings } from "@/lib/settings/data";
import { usersJson, userRecord } from "@/lib/users/json";
import { tokenExpiry } from "@/lib/users/tokens";
import type { CreateServiceAccountInput } from "@/lib/users/schema";

// Service accounts: machine identities with a role, created with one initial token (shown once).

export async function createServiceAccount(actor: Actor, input: CreateServiceAccountInput) {
  const { token, prefix, hash } = newToken();
  return db().$transaction(async (tx) => {
    // Service-account names are unique, but the schema cannot say so (people may share names).
    await lockKey(tx, `service-account:${input.name}`);
    if (await tx.user.findFirst({ where: { kind: "service", name: input.name } })) {
      throw new ApiError("conflict", `A service account named ${input.name} already exists`, [
        { field: "name", message: "already in use" },
      ]);
    }
    const expiresAt = tokenExpiry(input.expiresInDays, await getSettings(tx));
    const account = await tx.user.create({
      data: { kind: "service", name: input.name, role: input.role, createdById: actor.id },
    });
    const row = await tx.apiToken.create({
      data: { userId: account.id, name: "initial", prefix, tokenHash: hash, expiresAt, createdById: actor.id },
    });
    await recordAudit(tx, actor, {
      action: "service_account.create",
      target: { type: "service_account", id: account.id, label: account.name },
      after: { ...userRecord(account), tokenId: row.id, tokenPrefix: prefix, tokenExpiresAt: expiresAt.toISOString() },
    });
    return { id: account.id, name: account.name, role: account.role, tokenId: row.id, token, expiresAt: expiresAt.toISOString() };
  });
}

/** Revoking a service account disables it and revokes every token it holds. */
export async function revokeServiceAccount(actor: Actor, id: string) {
  const result = await db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before || before.kind !== "service") throw new ApiError("not_found", `Service account ${id} not found`);
    if (before.disabled) throw new ApiError("conflict", "Service account is already revoked");
    const now = new Date();
    const account = await tx.user.update({ where: { id }, data: { disabled: true } });
    const tokens = await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
    await recordAudit(tx, actor, {
      action: "service_account.revoke",
      target: { type: "service_account", id, label: account.name },
      before: userRecord(before),
      after: { ...userRecord(account), tokensRevoked: tokens.count },
    });
    await bumpTokens(tx);
    return (await usersJson([account], tx, now))[0];
  });
  tokensChanged();
  return result;
}
