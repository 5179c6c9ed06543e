import { CanonicalError, GENESIS_HASH, hashOfFields, type HashedFields } from "@/lib/audit/chain";

// Walking a chain: pure, so the background verifier (rows from the database) and the offline
// verifier (lines of an export) apply exactly the same rules.

export type BrokenReason =
  | "gap"
  | "prev_hash_mismatch"
  | "hash_mismatch"
  | "unknown_key"
  | "not_canonical"
  | "head_mismatch"
  | "unchained";

export interface ChainBreak {
  /** The chain position of the first broken link (null for an event that has no position). */
  chainSeq: string | null;
  /** The event at that position, when there is one. */
  eventId: string | null;
  reason: BrokenReason;
  message: string;
}

/** The last verified link: everything up to and including it checks out. */
export interface ChainPoint {
  chainSeq: bigint;
  hash: string;
  eventId: string | null;
  time: string | null;
}

export const GENESIS_POINT: ChainPoint = { chainSeq: 0n, hash: GENESIS_HASH, eventId: null, time: null };

/** A sealed event as the walker needs it: its hashed fields (JSON form) and chain links. */
export interface ChainLink {
  fields: Omit<HashedFields, "keyId"> & { keyId: string | null };
  prevHash: string | null;
  hash: string | null;
}

export class ChainWalker {
  point: ChainPoint;
  verified = 0;

  constructor(
    private readonly keys: ReadonlyMap<string, string>,
    start: ChainPoint = GENESIS_POINT,
  ) {
    this.point = start;
  }

  /** Checks the next link; null when it verifies (the walker moves on), the break otherwise. */
  push(link: ChainLink): ChainBreak | null {
    const f = link.fields;
    const expected = this.point.chainSeq + 1n;
    const seq = BigInt(f.chainSeq);
    const at = (reason: BrokenReason, message: string): ChainBreak => ({ chainSeq: seq.toString(), eventId: f.id, reason, message });
    if (seq > expected) {
      return { chainSeq: expected.toString(), eventId: null, reason: "gap", message: `event ${expected} of the chain is missing` };
    }
    if (seq < expected) return at("gap", `event ${seq} appears again after event ${expected - 1n}`);
    if (link.prevHash !== this.point.hash) return at("prev_hash_mismatch", "prev_hash does not match the previous event's hash");
    const key = f.keyId ? this.keys.get(f.keyId) : undefined;
    if (!key) {
      return at(
        "unknown_key",
        f.keyId
          ? `sealed with key ${f.keyId}, which is neither AUDIT_KEY nor one of AUDIT_KEYS_RETIRED`
          : "sealed without a key id",
      );
    }
    let hash: string;
    try {
      hash = hashOfFields(key, this.point.hash, { ...f, keyId: f.keyId! });
    } catch (err) {
      if (err instanceof CanonicalError) return at("not_canonical", `stored fields cannot be canonicalised: ${err.message}`);
      throw err;
    }
    if (hash !== link.hash) return at("hash_mismatch", "stored fields do not match the event's hash");
    this.point = { chainSeq: seq, hash, eventId: f.id, time: f.time };
    this.verified++;
    return null;
  }

  /** At the end of the walk: the chain must end where the sealer's recorded head says it does. */
  end(head: { chainSeq: string; hash: string } | null): ChainBreak | null {
    if (!head) return null;
    const last = this.point.chainSeq;
    if (BigInt(head.chainSeq) === last && head.hash === this.point.hash) return null;
    return {
      chainSeq: (last + 1n).toString(),
      eventId: null,
      reason: "head_mismatch",
      message:
        BigInt(head.chainSeq) === last
          ? `the chain's last hash differs from the one the sealer recorded`
          : `the chain ends at ${last} but the sealer recorded ${head.chainSeq}`,
    };
  }
}
