import { bumpTokens } from "@/lib/auth/token-cache";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { db, lockKey } from "@/lib/db";
import type { Env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { hashToken, prefixOf } from "@/lib/auth/tokens";
import { logger } from "@/lib/log";
import type { ClientInfo } from "@/lib/server/client";
import type { SetupInput } from "@/lib/users/schema";

// First start: create the admin from BOOTSTRAP_ADMIN_*, or print a one-time setup code for the
// /setup page. BOOTSTRAP_ADMIN_TOKEN provisions an admin service-account token (stored hashed).

const SYSTEM = { kind: "system" as const, label: "bootstrap" };
const SYSTEM_SETUP = { kind: "system" as const, label: "setup" };
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

export const SETUP_CODE_ATTEMPTS = 5;

type StoredCode = { hash: string; failures: number };

function storedCode(value: unknown): StoredCode | null {
  const v = value as Partial<StoredCode> | null;
  return v && typeof v.hash === "string" && typeof v.failures === "number" ? { hash: v.hash, failures: v.failures } : null;
}

function codeMatches(code: string, stored: StoredCode): boolean {
  return timingSafeEqual(Buffer.from(sha256(code)), Buffer.from(stored.hash));
}

const NO_CODE = "No valid setup code: restart the server to print a new one";

/**
 * Checks the setup code under a lock (so concurrent wrong codes are each counted exactly once),
 * counting and auditing a wrong one; five invalidate the code. Cheap: no password hashing.
 */
async function checkSetupCode(code: string, client: ClientInfo): Promise<void> {
  const rejected = await db().$transaction(async (tx) => {
    await lockKey(tx, SETUP_KEY);
    if (await tx.user.count({ where: { kind: "human" } })) throw new ApiError("conflict", "Setup is already complete");
    const row = await tx.setting.findUnique({ where: { key: SETUP_KEY } });
    const stored = storedCode(row?.value);
    let reason: "no_code" | "code_invalidated" | "wrong_code";
    let failures = stored?.failures ?? 0;
    if (!stored) reason = "no_code";
    else if (stored.failures >= SETUP_CODE_ATTEMPTS) reason = "code_invalidated";
    else if (!codeMatches(code, stored)) {
      reason = "wrong_code";
      failures = stored.failures + 1;
      // Compare-and-set on top of the lock: the update applies only to the value just read.
      const { count } = await tx.setting.updateMany({
        where: { key: SETUP_KEY, updatedAt: row!.updatedAt },
        data: { value: { hash: stored.hash, failures } },
      });
      if (count !== 1) throw new ApiError("conflict", "The setup code changed meanwhile; try again");
    } else return null;
    await recordAudit(tx, SYSTEM_SETUP, {
      action: "setup.code_rejected",
      target: { type: "setup", id: "setup.code" },
      data: { reason, failures, attemptsLeft: Math.max(0, SETUP_CODE_ATTEMPTS - failures), address: client.address, userAgent: client.userAgent },
    });
    return reason;
  });
  if (rejected === "wrong_code") {
    throw new ApiError("forbidden", "Wrong setup code", [{ field: "code", message: "does not match the code in the server log" }]);
  }
  if (rejected) throw new ApiError("forbidden", NO_CODE);
}

/**
 * Creates the first admin from the /setup form; the code works once and only while no user
 * exists. Cheap checks come first (setup done: 409; wrong code: 403, counted and audited): the
 * password is hashed only for a request holding the right code.
 */
export async function completeSetup(input: SetupInput, client: ClientInfo = { address: null, userAgent: null }) {
  if (!(await setupNeeded())) throw new ApiError("conflict", "Setup is already complete");
  await checkSetupCode(input.code, client);
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
    await lockKey(tx, SETUP_KEY);
    // Read the code before counting people: a racing setup that completes in between then shows
    // up as a person (409), rather than as a missing code (403).
    const row = await tx.setting.findUnique({ where: { key: SETUP_KEY } });
    if (await tx.user.count({ where: { kind: "human" } })) throw new ApiError("conflict", "Setup is already complete");
    const stored = storedCode(row?.value);
    // The code was right a moment ago; it may have been voided or replaced since.
    if (!stored || stored.failures >= SETUP_CODE_ATTEMPTS || !codeMatches(input.code, stored)) throw new ApiError("forbidden", NO_CODE);
    // Consume the code before creating the user: of two setups racing with the right code, the
    // second finds it gone (after waiting for the first) and gets a 409, not a 404 from Prisma.
    const claimed = await tx.setting.deleteMany({ where: { key: SETUP_KEY } });
    if (claimed.count !== 1) throw new ApiError("conflict", "Setup is already complete");
    const user = await tx.user.create({ data: { email: input.email, name: input.name, role: "admin", passwordHash } });
    await recordAudit(tx, SYSTEM, { action: "user.create", target: { type: "user", id: user.id, label: user.email }, after: { email: user.email, role: "admin", via: "setup" } });
    return { id: user.id, email: user.email };
  });
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
    const replaced = await tx.apiToken.updateMany({ where: { userId: account.id, name: "BOOTSTRAP_ADMIN_TOKEN", revokedAt: null }, data: { revokedAt: new Date() } });
    if (replaced.count) await bumpTokens(tx);
    const row = await tx.apiToken.create({ data: { userId: account.id, name: "BOOTSTRAP_ADMIN_TOKEN", prefix: prefixOf(token), tokenHash } });
    await recordAudit(tx, SYSTEM, { action: "token.create", target: { type: "token", id: row.id, label: `${BOOTSTRAP_ACCOUNT}/BOOTSTRAP_ADMIN_TOKEN` }, after: { prefix: row.prefix } });
  });
}
