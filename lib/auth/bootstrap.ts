import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db, lockKey } from "@/lib/db";
import type { Env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { hashToken, prefixOf } from "@/lib/auth/tokens";
import { logger } from "@/lib/log";
import type { SetupInput } from "@/lib/users/schema";

// First start: create the admin from BOOTSTRAP_ADMIN_*, or print a one-time setup code for the
// /setup page. BOOTSTRAP_ADMIN_TOKEN provisions an admin service-account token (stored hashed).

const SYSTEM = { kind: "system" as const, label: "bootstrap" };
const SETUP_KEY = "setup.code";
export const BOOTSTRAP_ACCOUNT = "bootstrap-admin";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function bootstrap(e: Env): Promise<{ setupCode?: string }> {
  if (e.BOOTSTRAP_ADMIN_TOKEN) await provisionAdminToken(e.BOOTSTRAP_ADMIN_TOKEN);
  const humans = await db().user.count({ where: { kind: "human" } });
  if (humans > 0) {
    await db().setting.deleteMany({ where: { key: SETUP_KEY } });
    return {};
  }
  if (e.BOOTSTRAP_ADMIN_EMAIL && e.BOOTSTRAP_ADMIN_PASSWORD) {
    const email = e.BOOTSTRAP_ADMIN_EMAIL.toLowerCase();
    const passwordHash = await hashPassword(e.BOOTSTRAP_ADMIN_PASSWORD);
    await db().$transaction(async (tx) => {
      if (await tx.user.count({ where: { kind: "human" } })) return;
      const user = await tx.user.create({ data: { email, name: "Administrator", role: "admin", passwordHash } });
      await recordAudit(tx, SYSTEM, { action: "user.create", target: { type: "user", id: user.id, label: email }, after: { email, role: "admin" } });
    });
    logger().info({ email }, "created the first admin from BOOTSTRAP_ADMIN_EMAIL");
    return {};
  }
  const code = randomBytes(9).toString("base64url");
  await db().setting.upsert({
    where: { key: SETUP_KEY },
    create: { key: SETUP_KEY, value: { hash: sha256(code), failures: 0 } },
    update: { value: { hash: sha256(code), failures: 0 } },
  });
  return { setupCode: code };
}

export async function setupNeeded(): Promise<boolean> {
  return (await db().user.count({ where: { kind: "human" } })) === 0;
}

/**
 * Creates the first admin from the /setup form; the code works once and only while no user
 * exists. A wrong code is counted (after the transaction rolls back); five invalidate the code.
 */
export async function completeSetup(input: SetupInput) {
  const passwordHash = await hashPassword(input.password);
  let wrongCode = false;
  try {
    return await createFirstAdmin(input, passwordHash, () => (wrongCode = true));
  } catch (err) {
    if (wrongCode) await countSetupFailure();
    throw err;
  }
}

function createFirstAdmin(input: SetupInput, passwordHash: string, onWrongCode: () => void) {
  return db().$transaction(async (tx) => {
    // Read the code before counting people: a racing setup that completes in between then shows
    // up as a person (409), rather than as a missing code (403).
    const row = await tx.setting.findUnique({ where: { key: SETUP_KEY } });
    if (await tx.user.count({ where: { kind: "human" } })) throw new ApiError("conflict", "Setup is already complete");
    const stored = row?.value as { hash: string; failures: number } | undefined;
    if (!stored || stored.failures >= 5) {
      throw new ApiError("forbidden", "No valid setup code: restart the server to print a new one");
    }
    const given = Buffer.from(sha256(input.code));
    if (!timingSafeEqual(given, Buffer.from(stored.hash))) {
      onWrongCode();
      throw new ApiError("forbidden", "Wrong setup code", [{ field: "code", message: "does not match the code in the server log" }]);
    }
    // Consume the code before creating the user: of two setups racing with the right code, the
    // second finds it gone (after waiting for the first) and gets a 409, not a 404 from Prisma.
    const claimed = await tx.setting.deleteMany({ where: { key: SETUP_KEY } });
    if (claimed.count !== 1) throw new ApiError("conflict", "Setup is already complete");
    const user = await tx.user.create({ data: { email: input.email, name: input.name, role: "admin", passwordHash } });
    await recordAudit(tx, SYSTEM, { action: "user.create", target: { type: "user", id: user.id, label: user.email }, after: { email: user.email, role: "admin", via: "setup" } });
    return { id: user.id, email: user.email };
  });
}

async function countSetupFailure() {
  const row = await db().setting.findUnique({ where: { key: SETUP_KEY } });
  if (!row) return;
  const v = row.value as { hash: string; failures: number };
  await db().setting.update({ where: { key: SETUP_KEY }, data: { value: { ...v, failures: v.failures + 1 } } });
}

async function provisionAdminToken(token: string) {
  const tokenHash = hashToken(token);
  await db().$transaction(async (tx) => {
    // Replicas starting together must not create two accounts or two rows for one token.
    await lockKey(tx, `service-account:${BOOTSTRAP_ACCOUNT}`);
    let account = await tx.user.findFirst({ where: { kind: "service", name: BOOTSTRAP_ACCOUNT } });
    if (!account) {
      account = await tx.user.create({ data: { kind: "service", name: BOOTSTRAP_ACCOUNT, role: "admin" } });
      await recordAudit(tx, SYSTEM, { action: "service_account.create", target: { type: "service_account", id: account.id, label: BOOTSTRAP_ACCOUNT }, after: { role: "admin" } });
    }
    const existing = await tx.apiToken.findUnique({ where: { tokenHash } });
    if (existing) return;
    // A new BOOTSTRAP_ADMIN_TOKEN value replaces the previous one.
    await tx.apiToken.updateMany({ where: { userId: account.id, name: "BOOTSTRAP_ADMIN_TOKEN", revokedAt: null }, data: { revokedAt: new Date() } });
    const row = await tx.apiToken.create({ data: { userId: account.id, name: "BOOTSTRAP_ADMIN_TOKEN", prefix: prefixOf(token), tokenHash } });
    await recordAudit(tx, SYSTEM, { action: "token.create", target: { type: "token", id: row.id, label: `${BOOTSTRAP_ACCOUNT}/BOOTSTRAP_ADMIN_TOKEN` }, after: { prefix: row.prefix } });
  });
}
