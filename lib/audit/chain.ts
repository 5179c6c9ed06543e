import { createHmac } from "node:crypto";

// The keyed hash chain (docs/security.md, Audit store):
//   hash = HMAC-SHA256(audit key, prev_hash || canonical JSON of the event's stored fields)
// genesis prev_hash = 64 zeros, in chainSeq order within a stream. The key is chosen by the
// event's keyId (lib/audit/keys.ts).

export const GENESIS_HASH = "0".repeat(64);

/** Deepest nesting canonicalJson accepts; deeper values are refused (the event is quarantined). */
export const MAX_DEPTH = 256;

/** A value that has no canonical form: too deeply nested, or not JSON at all. */
export class CanonicalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CanonicalError";
  }
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every level and no insignificant white
 * space. Throws CanonicalError, never a stack overflow, for nesting deeper than MAX_DEPTH or a
 * value JSON cannot hold.
 */
export function canonicalJson(value: unknown): string {
  return canon(value, 0);
}

function canon(value: unknown, depth: number): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return JSON.stringify(value); // NaN and ±Infinity become null, -0 becomes 0, as JSON does
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return JSON.stringify(value.toString());
    case "object":
      break;
    default:
      throw new CanonicalError(`a ${typeof value} has no JSON form`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CanonicalError("an invalid date has no JSON form");
    return JSON.stringify(value.toISOString());
  }
  if (depth >= MAX_DEPTH) throw new CanonicalError(`nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((v) => canon(v, depth + 1)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canon(v, depth + 1)}`).join(",")}}`;
}

/** An event's stored fields as the chain sees them, plus its position and sealing key. */
export interface ChainedFields {
  seq: bigint;
  id: string;
  stream: string;
  sourceEventId: string | null;
  time: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  before: unknown;
  after: unknown;
  data: unknown;
  via: string | null;
  credentialId: string | null;
  credentialLabel: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  chainSeq: bigint;
  keyId: string;
}

/** The fields the hash covers, in their JSON form: everything stored but the chain's own
 * prevHash/hash/sealedAt and the quarantine columns. This is also an export line's body. */
export function hashedFields(e: ChainedFields) {
  return {
    seq: e.seq.toString(),
    id: e.id,
    stream: e.stream,
    sourceEventId: e.sourceEventId ?? null,
    time: e.time.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    actorLabel: e.actorLabel ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    targetLabel: e.targetLabel ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    data: e.data ?? null,
    via: e.via ?? null,
    credentialId: e.credentialId ?? null,
    credentialLabel: e.credentialLabel ?? null,
    clientAddress: e.clientAddress ?? null,
    userAgent: e.userAgent ?? null,
    chainSeq: e.chainSeq.toString(),
    keyId: e.keyId,
  };
}
export type HashedFields = ReturnType<typeof hashedFields>;
export const HASHED_FIELD_NAMES = Object.keys(
  hashedFields({ seq: 0n, time: new Date(0), chainSeq: 0n } as ChainedFields),
) as (keyof HashedFields)[];

/** HMAC-SHA256(key, prevHash || canonical JSON of the fields), hex. Throws CanonicalError. */
export function hashOfFields(key: string, prevHash: string, fields: HashedFields): string {
  return createHmac("sha256", key).update(prevHash).update(canonicalJson(fields)).digest("hex");
}

export function chainHash(key: string, prevHash: string, e: ChainedFields): string {
  return hashOfFields(key, prevHash, hashedFields(e));
}
