import { db } from "@/lib/db";
import { decodeCursor, splitPage } from "@/lib/api/cursor";
import { ApiError } from "@/lib/api/errors";
import type { ListAuditQuery } from "@/lib/audit/schema";

type EventRow = Awaited<ReturnType<ReturnType<typeof db>["auditEvent"]["findFirstOrThrow"]>>;

export function toAuditJson(e: EventRow) {
  return {
    id: e.id,
    seq: e.seq.toString(),
    stream: e.stream,
    time: e.time.toISOString(),
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    action: e.action,
    target: e.targetType ? { type: e.targetType, id: e.targetId, label: e.targetLabel } : null,
    before: e.before ?? null,
    after: e.after ?? null,
    data: e.data ?? null,
    sealed: e.sealedAt !== null,
    chainSeq: e.chainSeq?.toString() ?? null,
  };
}

/** Newest first; the cursor is the last seen `seq`. */
export async function listAuditEvents(q: ListAuditQuery) {
  let before: bigint | undefined;
  if (q.cursor) {
    const raw = decodeCursor(q.cursor, "cursor");
    if (!/^\d{1,19}$/.test(raw)) throw new ApiError("validation_failed", "Invalid cursor", [{ field: "query.cursor", message: "not a cursor from this API" }]);
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
    take: q.limit + 1,
  });
  const { page, nextCursor } = splitPage(rows, q.limit, (e) => e.seq.toString());
  return { items: page.map(toAuditJson), nextCursor };
}
