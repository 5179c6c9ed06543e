import { randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import type { Prisma } from "@/lib/generated/pg/client";
import { logger } from "@/lib/log";
import { db, lockKey } from "@/lib/db";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { follower } from "@/lib/public/follower";
import { bumpSignal, signalChanged, type ChangeSignal } from "@/lib/public/signal";
import { ID_JAG_JWT_TYPE } from "@/lib/xaa/protocol";
import { MAX_TOKEN_LIFETIME_SECONDS } from "@/lib/xaa/schema";

// The console's own signing keys, for the ID-JAGs token exchange issues (docs/xaa-token-exchange.md).
//
// - The first exchange creates a key, under a database lock (PostgreSQL advisory lock; SQLite's
//   one writer), so two processes never both create one.
// - A key signs for ROTATE_AFTER_DAYS. Then a successor is created and published at once, but
//   signs only after PREPUBLISH_SECONDS, so every resource authorization server's cached key set
//   (our Cache-Control max-age) has seen it first. When it starts signing, the old key is retired.
// - A retired key stays published for the longest an ID-JAG lives, plus margins for this
//   process's key cache and the JWKS cache, then disappears from /.well-known/jwks.json.
// - The private JWK is encrypted (lib/crypto, registered for key rotation) and omitted from
//   every query that does not ask for it.
// Every change bumps SIGNING_KEYS_SIGNAL in its transaction; the fast path's key set follows it.

export const SIGNING_ALG = "ES256";
export const ROTATE_AFTER_DAYS = 30;
/** How long /.well-known/jwks.json may be cached. */
export const JWKS_MAX_AGE_SECONDS = 300;
/** A successor key is published this long before it signs. */
export const PREPUBLISH_SECONDS = 2 * JWKS_MAX_AGE_SECONDS;
/** How often a signing process re-reads which key signs. */
const RECHECK_MS = 30_000;
/** A retired key stays published this long: the longest ID-JAG, this process's recheck, the JWKS cache. */
export const RETIRED_PUBLISHED_SECONDS = MAX_TOKEN_LIFETIME_SECONDS + RECHECK_MS / 1000 + JWKS_MAX_AGE_SECONDS;

export const SIGNING_KEYS_SIGNAL: ChangeSignal = { key: "xaa.signing-keys.generation", channel: "portcullis_signing_keys" };

const DAY_MS = 86_400_000;
const context = (id: string) => `SigningKey.privateJwk:${id}`;

interface KeyRow {
  id: string;
  kid: string;
  createdAt: Date;
}

/** Which key signs at `now`, from the unretired keys (newest first): the newest one published
 * for PREPUBLISH_SECONDS, else the oldest (a first key signs at once). */
export function activeKey<K extends KeyRow>(unretired: readonly K[], now: number): K | null {
  return unretired.find((k) => now - k.createdAt.getTime() >= PREPUBLISH_SECONDS * 1000) ?? unretired[unretired.length - 1] ?? null;
}

/** What should change at `now`: create a key (none, or the active one is due and has no
 * successor yet), and which keys to retire (older than the active one). */
export function plan<K extends KeyRow>(unretired: readonly K[], now: number): { create: boolean; retire: K[]; active: K | null } {
  const active = activeKey(unretired, now);
  if (!active) return { create: true, retire: [], active: null };
  const index = unretired.indexOf(active);
  const due = now - active.createdAt.getTime() >= ROTATE_AFTER_DAYS * DAY_MS;
  return { create: due && index === 0, retire: unretired.slice(index + 1), active };
}

const unretiredKeys = () => db().signingKey.findMany({ where: { retiredAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, kid: true, createdAt: true } });

async function newKeyRow(now: Date) {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, "sha256");
  const id = randomUUID();
  const publicJwk = { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y, kid, alg: SIGNING_ALG, use: "sig" };
  const privateJwk = encryptSecret(JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG }), { context: context(id) });
  return { id, kid, alg: SIGNING_ALG, publicJwk: publicJwk as Prisma.InputJsonValue, privateJwk, createdAt: now };
}

/** Applies the plan under the lock (re-read there, so concurrent processes agree). */
async function rotate(now: number): Promise<void> {
  const fresh = await newKeyRow(new Date(now));
  const changed = await db().$transaction(async (tx) => {
    await lockKey(tx, "xaa:signing-keys");
    // A write first: on SQLite it takes the database's one write lock before we read.
    await bumpSignal(tx, SIGNING_KEYS_SIGNAL);
    const rows = await tx.signingKey.findMany({ where: { retiredAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, kid: true, createdAt: true } });
    const p = plan(rows, now);
    if (p.create) await tx.signingKey.create({ data: fresh });
    if (p.retire.length) await tx.signingKey.updateMany({ where: { id: { in: p.retire.map((k) => k.id) } }, data: { retiredAt: new Date(now) } });
    return p.create || p.retire.length > 0;
  });
  if (changed) signalChanged(SIGNING_KEYS_SIGNAL);
}

interface Signer {
  id: string;
  kid: string;
  key: CryptoKey;
  checkedAt: number;
}

const holder = globalThis as unknown as { __portcullisSigner?: Signer };

/** The key that signs now, creating or rotating keys when due. Re-read every RECHECK_MS. */
export async function currentSigner(now = Date.now()): Promise<Signer> {
  const cached = holder.__portcullisSigner;
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached;
  let rows = await unretiredKeys();
  const p = plan(rows, now);
  if (p.create || p.retire.length) {
    try {
      await rotate(now);
      rows = await unretiredKeys();
    } catch (err) {
      // a rotation that cannot run now (lock timeout, busy database) must not stop signing
      // while a key is still active; the next check tries again
      if (!activeKey(rows, now)) throw err;
      logger().warn({ err: err instanceof Error ? err.message : String(err) }, "signing key rotation failed; signing with the active key");
    }
  }
  const active = activeKey(rows, now);
  if (!active) throw new Error("no signing key after creating one");
  if (cached?.id === active.id) return (holder.__portcullisSigner = { ...cached, checkedAt: now });
  const row = await db().signingKey.findUniqueOrThrow({ where: { id: active.id }, select: { id: true, kid: true, alg: true, privateJwk: true } });
  const jwk = JSON.parse(decryptSecret(row.privateJwk, { context: context(row.id) })) as JWK;
  const key = (await importJWK(jwk, row.alg)) as CryptoKey;
  return (holder.__portcullisSigner = { id: row.id, kid: row.kid, key, checkedAt: now });
}

/** Forgets this process's signer (tests that move time or keys). */
export function resetSigner(): void {
  delete holder.__portcullisSigner;
}

/** Signs an ID-JAG: header `typ: oauth-id-jag+jwt`, our alg and kid. */
export async function signIdJag(claims: JWTPayload): Promise<{ jwt: string; kid: string }> {
  const signer = await currentSigner();
  const jwt = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: ID_JAG_JWT_TYPE }).sign(signer.key);
  return { jwt, kid: signer.kid };
}

// --- the published key set ---

export interface PublishedKey {
  jwk: Record<string, unknown>;
  /** Epoch ms after which a retired key is no longer published; null while unretired. */
  until: number | null;
}

async function buildPublished(): Promise<PublishedKey[]> {
  const since = new Date(Date.now() - RETIRED_PUBLISHED_SECONDS * 1000);
  const rows = await db().signingKey.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: since } }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { publicJwk: true, retiredAt: true },
  });
  return rows.map((r) => ({ jwk: r.publicJwk as Record<string, unknown>, until: r.retiredAt ? r.retiredAt.getTime() + RETIRED_PUBLISHED_SECONDS * 1000 : null }));
}

const published = follower<PublishedKey[]>(SIGNING_KEYS_SIGNAL, buildPublished);
const following = globalThis as unknown as { __portcullisSigningKeysFollowing?: boolean };

/** The public keys to publish now (the fast path's /.well-known/jwks.json). The first call starts
 * following the signal, so key changes in any process reach this copy. */
export async function publishedKeys(now = Date.now()): Promise<Record<string, unknown>[]> {
  if (!following.__portcullisSigningKeysFollowing) {
    following.__portcullisSigningKeysFollowing = true;
    published.start(1000);
  }
  // A rebuild that fails (the database briefly unreachable) serves the last key set built.
  const keys = await published.get().catch((err: unknown) => {
    const last = published.last();
    if (last) return last;
    throw err;
  });
  return keys.filter((k) => k.until === null || k.until > now).map((k) => k.jwk);
}

/** Forgets the published copy and stops following (tests). */
export function resetPublishedKeys(): void {
  published.reset();
  following.__portcullisSigningKeysFollowing = false;
}
