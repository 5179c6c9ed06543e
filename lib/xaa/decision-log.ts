import { randomUUID } from "node:crypto";
import { databaseEngine, db } from "@/lib/db";
import { classifyDatabaseError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { CONSOLE_STREAM } from "@/lib/audit/record";
import { logger } from "@/lib/log";

// Every decision is an audit event (`xaa.decision`), written in batches so a decision never waits
// on the database: the answer goes out, the event joins a queue that is flushed with one
// multi-row INSERT every FLUSH_MS or when BATCH events are waiting (one flush at a time). Events are
// inserted unsealed like any other; the sealer chains them. When the database is unreachable the
// writer backs off (RETRY_MS) and the queue keeps at most MAX_QUEUED events and MAX_QUEUED_BYTES;
// beyond that the oldest are dropped and the drop is logged (the decision point keeps answering:
// refusing every agent because the audit store is down would turn an outage of one into an outage
// of all). A batch the database refuses for another reason is written row by row, so one bad row
// is set aside (logged) instead of holding up every later event. Shutdown drains the queue before
// the sealer stops. The queue lives on globalThis, like the index.

const FLUSH_MS = 200;
const RETRY_MS = 2000;
const BATCH = 500;
const MAX_QUEUED = 50_000;
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** The columns an event fills, in this order (the rest keep their defaults: seq, chain columns). */
const COLUMNS = ["id", "stream", "time", "actorType", "actorId", "actorLabel", "via", "credentialId", "credentialLabel", "clientAddress", "userAgent", "action", "targetType", "targetId", "targetLabel", "after", "data"] as const;
type Row = (string | null)[];
interface Queued {
  row: Row;
  bytes: number;
}
interface State {
  queue: Queued[];
  bytes: number;
  timer: ReturnType<typeof setTimeout> | null;
  flushing: Promise<void> | null;
  backoffUntil: number;
  dropped: number;
}
const holder = globalThis as unknown as { __portcullisDecisionLog?: State };
const state = (): State => (holder.__portcullisDecisionLog ??= { queue: [], bytes: 0, timer: null, flushing: null, backoffUntil: 0, dropped: 0 });

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
  // Serialised once; written as they are (JSON text in SQLite, cast to jsonb in PostgreSQL).
  const after = JSON.stringify({ decision: record.decision, scopes: record.scopes, policyIds: record.policyIds, ttl: record.ttl, error: record.error });
  const data = JSON.stringify({ request: record.request, reasons: record.reasons });
  const bytes = after.length + data.length + 512;
  while (s.queue.length && (s.queue.length >= MAX_QUEUED || s.bytes + bytes > MAX_QUEUED_BYTES)) {
    s.bytes -= s.queue.shift()!.bytes;
    s.dropped++;
  }
  s.queue.push({
    bytes,
    row: [
      randomUUID(),
      CONSOLE_STREAM,
      // as the SQLite adapter writes DateTime (iso8601, "+00:00"); PostgreSQL reads it the same
      new Date().toISOString().replace("Z", "+00:00"),
      actor.kind === "service" ? "service" : "user",
      actor.id,
      actor.email ?? actor.name,
      actor.via,
      actor.credentialId ?? actor.tokenId ?? null,
      actor.credentialLabel ?? null,
      actor.clientAddress ?? null,
      actor.userAgent ?? null,
      action,
      "client",
      record.clientId.slice(0, 2000),
      record.clientId.slice(0, 200),
      after,
      data,
    ],
  });
  s.bytes += bytes;
  const backingOff = Date.now() < s.backoffUntil;
  if (s.queue.length >= BATCH && !s.flushing && !backingOff) void flushDecisions();
  else schedule(backingOff ? s.backoffUntil - Date.now() : FLUSH_MS);
}

function schedule(ms: number) {
  const s = state();
  if (s.timer) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    void flushDecisions();
  }, Math.max(ms, 1));
  s.timer.unref?.();
}

/** Writes what is queued, one flush at a time (also called on shutdown and by tests). */
export function flushDecisions(): Promise<void> {
  const s = state();
  if (s.flushing) return s.flushing;
  s.flushing = write(s).finally(() => {
    s.flushing = null;
    if (s.queue.length) schedule(Date.now() < s.backoffUntil ? s.backoffUntil - Date.now() : FLUSH_MS);
  });
  return s.flushing;
}

async function write(s: State): Promise<void> {
  while (s.queue.length) {
    const batch = s.queue.slice(0, BATCH);
    try {
      await insertRows(batch.map((q) => q.row));
    } catch (err) {
      if (classifyDatabaseError(err) === "unavailable") {
        // keep them, try again later
        if (Date.now() >= s.backoffUntil) logger().warn({ err: err instanceof Error ? err.message : String(err), queued: s.queue.length }, "decision audit events not written yet: the database is unreachable; retrying");
        s.backoffUntil = Date.now() + RETRY_MS;
        return;
      }
      // something in the batch: write row by row and set aside what the database refuses
      for (const q of batch) {
        await insertRows([q.row]).catch((rowErr: unknown) => {
            s.dropped++;
          logger().error({ err: rowErr instanceof Error ? rowErr.message : String(rowErr), targetId: q.row[13] }, "a decision audit event was refused by the database and set aside");
        });
      }
    }
    s.queue.splice(0, batch.length);
    s.bytes -= batch.reduce((n, q) => n + q.bytes, 0);
    s.backoffUntil = 0;
  }
  if (s.dropped) {
    logger().error({ dropped: s.dropped }, "decision audit events dropped (the database was unreachable or refused them)");
    s.dropped = 0;
  }
}

/** One multi-row INSERT: a fixed-shape statement costs a fraction of what building it through
 * the query builder does, at thousands of events a second. */
async function insertRows(rows: Row[]): Promise<void> {
  const pg = databaseEngine() === "postgresql";
  const cols = COLUMNS.map((c) => `"${c}"`).join(", ");
  let n = 0;
  const cell = (c: (typeof COLUMNS)[number]) => (pg ? `$${++n}${c === "time" ? "::timestamp(3)" : c === "after" || c === "data" ? "::jsonb" : ""}` : "?");
  const values = rows.map(() => `(${COLUMNS.map(cell).join(", ")})`).join(", ");
  await db().$executeRawUnsafe(`INSERT INTO "AuditEvent" (${cols}) VALUES ${values}`, ...rows.flat());
}

/** On shutdown: one last flush, and a log line for whatever could not be written. */
export async function drainDecisions(): Promise<void> {
  const s = state();
  s.backoffUntil = 0;
  await flushDecisions().catch(() => {});
  if (s.queue.length) logger().error({ lost: s.queue.length }, "decision audit events lost at shutdown: the database was unreachable");
}

export const pendingDecisionEvents = (): number => state().queue.length;
