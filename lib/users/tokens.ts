import { db, type Tx } from "@/lib/db";
import { bumpTokens, tokensChanged } from "@/lib/auth/token-cache";
import { ApiError } from "@/lib/api/errors";
import { can, type Actor } from "@/lib/auth/actor";
import { newToken } from "@/lib/auth/tokens";
import { recordAudit } from "@/lib/audit/record";
import { getSettings } from "@/lib/settings/data";
import type { Settings } from "@/lib/settings/schema";
import { personRefs, toTokenJson, tokenRecord } from "@/lib/users/json";
import { asciiLower, literalFilter, needsExactCheck, searchPage } from "@/lib/users/search";
import type { CreateTokenInput, ListTokensQuery } from "@/lib/users/schema";

// API tokens are issued to oneself or to service accounts, never to another person: a token
// acts as its owner, so minting one for someone else would let the issuer act as them.
// - Personal tokens (no userId, or your own): every person, with their own permissions.
// - Service accounts' tokens: tokens.manage.
// - Revoking: your own token always; anyone's with tokens.manage.

const DAY_MS = 86_400_000;

export const NOT_FOR_OTHERS = "Tokens are issued to yourself or to service accounts";

/** When a new token expires: `expiresInDays` or the default, never beyond the maximum. */
export function tokenExpiry(expiresInDays: number | undefined, settings: Settings, now = new Date()): Date {
  const days = expiresInDays ?? Math.min(settings.tokenDefaultLifetimeDays, settings.tokenMaxLifetimeDays);
  if (days > settings.tokenMaxLifetimeDays) {
    throw new ApiError("validation_failed", "Invalid expiresInDays", [
      { field: "expiresInDays", message: `must be at most ${settings.tokenMaxLifetimeDays} (the maximum token lifetime)` },
    ]);
  }
  return new Date(now.getTime() + days * DAY_MS);
}

type TokenWithUser = Awaited<ReturnType<ReturnType<typeof db>["apiToken"]["findFirstOrThrow"]>> & { user: { name: string; kind: string } };

async function tokensJson(rows: TokenWithUser[], client: Tx = db(), now = new Date()) {
  const [creators, settings] = await Promise.all([personRefs(rows.map((t) => t.createdById), client), getSettings(client)]);
  return rows.map((t) =>
    toTokenJson(t, {
      createdBy: t.createdById ? (creators.get(t.createdById) ?? null) : null,
      warningDays: settings.tokenExpiryWarningDays,
      now,
    }),
  );
}

const withUser = { user: { select: { name: true, kind: true } } } as const;

/** Tokens newest first; `userId` narrows to one owner, `expiring` to live tokens expiring soon. */
export async function listTokens(q: ListTokensQuery & { userId?: string }) {
  const now = new Date();
  const settings = await getSettings();
  const needle = q.q;
  const where = {
    AND: [
      needle ? { OR: [{ name: literalFilter(needle) }, { prefix: literalFilter(needle, "startsWith") }] } : {},
      q.userId ? { userId: q.userId } : {},
      q.expiring ? { revokedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + settings.tokenExpiryWarningDays * DAY_MS) } } : {},
    ],
  };
  const lower = needle ? asciiLower(needle) : "";
  const { page, nextCursor } = await searchPage(
    (args) => db().apiToken.findMany({ where, include: withUser, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...args }),
    q,
    needsExactCheck(needle) ? (t) => asciiLower(t.name).includes(lower) || asciiLower(t.prefix).startsWith(lower) : undefined,
  );
  return { items: await tokensJson(page, db(), now), nextCursor };
}

export async function createToken(actor: Actor, input: CreateTokenInput) {
  const { token, prefix, hash } = newToken();
  return db().$transaction(async (tx) => {
    const ownerId = input.userId ?? actor.id;
    const owner = await tx.user.findUnique({ where: { id: ownerId } });
    if (!owner) {
      throw new ApiError("validation_failed", "Invalid userId", [{ field: "userId", message: "no such user" }]);
    }
    if (owner.kind === "human" && owner.id !== actor.id) throw new ApiError("forbidden", NOT_FOR_OTHERS);
    // A service account's tokens (its own included) are an admin's to issue: a leaked token must
    // not be able to mint its own successors.
    if (owner.kind === "service" && !can(actor, "tokens.manage")) throw new ApiError("forbidden", "This needs the tokens.manage permission");
    if (owner.disabled) throw new ApiError("conflict", `${owner.name} is disabled; enable it before issuing tokens`);
    const now = new Date();
    const expiresAt = tokenExpiry(input.expiresInDays, await getSettings(tx), now);
    const row = await tx.apiToken.create({
      data: { userId: owner.id, name: input.name, prefix, tokenHash: hash, expiresAt, createdById: actor.id },
      include: withUser,
    });
    await recordAudit(tx, actor, {
      action: "token.create",
      target: { type: "token", id: row.id, label: `${owner.name}/${row.name}` },
      after: tokenRecord(row),
      data: { personal: owner.id === actor.id },
    });
    return { ...(await tokensJson([row], tx, now))[0], token };
  });
}

export async function revokeToken(actor: Actor, id: string) {
  const result = await db().$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id }, include: withUser });
    if (!before) throw new ApiError("not_found", `Token ${id} not found`);
    if (before.userId !== actor.id && !can(actor, "tokens.manage")) throw new ApiError("forbidden", "This needs the tokens.manage permission");
    if (before.revokedAt) throw new ApiError("conflict", "Token is already revoked");
    const row = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, include: withUser });
    await recordAudit(tx, actor, {
      action: "token.revoke",
      target: { type: "token", id, label: `${row.user.name}/${row.name}` },
      before: tokenRecord(before),
      after: tokenRecord(row),
    });
    await bumpTokens(tx);
    return (await tokensJson([row], tx))[0];
  });
  tokensChanged();
  return result;
}
