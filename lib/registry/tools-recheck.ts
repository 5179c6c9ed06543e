import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { acquireLease, databaseNow, releaseLease } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { getSetting } from "@/lib/settings/data";
import { serviceActor } from "@/lib/users/service-actor";
import { takeSnapshot } from "@/lib/registry/tools";

// The periodic tool check (one replica at a time, under the `tools-recheck` lease): first
// snapshots of versions submitted since the last run (pending ones too, so reviewers find a
// snapshot beside the server.json), then approved versions whose last check is older than the
// setting recheckIntervalHours, oldest first, a bounded number per run. It acts as the service
// account `portcullis-recheck`, so a drift it finds is reviewed by a person.

export const RECHECK_ACCOUNT = "portcullis-recheck";
export const RECHECK_LEASE = "tools-recheck";
const LEASE_TTL_MS = 120_000;

export interface RecheckRun {
  checked: number;
  failed: number;
  drifted: number;
  skipped: number;
}

/** The versions due for a check, oldest check first (never-checked ones before all others). */
export async function dueVersions(limit: number): Promise<{ id: string; serverId: string; version: string; state: string }[]> {
  const hours = await getSetting("recheckIntervalHours");
  const cutoff = new Date((await databaseNow()).getTime() - hours * 3_600_000);
  const remote = { OR: [{ transports: { contains: "streamable-http" } }, { transports: { contains: "sse" } }] };
  const fresh = await db().serverVersion.findMany({
    where: { ...remote, lastCheckedAt: null, state: { in: ["pending", "approved"] }, status: { not: "deleted" } },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true, serverId: true, version: true, state: true },
  });
  if (fresh.length >= limit) return fresh;
  const stale = await db().serverVersion.findMany({
    where: { ...remote, state: "approved", status: { not: "deleted" }, lastCheckedAt: { lt: cutoff } },
    orderBy: { lastCheckedAt: "asc" },
    take: limit - fresh.length,
    select: { id: true, serverId: true, version: true, state: true },
  });
  return [...fresh, ...stale];
}

/** One run: checks up to `limit` due versions. Returns null when another replica holds the lease. */
export async function runRecheck(opts: { limit?: number; signal?: AbortSignal } = {}): Promise<RecheckRun | null> {
  const holder = randomUUID();
  if (!(await acquireLease(RECHECK_LEASE, holder, LEASE_TTL_MS))) return null;
  const run: RecheckRun = { checked: 0, failed: 0, drifted: 0, skipped: 0 };
  try {
    const actor = await serviceActor(RECHECK_ACCOUNT, "tool snapshots and drift checks", "tool re-check");
    for (const v of await dueVersions(opts.limit ?? 20)) {
      if (opts.signal?.aborted) break;
      if (!(await acquireLease(RECHECK_LEASE, holder, LEASE_TTL_MS))) break;
      try {
        const outcome = await takeSnapshot(actor, v.serverId, { version: v.version, trigger: v.state === "pending" ? "submit" : "schedule" });
        run.checked++;
        if (!outcome.ok) run.failed++;
        if (outcome.driftChanged && outcome.drift.detected) run.drifted++;
      } catch (err) {
        run.skipped++;
        // A version that cannot be checked at all (no usable remote) is marked, so it is not
        // picked again on every run; a conflict means someone is checking it right now.
        if (err instanceof ApiError && err.code === "validation_failed") {
          await db().serverVersion.update({ where: { id: v.id }, data: { lastCheckedAt: new Date(), lastCheckError: `not_checkable: ${err.message}` } });
        } else if (!(err instanceof ApiError && (err.code === "conflict" || err.code === "not_found"))) {
          logger().error({ err, versionId: v.id }, "tool re-check of a version failed");
        }
      }
    }
    return run;
  } finally {
    await releaseLease(RECHECK_LEASE, holder).catch(() => {});
  }
}

export function startRecheckScheduler(pollMs = 60_000): () => Promise<void> {
  const controller = new AbortController();
  let current: Promise<unknown> = Promise.resolve();
  let ticking = false;
  const tick = () => {
    if (ticking || controller.signal.aborted) return;
    ticking = true;
    current = runRecheck({ signal: controller.signal })
      .catch((err) => logger().error({ err }, "tool re-check run failed"))
      .finally(() => (ticking = false));
  };
  const timer = setInterval(tick, pollMs);
  timer.unref();
  tick();
  return async () => {
    controller.abort();
    clearInterval(timer);
    await current;
  };
}
