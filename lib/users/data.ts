import { databaseEngine, db, lockKey, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { idPageArgs, splitPage } from "@/lib/api/cursor";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { newToken } from "@/lib/auth/tokens";
import { recordAudit } from "@/lib/audit/record";
import type { CreateServiceAccountInput, CreateTokenInput, CreateUserInput, UpdateUserInput } from "@/lib/users/schema";

/** `contains` without regard to case on both engines: SQLite's LIKE already ignores (ASCII) case
 * and rejects `mode`; PostgreSQL needs `mode: "insensitive"`. */
function containsAnyCase(needle: string) {
  return databaseEngine() === "postgresql" ? { contains: needle, mode: "insensitive" as const } : { contains: needle };
}

type UserRow = Awaited<ReturnType<ReturnType<typeof db>["user"]["findFirstOrThrow"]>>;

/** What the API shows of a user: never the password hash. */
export function toUserJson(u: UserRow) {
  return {
    id: u.id,
    kind: u.kind,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    sso: Boolean(u.ssoSubject),
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof db>["apiToken"]["findFirstOrThrow"]>>;

export function toTokenJson(t: TokenRow & { user?: { name: string; kind: string } }) {
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

export async function listUsers(kind: "human" | "service", q: { q?: string; cursor?: string; limit: number }) {
  const needle = q.q?.toLowerCase();
  const rows = await db().user.findMany({
    where: {
      kind,
      // email is stored lower-cased, so `contains` means the same on both engines.
      ...(needle ? { OR: [{ email: { contains: needle } }, { name: containsAnyCase(needle) }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...idPageArgs(q.cursor, q.limit),
  });
  const { page, nextCursor } = splitPage(rows, q.limit, (u) => u.id);
  return { items: page.map(toUserJson), nextCursor };
}

export async function createUser(actor: Actor, input: CreateUserInput) {
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new ApiError("conflict", `A user with e-mail ${input.email} already exists`, [
        { field: "email", message: "already in use" },
      ]);
    }
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash, createdById: actor.id },
    });
    const json = toUserJson(user);
    await recordAudit(tx, actor, { action: "user.create", target: { type: "user", id: user.id, label: user.email }, after: json });
    return json;
  });
}

async function activeAdmins(tx: Tx) {
  return tx.user.count({ where: { role: "admin", disabled: false, kind: "human" } });
}

export async function updateUser(actor: Actor, id: string, input: UpdateUserInput) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before || before.kind !== "human") throw new ApiError("not_found", `User ${id} not found`);
    if (before.id === actor.id && (input.disabled === true || (input.role && input.role !== before.role))) {
      throw new ApiError("conflict", "You cannot disable yourself or change your own role");
    }
    if (before.ssoSubject && input.password) {
      throw new ApiError("validation_failed", "SSO users sign in through the identity provider", [
        { field: "password", message: "cannot be set for an SSO user" },
      ]);
    }
    const user = await tx.user.update({
      where: { id },
      data: { name: input.name, role: input.role, disabled: input.disabled, passwordHash },
    });
    if (before.role === "admin" && !before.disabled && (user.role !== "admin" || user.disabled) && (await activeAdmins(tx)) === 0) {
      throw new ApiError("conflict", "This is the last active admin; make another admin first");
    }
    const after = toUserJson(user);
    await recordAudit(tx, actor, {
      action: input.disabled === true ? "user.disable" : input.disabled === false ? "user.enable" : "user.update",
      target: { type: "user", id, label: user.email },
      before: toUserJson(before),
      after: { ...after, ...(input.password ? { passwordChanged: true } : {}) },
    });
    return after;
  });
}

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
    const account = await tx.user.create({
      data: { kind: "service", name: input.name, role: input.role, createdById: actor.id },
    });
    const row = await tx.apiToken.create({
      data: { userId: account.id, name: "initial", prefix, tokenHash: hash, createdById: actor.id },
    });
    await recordAudit(tx, actor, {
      action: "service_account.create",
      target: { type: "service_account", id: account.id, label: account.name },
      after: { ...toUserJson(account), tokenId: row.id, tokenPrefix: prefix },
    });
    return { id: account.id, name: account.name, role: account.role, tokenId: row.id, token };
  });
}

/** Revoking a service account disables it and revokes every token it holds. */
export async function revokeServiceAccount(actor: Actor, id: string) {
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before || before.kind !== "service") throw new ApiError("not_found", `Service account ${id} not found`);
    if (before.disabled) throw new ApiError("conflict", "Service account is already revoked");
    const now = new Date();
    const account = await tx.user.update({ where: { id }, data: { disabled: true } });
    const tokens = await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
    await recordAudit(tx, actor, {
      action: "service_account.revoke",
      target: { type: "service_account", id, label: account.name },
      before: toUserJson(before),
      after: { ...toUserJson(account), tokensRevoked: tokens.count },
    });
    return toUserJson(account);
  });
}

export async function listTokens(q: { q?: string; cursor?: string; limit: number }) {
  const rows = await db().apiToken.findMany({
    where: q.q ? { OR: [{ name: containsAnyCase(q.q) }, { prefix: { startsWith: q.q } }] } : {},
    include: { user: { select: { name: true, kind: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...idPageArgs(q.cursor, q.limit),
  });
  const { page, nextCursor } = splitPage(rows, q.limit, (t) => t.id);
  return { items: page.map(toTokenJson), nextCursor };
}

export async function createToken(actor: Actor, input: CreateTokenInput) {
  const { token, prefix, hash } = newToken();
  return db().$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: input.userId } });
    if (!owner) {
      throw new ApiError("validation_failed", "Invalid userId", [{ field: "userId", message: "no such user" }]);
    }
    if (owner.disabled) throw new ApiError("conflict", `${owner.name} is disabled; enable it before issuing tokens`);
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const row = await tx.apiToken.create({
      data: { userId: owner.id, name: input.name, prefix, tokenHash: hash, expiresAt, createdById: actor.id },
    });
    const json = toTokenJson({ ...row, user: { name: owner.name, kind: owner.kind } });
    await recordAudit(tx, actor, { action: "token.create", target: { type: "token", id: row.id, label: `${owner.name}/${row.name}` }, after: json });
    return { ...json, token };
  });
}

export async function revokeToken(actor: Actor, id: string) {
  return db().$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id }, include: { user: { select: { name: true, kind: true } } } });
    if (!before) throw new ApiError("not_found", `Token ${id} not found`);
    if (before.revokedAt) throw new ApiError("conflict", "Token is already revoked");
    const row = await tx.apiToken.update({
      where: { id },
      data: { revokedAt: new Date() },
      include: { user: { select: { name: true, kind: true } } },
    });
    await recordAudit(tx, actor, {
      action: "token.revoke",
      target: { type: "token", id, label: `${row.user.name}/${row.name}` },
      before: toTokenJson(before),
      after: toTokenJson(row),
    });
    return toTokenJson(row);
  });
}
