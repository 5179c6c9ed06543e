import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// Credentials the console must be able to use again (gateway credentials, from issue 10) are
// stored encrypted with AES-256-GCM under ENCRYPTION_KEY. A stored value describes itself:
//
//   pcenc:v1:<key fingerprint>:<base64url(12-byte IV || ciphertext || 16-byte tag)>
//
// The fingerprint (16 hex digits of an HMAC of a constant under the key; it reveals nothing
// about the key) says which key to use, so values encrypted under ENCRYPTION_KEY_PREVIOUS still
// decrypt while `npm run keys:rotate-encryption` moves them to the current key. The prefix and
// an optional context (e.g. "Gateway.credential:<id>") are authenticated with the value, so a
// ciphertext copied to another row or column does not decrypt.

const PREFIX = "pcenc";
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = /^pcenc:v1:([0-9a-f]{16}):([A-Za-z0-9_-]+)$/;

export class SecretError extends Error {}

export interface EncryptionKey {
  key: Buffer;
  fingerprint: string;
}

/** A key from its base64 (or base64url) text, as ENCRYPTION_KEY holds it. */
export function encryptionKey(text: string, name = "ENCRYPTION_KEY"): EncryptionKey {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0);
  if (key.length !== 32) throw new SecretError(`${name} must be 32 bytes, base64 encoded`);
  return { key, fingerprint: createHmac("sha256", key).update("portcullis encryption key fingerprint").digest("hex").slice(0, 16) };
}

/** The configured keys: ENCRYPTION_KEY first, then ENCRYPTION_KEY_PREVIOUS when set. */
export function configuredKeys(): EncryptionKey[] {
  const e = env();
  return [
    encryptionKey(e.ENCRYPTION_KEY),
    ...(e.ENCRYPTION_KEY_PREVIOUS ? [encryptionKey(e.ENCRYPTION_KEY_PREVIOUS, "ENCRYPTION_KEY_PREVIOUS")] : []),
  ];
}

function aad(fingerprint: string, context: string | undefined): Buffer {
  return Buffer.from(`${PREFIX}:${VERSION}:${fingerprint}\u0000${context ?? ""}`, "utf8");
}

export interface SecretOptions {
  /** Binds the value to where it is stored; decrypting needs the same context. */
  context?: string;
}

/** Encrypts under the given key (default: ENCRYPTION_KEY). */
export function encryptSecret(plaintext: string, opts: SecretOptions & { key?: EncryptionKey } = {}): string {
  const k = opts.key ?? configuredKeys()[0];
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", k.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(k.fingerprint, opts.context));
  const body = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}:${VERSION}:${k.fingerprint}:${body.toString("base64url")}`;
}

/** The fingerprint of the key a stored value was encrypted with, or null if it is not one. */
export function fingerprintOf(stored: string): string | null {
  return FORMAT.exec(stored)?.[1] ?? null;
}

export function isEncryptedSecret(value: unknown): value is string {
  return typeof value === "string" && FORMAT.test(value);
}

/** Decrypts with whichever of the keys (default: the configured ones) the value names. */
export function decryptSecret(stored: string, opts: SecretOptions & { keys?: EncryptionKey[] } = {}): string {
  const m = FORMAT.exec(stored);
  if (!m) throw new SecretError(`not an encrypted value (expected ${PREFIX}:${VERSION}:<key>:<data>)`);
  const [, fingerprint, data] = m;
  const keys = opts.keys ?? configuredKeys();
  const k = keys.find((x) => x.fingerprint === fingerprint);
  if (!k) {
    throw new SecretError(
      `encrypted with key ${fingerprint}, which is not among the keys given (${keys.map((x) => x.fingerprint).join(", ") || "none"}): ` +
        `set ENCRYPTION_KEY_PREVIOUS to the key it was encrypted with, then run \`npm run keys:rotate-encryption\``,
    );
  }
  const body = Buffer.from(data, "base64url");
  if (body.length < IV_BYTES + TAG_BYTES) throw new SecretError(`encrypted value with key ${fingerprint} is truncated`);
  const decipher = createDecipheriv("aes-256-gcm", k.key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(fingerprint, opts.context));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError(`encrypted value with key ${fingerprint} does not authenticate: it was altered, or belongs to another record`);
  }
}
