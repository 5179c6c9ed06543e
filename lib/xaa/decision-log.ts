import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/actor";
import { CONSOLE_STREAM } from "@/lib/audit/record";
import { logger } from "@/lib/log";

// Every decision is an audit event (`xaa.decision`), written in batches so a decision never waits
// on the database: the answer goes out, the event joins a queue that is flushed with one
// createMany every FLUSH_MS or when BATCH events are waiting. Events are inserted unsealed like
// any other; the sealer chains them. When the database is unreachable the queue keeps up to
// MAX_QUEUED events and retries; beyond that the oldest are dropped and the drop is logged (the
// decision point keeps answering: refusing every agent because the audit store is down would
// turn an outage of one into an outage of all). The queue lives on globalThis, like the index.

const FLUSH_MS = 200;
const BATCH = 500;
const MAX_QUEUED = 50_000;

type Row = Prisma.AuditEventCreateManyInput;
interface State {
  queue: Row[];
  timer: ReturnType<typeof setTimeout> | null;
  flushing: Promise<void> | null;
  dropped: number;
}
const holder = globalThis as unknown as { __portcullisDecisionLog?: State };
const state = (): State => (holder.__portcullisDecisionLog ??= { queue: [], timer: null, flushing: null, dropped: 0 });

function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export interface DecisionRecord {
  request: unknown;
  decision: "allow" | "deny";
  scopes: string[];
  policyIds: string[];
  reasons: string[];
  ttl: number;
  error: string | null;
  clientId: string;
}

/** Queues the audit event of one decision; returns at once. */
export function logDecision(actor: Actor, record: DecisionRecord, action = "xaa.decision"): void {
  const s = state();
  if (s.queue.length >= MAX_QUEUED) {
    s.queue.shift();
    s.dropped++;
  }
  s.queue.push({
    stream: CONSOLE_STREAM,
    time: new Date(),
    actorType: actor.kind === "service" ? "service" : "user",
    actorId: actor.id,
    actorLabel: actor.email ?? actor.name,
    via: actor.via,
    credentialId: actor.credentialId ?? actor.tokenId ?? null,
    credentialLabel: actor.credentialLabel ?? null,
    clientAddress: actor.clientAddress ?? null,
    userAgent: actor.userAgent ?? null,
    action,
    targetType: "client",
    targetId: record.clientId.slice(0, 2000),
    targetLabel: record.clientId.slice(0, 200),
    after: json({ decision: record.decision, scopes: record.scopes, policyIds: record.policyIds, ttl: record.ttl, error: record.error }),
    data: json({ request: record.request, reasons: record.reasons }),
  });
  if (s.queue.length >= BATCH) void flushDecisions();
  else if (!s.timer) {
    s.timer = setTimeout(() => void flushDecisions(), FLUSH_MS);
    s.timer.unref?.();
  }
}

/** Writes what is queued (also called on shutdown and by tests). */
export async function flushDecisions(): Promise<void> {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  if (s.flushing) {
    await s.flushing;
    if (s.queue.length) return flushDecisions();
    return;
  }
  s.flushing = (async () => {
    while (s.queue.length) {
      const batch = s.queue.splice(0, BATCH);
      try {
        await db().auditEvent.createMany({ data: batch });
      } catch (err) {
        // Put them back and try again later.
        s.queue.unshift(...batch);
        logger().warn({ err: err instanceof Error ? err.message : String(err), queued: s.queue.length }, "decision audit events not written yet; retrying");
        if (!s.timer) {
          s.timer = setTimeout(() => void flushDecisions(), 2000);
          s.timer.unref?.();
        }
        return;
      }
    }
    if (s.dropped) {
      logger().error({ dropped: s.dropped }, "decision audit events dropped while the database was unreachable");
      s.dropped = 0;
    }
  })();
  try {
    await s.flushing;
  } finally {
    s.flushing = null;
  }
}

export const pendingDecisionEvents = (): number => state().queue.length;
