import { db } from "@/lib/db";
import { decodeCursor, splitPage } from "@/lib/api/cursor";
import { ApiError } from "@/lib/api/errors";
import type { ListAuditQuery } from "@/lib/audit/schema";
import { VERIFIED_KEY_PREFIX, verifiedKey, type VerifiedState } from "@/lib/audit/verify";

type EventRow = Awaited<ReturnType<ReturnType<typeof db>["auditEvent"]["findFirstOrThrow"]>>;

/**
 * Where an event stands, as the last integrity check left it:
 * - verified: its chain position is at or before the stream's last verified point, before any break;
 * - pending: not sealed yet, or sealed since the last check;
 * - unverified: at or after the first broken link, or marked sealed without a chain position;
 * - quarantined: set aside by the sealer (it cannot be chained), with the reason.
 */
export type EventIntegrity = "verified" | "pending" | "unverified" | "quarantined";

export function eventIntegrity(e: EventRow, state: VerifiedState | null | undefined): EventIntegrity {
  if (e.chainSeq === null) {
    if (e.sealedAt !== null || e.hash !== null) return "unverified";
    return e.quarantinedAt !== null ? "quarantined" : "pending";
  }
  if (!state) return "pending";
  const broken = state.broken?.chainSeq;
  if (broken != null && e.chainSeq >= BigInt(broken)) return "unverified";
  return e.chainSeq <= BigInt(state.through.chainSeq) ? "verified" : "pending";
}

export function toAuditJson(e: EventRow, state?: VerifiedState | null) {
  const integrity = eventIntegrity(e, state);
  return {
    id: e.id,
    seq: e.seq.toString(),
    stream: e.stream,
    time: e.time.toISOString(),
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    /** How the actor authenticated (null for system events). */
    credential: e.via ? { via: e.via, id: e.credentialId, label: e.credentialLabel } : null,
    client: e.clientAddress || e.userAgent ? { address: e.clientAddress, userAgent: e.userAgent } : null,
    action: e.action,
    target: e.targetType ? { type: e.targetType, id: e.targetId, label: e.targetLabel } : null,
    before: e.before ?? null,
    after: e.after ?? null,
    data: e.data ?? null,
    integrity,
    /** True only when the event is verified in the chain. */
    sealed: integrity === "verified",
    chainSeq: e.chainSeq?.toString() ?? null,
    sealedAt: e.sealedAt?.toISOString() ?? null,
    quarantine: e.quarantinedAt ? { at: e.quarantinedAt.toISOString(), reason: e.quarantineReason } : null,
  };
}

/** The verifier's stored state for each of these streams (one query). */
async function statesOf(streams: Iterable<string>): Promise<Map<string, VerifiedState>> {
  const keys = [...new Set(streams)].map(verifiedKey);
  if (keys.length === 0) return new Map();
  const rows = await db().setting.findMany({ where: { key: { in: keys } } });
  return new Map(rows.map((r) => [r.key.slice(VERIFIED_KEY_PREFIX.length), r.value as unknown as VerifiedState]));
}

const MAX_SEQ = 2n ** 63n - 1n;

/** Newest first; the cursor is the last seen `seq`. */
export async function listAuditEvents(q: ListAuditQuery) {
  const limit = q.limit ?? 50;
  let before: bigint | undefined;
  if (q.cursor) {
    const raw = decodeCursor(q.cursor, "cursor");
    if (!/^\d{1,19}$/.test(raw) || BigInt(raw) > MAX_SEQ) {
      throw new ApiError("validation_failed", "Invalid cursor", [{ field: "query.cursor", message: "not a cursor from this API" }]);
    }
    before = BigInt(raw);
  }
  const rows = await db().auditEvent.findMany({
    where: {
      stream: q.stream,
      action: q.action,
      targetType: q.targetType,
      targetId: q.targetId,
      ...(q.actor ? { OR: [{ actorId: q.actor }, { actorLabel: q.actor }] } : {}),
      time: { gte: q.from ? new Date(q.from) : undefined, lte: q.to ? new Date(q.to) : undefined },
      ...(before !== undefined ? { seq: { lt: before } } : {}),
    },
    orderBy: { seq: "desc" },
    take: limit + 1,
  });
  const { page, nextCursor } = splitPage(rows, limit, (e) => e.seq.toString());
  const states = await statesOf(page.map((e) => e.stream));
  return { items: page.map((e) => toAuditJson(e, states.get(e.stream))), nextCursor };
}

/** One event by id (the Audit page opens it from a link, e.g. to the first broken event). */
export async function getAuditEvent(id: string) {
  const e = await db().auditEvent.findUnique({ where: { id } });
  if (!e) throw new ApiError("not_found", "No audit event with this id");
  const states = await statesOf([e.stream]);
  return toAuditJson(e, states.get(e.stream));
}
