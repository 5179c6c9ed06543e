import { createHash } from "node:crypto";
import { env } from "@/lib/env";

// The audit key keys the hash chain (HMAC-SHA256), so that someone who can write the database
// but cannot read the key cannot recompute the chain after changing an event. Each sealed event
// records which key sealed it by a fingerprint (`keyId`), never the key: rotating the key means
// setting a new AUDIT_KEY and moving the old one to AUDIT_KEYS_RETIRED, so older events still
// verify.

export interface AuditKey {
  id: string;
  key: string;
}

export interface AuditKeyring {
  /** The key new events are sealed with. */
  current: AuditKey;
  /** Every key verification accepts (current and retired), by id. */
  byId: ReadonlyMap<string, string>;
}

/** A short fingerprint of a key: the first 16 hex digits of sha256("portcullis-audit-key-id:" + key). */
export function auditKeyId(key: string): string {
  return createHash("sha256").update(`portcullis-audit-key-id:${key}`).digest("hex").slice(0, 16);
}

/** Splits AUDIT_KEYS_RETIRED (comma-separated; blanks ignored). */
export function parseRetiredKeys(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
}

export function keyring(current: string, retired: string[] = []): AuditKeyring {
  const byId = new Map<string, string>();
  for (const key of retired) byId.set(auditKeyId(key), key);
  const cur = { id: auditKeyId(current), key: current };
  byId.set(cur.id, current);
  return { current: cur, byId };
}

/** The keyring from the validated configuration (AUDIT_KEY, AUDIT_KEYS_RETIRED). */
export function auditKeyring(): AuditKeyring {
  const e = env();
  return keyring(e.AUDIT_KEY, parseRetiredKeys(e.AUDIT_KEYS_RETIRED));
}
