import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { chainHash, GENESIS_HASH } from "@/lib/audit/chain";

// The sealer links unsealed events into their stream's chain in `seq` order. It alone writes the
// chain columns, under a lease, so writers never contend for the chain tip. An event whose
// transaction commits late (lower seq than one already sealed) simply gets the next chainSeq:
// the chain order is chainSeq, which only ever grows.

export const SEALER_LEASE = "audit-sealer";
export const HEAD_KEY_PREFIX = "audit.head.";
const HEAD_KEY = (stream: string) => `${HEAD_KEY_PREFIX}${stream}`;

export interface ChainHead {
  chainSeq: string;
  hash: string;
}

/** Seals up to `batch` events; returns how many it sealed (0 when another replica holds the lease). */
export async function sealOnce(holder: string, batch = 500): Promise<number> {
  if (!(await acquireLease(SEALER_LEASE, holder, 30_000))) return 0;
  const pending = await db().auditEvent.findMany({ where: { sealedAt: null }, orderBy: { seq: "asc" }, take: batch });
  if (pending.length === 0) return 0;
  const byStream = new Map<string, typeof pending>();
  for (const e of pending) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);

  let sealed = 0;
  for (const [stream, events] of byStream) {
    await db().$transaction(async (tx) => {
      // Continue from the head recorded by the last run, not from the newest row still present:
      // if that row was deleted, the chain must keep the gap rather than link over it.
      const recorded = (await tx.setting.findUnique({ where: { key: HEAD_KEY(stream) } }))?.value as ChainHead | undefined;
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
      for (const e of events) {
        const hash = chainHash(prev, { ...e, chainSeq: next });
        await tx.auditEvent.update({ where: { seq: e.seq }, data: { chainSeq: next, prevHash: prev, hash, sealedAt } });
        prev = hash;
        next += 1n;
      }
      const head: ChainHead = { chainSeq: (next - 1n).toString(), hash: prev };
      await tx.setting.upsert({
        where: { key: HEAD_KEY(stream) },
        create: { key: HEAD_KEY(stream), value: { ...head } },
        update: { value: { ...head } },
      });
    });
    sealed += events.length;
  }
  return sealed;
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

export async function chainHead(stream: string): Promise<ChainHead | null> {
  const row = await db().setting.findUnique({ where: { key: HEAD_KEY(stream) } });
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
