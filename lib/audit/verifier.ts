import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { acquireLease, databaseNow, LeaseLostError, releaseLease } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { getSetting } from "@/lib/settings/data";
import { auditKeyring } from "@/lib/audit/keys";
import { knownStreams, verifyStream, VERIFIER_LEASE, VERIFIER_LEASE_TTL_MS, type VerifiedState } from "@/lib/audit/verify";

// The background integrity check: every `auditVerifyIntervalMinutes` (lib/settings) it verifies
// each stream from its last verified point; once a day, or when someone asks (POST
// /api/v1/audit/integrity), it re-verifies from genesis. One replica at a time, under a lease;
// the schedule and any pending request live in the Setting `audit.verifier`, so every replica
// sees the same one. Times are the database's.

export const SCHEDULE_KEY = "audit.verifier";
export const FULL_CHECK_EVERY_MS = 24 * 60 * 60 * 1000;

export interface VerifierSchedule {
  lastRunAt: string | null;
  lastFullRunAt: string | null;
  /** A run someone asked for, not started yet. */
  requested: { full: boolean; at: string } | null;
}

const EMPTY: VerifierSchedule = { lastRunAt: null, lastFullRunAt: null, requested: null };

export async function readSchedule(): Promise<VerifierSchedule> {
  const row = await db().setting.findUnique({ where: { key: SCHEDULE_KEY } });
  return { ...EMPTY, ...((row?.value as Partial<VerifierSchedule> | undefined) ?? {}) };
}

async function writeSchedule(change: (s: VerifierSchedule) => VerifierSchedule): Promise<VerifierSchedule> {
  return db().$transaction(async (tx) => {
    const row = await tx.setting.findUnique({ where: { key: SCHEDULE_KEY } });
    const next = change({ ...EMPTY, ...((row?.value as Partial<VerifierSchedule> | undefined) ?? {}) });
    await tx.setting.upsert({ where: { key: SCHEDULE_KEY }, create: { key: SCHEDULE_KEY, value: { ...next } }, update: { value: { ...next } } });
    return next;
  });
}

/** Asks for a run at the next poll (a full one wins over an incremental one already asked for). */
export async function requestVerification(full: boolean): Promise<{ full: boolean; at: string }> {
  const at = (await databaseNow()).toISOString();
  const s = await writeSchedule((s) => ({ ...s, requested: { full: full || !!s.requested?.full, at } }));
  return s.requested!;
}

export interface VerifierStatus extends VerifierSchedule {
  intervalMinutes: number;
  nextRunAt: string | null;
}

export async function verifierStatus(): Promise<VerifierStatus> {
  const [s, intervalMinutes] = await Promise.all([readSchedule(), getSetting("auditVerifyIntervalMinutes")]);
  const nextRunAt = s.requested
    ? s.requested.at
    : s.lastRunAt
      ? new Date(Date.parse(s.lastRunAt) + intervalMinutes * 60_000).toISOString()
      : null;
  return { ...s, intervalMinutes, nextRunAt };
}

/** One run over every stream; null when another replica holds the lease. */
export async function verifyAllStreams(holder: string, opts: { full?: boolean } = {}): Promise<VerifiedState[] | null> {
  if (!(await acquireLease(VERIFIER_LEASE, holder, VERIFIER_LEASE_TTL_MS))) return null;
  const keys = auditKeyring();
  const out: VerifiedState[] = [];
  for (const stream of await knownStreams(opts.full)) {
    out.push(await verifyStream(stream, { full: opts.full, holder, keys }));
    if (!(await acquireLease(VERIFIER_LEASE, holder, VERIFIER_LEASE_TTL_MS))) throw new LeaseLostError(VERIFIER_LEASE, holder);
  }
  return out;
}

/** Runs when due (interval elapsed, or asked for); returns what it verified, or null. */
export async function verifierTick(holder: string): Promise<VerifiedState[] | null> {
  const [s, intervalMinutes, now] = await Promise.all([readSchedule(), getSetting("auditVerifyIntervalMinutes"), databaseNow()]);
  const since = (t: string | null) => (t ? now.getTime() - Date.parse(t) : Infinity);
  if (!s.requested && since(s.lastRunAt) < intervalMinutes * 60_000) return null;
  const full = !!s.requested?.full || since(s.lastFullRunAt) >= FULL_CHECK_EVERY_MS;
  const startedAt = now.toISOString();
  const result = await verifyAllStreams(holder, { full });
  if (!result) return null;
  await writeSchedule((cur) => ({
    lastRunAt: startedAt,
    lastFullRunAt: full ? startedAt : cur.lastFullRunAt,
    // a request made while this run was under way still gets its own run
    requested: cur.requested && cur.requested.at > startedAt ? cur.requested : null,
  }));
  return result;
}

/**
 * Polls every `pollMs` in this process (cheap: two small reads when nothing is due). The returned
 * stop function waits for a run in progress and releases the lease.
 */
export function startVerifier(pollMs: number): () => Promise<void> {
  const holder = `verifier-${randomUUID()}`;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return running;
    running ??= (async () => {
      try {
        await verifierTick(holder);
      } catch (err) {
        logger().error({ err }, "audit verifier run failed");
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(tick, pollMs);
  timer.unref();
  void tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await releaseLease(VERIFIER_LEASE, holder).catch(() => {});
  };
}
