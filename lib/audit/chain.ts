import { createHash } from "node:crypto";

// The hash chain (DESIGN.md, Storage): hash = sha256(prev_hash || canonical JSON of the event's
// stored fields), genesis prev_hash = 64 zeros, in chainSeq order within a stream.

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level and no insignificant white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface ChainedFields {
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
  chainSeq: bigint;
}

/** The stored fields that the hash covers (everything but the chain columns themselves). */
export function hashedFields(e: ChainedFields) {
  return {
    id: e.id,
    stream: e.stream,
    sourceEventId: e.sourceEventId,
    time: e.time.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetLabel: e.targetLabel,
    before: e.before ?? null,
    after: e.after ?? null,
    data: e.data ?? null,
    chainSeq: e.chainSeq.toString(),
  };
}

export function chainHash(prevHash: string, e: ChainedFields): string {
  return createHash("sha256").update(prevHash).update(canonicalJson(hashedFields(e))).digest("hex");
}
