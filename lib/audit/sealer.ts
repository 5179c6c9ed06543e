import { randomUUID } from "node:crypto";
import { databaseEngine, db, type Tx } from "@/lib/db";
import { acquireLease, assertLeaseHeld, LeaseLostError, releaseLease } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { CanonicalError, canonicalJson, chainHash, GENESIS_HASH } from "@/lib/audit/chain";
import { auditKeyring, type AuditKey } from "@/lib/audit/keys";

// The sealer links unsealed events into their stream's chain in `seq` order. It alone writes the
// chain columns, under a lease, so writers never contend for the chain tip. An event whose
// transaction commits late (lower seq than one already sealed) simply gets the next chainSeq:
// the chain order is chainSeq, which only ever grows.
//
// Guards, because a sealer can stall (GC pause, slow disk) past its lease while another replica
// takes over: each stream's batch is one transaction that first re-checks the lease (database
// clock, row locked on PostgreSQL), and every row update is compare-and-set on a still-unsealed
// row; anything else rolls the batch back. An event that cannot be canonicalised is set aside
// (quarantined, with the reason) instead of stopping every stream behind it.

export const SEALER_LEASE = "audit-sealer";
export const SEALER_LEASE_TTL_MS = 30_000;
export const HEAD_KEY_PREFIX = "audit.head.";
export const headKey = (stream: string) => `${HEAD_KEY_PREFIX}${stream}`;

export interface ChainHead {
  chainSeq: string;
  hash: string;
}

/** A row the sealer read changed before it could write it: the batch is rolled back. */
export class SealConflictError extends Error {
  constructor(seq: bigint) {
    super(`audit event seq ${seq} changed while it was being sealed`);
    this.name = "SealConflictError";
  }
}

const PENDING = { sealedAt: null, chainSeq: null, quarantinedAt: null } as const;

type EventRow = Awaited<ReturnType<ReturnType<typeof db>["auditEvent"]["findFirstOrThrow"]>>;

export interface SealOptions {
  batch?: number;
  /** Test hook: runs after the batch is read, before anything is written. */
  afterRead?: () => Promise<void>;
}

/**
 * Seals (or quarantines) up to `batch` events; returns how many it handled (0 when another
 * replica holds the lease, or when its lease or a row changed under it: nothing is then written).
 */
export async function sealOnce(holder: string, opts: SealOptions = {}): Promise<number> {
  if (!(await acquireLease(SEALER_LEASE, holder, SEALER_LEASE_TTL_MS))) return 0;
  const pending = await readPending(holder, opts.batch ?? 500);
  if (pending.length === 0) return 0;
  await opts.afterRead?.();
  const key = auditKeyring().current;
  const byStream = new Map<string, EventRow[]>();
  for (const e of pending) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);

  let handled = 0;
  for (const [stream, events] of byStream) {
    try {
      handled += await db().$transaction((tx) => sealStream(tx, holder, stream, events, key));
    } catch (err) {
      if (err instanceof LeaseLostError || err instanceof SealConflictError) {
        logger().warn({ stream, holder, reason: err.message }, "audit sealer stopped; batch rolled back");
        return handled;
      }
      throw err;
    }
  }
  return handled;
}

async function sealStream(tx: Tx, holder: string, stream: string, events: EventRow[], key: AuditKey): Promise<number> {
  await assertLeaseHeld(tx, SEALER_LEASE, holder);
  // Continue from the head recorded by the last run, not from the newest row still present:
  // if that row was deleted, the chain must keep the gap rather than link over it.
  const recorded = (await tx.setting.findUnique({ where: { key: headKey(stream) } }))?.value as ChainHead | undefined;
  const tip = recorded
    ? { chainSeq: BigInt(recorded.chainSeq), hash: recorded.hash }
    : await tx.auditEvent.findFirst({
        where: { stream, chainSeq: { not: null } },
        orderBy: { chainSeq: "desc" },
        select: { chainSeq: true, hash: true },
      });
  let prev = tip?.hash ?? GENESIS_HASH;
  let next = (tip?.chainSeq ?? 0n) + 1n;
  const sealedAt = new Date();
  // The hashes are computed here, then written in a few statements per batch rather than one
  // per event (sealing keeps pace with thousands of events a second: the decision point's).
  const links: Link[] = [];
  for (const e of events) {
    let hash: string;
    try {
      hash = chainHash(key.key, prev, { ...e, chainSeq: next, keyId: key.id });
    } catch (err) {
      if (!(err instanceof CanonicalError)) throw err;
      await setAside(tx, e.seq, `cannot be canonicalised: ${canonicalProblem(e)}`);
      logger().warn({ stream, eventId: e.id, seq: e.seq.toString() }, "audit event quarantined: it cannot be canonicalised");
      continue;
    }
    links.push({ seq: e.seq, chainSeq: next, prevHash: prev, hash });
    prev = hash;
    next += 1n;
  }
  for (let i = 0; i < links.length; i += LINKS_PER_STATEMENT) await writeLinks(tx, links.slice(i, i + LINKS_PER_STATEMENT), key.id, sealedAt);
  const chained = links.length;
  if (chained > 0) {
    const head: ChainHead = { chainSeq: (next - 1n).toString(), hash: prev };
    await tx.setting.upsert({
      where: { key: headKey(stream) },
      create: { key: headKey(stream), value: { ...head } },
      update: { value: { ...head } },
    });
  }
  return events.length;
}

interface Link {
  seq: bigint;
  chainSeq: bigint;
  prevHash: string;
  hash: string;
}

const LINKS_PER_STATEMENT = 500;

/**
 * Writes a run of links, compare-and-set: every row must still be unsealed, or nothing is kept
 * (the caller's transaction rolls back on SealConflictError). One UPDATE for the chain columns
 * (PostgreSQL: from unnest'ed arrays; SQLite: from a VALUES list), one for the seal time.
 */
async function writeLinks(tx: Tx, links: Link[], keyId: string, sealedAt: Date): Promise<void> {
  if (!links.length) return;
  let count: number;
  if (databaseEngine() === "postgresql") {
    count = await tx.$executeRawUnsafe(
      `UPDATE "AuditEvent" AS a SET "chainSeq" = v.cs, "prevHash" = v.ph, "hash" = v.h, "keyId" = $5
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(seq, cs, ph, h)
       WHERE a."seq" = v.seq AND a."chainSeq" IS NULL AND a."sealedAt" IS NULL AND a."quarantinedAt" IS NULL`,
      links.map((l) => l.seq.toString()),
      links.map((l) => l.chainSeq.toString()),
      links.map((l) => l.prevHash),
      links.map((l) => l.hash),
      keyId,
    );
  } else {
    const values = links.map(() => "(?, ?, ?, ?)").join(", ");
    count = await tx.$executeRawUnsafe(
      `UPDATE "AuditEvent" SET "chainSeq" = v.column2, "prevHash" = v.column3, "hash" = v.column4, "keyId" = ?
       FROM (VALUES ${values}) AS v
       WHERE "AuditEvent"."seq" = v.column1 AND "AuditEvent"."chainSeq" IS NULL AND "AuditEvent"."sealedAt" IS NULL AND "AuditEvent"."quarantinedAt" IS NULL`,
      keyId,
      ...links.flatMap((l) => [Number(l.seq), Number(l.chainSeq), l.prevHash, l.hash]),
    );
  }
  if (count !== links.length) throw new SealConflictError(links[0].seq);
  // the rows are now ours (chainSeq set in this transaction): stamp them
  await tx.auditEvent.updateMany({ where: { seq: { in: links.map((l) => l.seq) }, sealedAt: null }, data: { sealedAt } });
}

/** Which stored JSON field has no canonical form, and why. */
function canonicalProblem(e: EventRow): string {
  for (const field of ["before", "after", "data"] as const) {
    try {
      canonicalJson(e[field]);
    } catch (err) {
      if (err instanceof CanonicalError) return `${field} is ${err.message}`;
    }
  }
  return "its fields have no JSON form";
}

async function setAside(tx: Tx, seq: bigint, reason: string): Promise<void> {
  const r = await tx.auditEvent.updateMany({
    where: { seq, ...PENDING },
    data: { quarantinedAt: new Date(), quarantineReason: reason.slice(0, 500) },
  });
  if (r.count !== 1) throw new SealConflictError(seq);
}

/**
 * The oldest pending events. Should one row not even load (e.g. JSON the driver cannot parse),
 * the rows are read one by one and the unreadable ones quarantined, so the rest still seal.
 */
async function readPending(holder: string, batch: number): Promise<EventRow[]> {
  try {
    return await db().auditEvent.findMany({ where: PENDING, orderBy: { seq: "asc" }, take: batch });
  } catch (batchErr) {
    logger().warn({ err: batchErr }, "audit sealer could not read its batch; reading events one by one");
    const keys = await db().auditEvent.findMany({ where: PENDING, orderBy: { seq: "asc" }, take: batch, select: { seq: true } });
    const rows: EventRow[] = [];
    for (const { seq } of keys) {
      try {
        const row = await db().auditEvent.findUnique({ where: { seq } });
        if (row) rows.push(row);
      } catch (err) {
        const reason = `cannot be read: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
        await db().$transaction(async (tx) => {
          await assertLeaseHeld(tx, SEALER_LEASE, holder);
          await setAside(tx, seq, reason);
        });
        logger().warn({ seq: seq.toString() }, "audit event quarantined: it cannot be read");
      }
    }
    return rows;
  }
}

/** Seals everything currently unsealed (tests, shutdown). */
export async function sealAll(holder: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealOnce(holder);
    total += n;
    if (n === 0) return total;
  }
}

export async function chainHead(stream: string, client: Tx = db()): Promise<ChainHead | null> {
  const row = await client.setting.findUnique({ where: { key: headKey(stream) } });
  return (row?.value as ChainHead | undefined) ?? null;
}

/**
 * Runs the sealer every `intervalMs` in this process. The returned stop function waits for a run
 * in progress, seals what is left under the same lease holder, and releases the lease.
 */
export function startSealer(intervalMs: number): () => Promise<void> {
  const holder = `sealer-${randomUUID()}`;
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= (async () => {
      try {
        await sealAll(holder);
      } catch (err) {
        logger().error({ err }, "audit sealer run failed");
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return async () => {
    clearInterval(timer);
    await running;
    await tick();
    await releaseLease(SEALER_LEASE, holder).catch(() => {});
  };
}
