import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError, classifyDatabaseError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { serviceActor, ServiceAccountUnusable } from "@/lib/users/service-actor";
import { recordAudit, type SystemActor } from "@/lib/audit/record";
import { acquireLease, databaseNow, releaseLease } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { OutboundError, outboundFetch } from "@/lib/net/outbound";
import { setVersionStatus, submitServerVersion } from "@/lib/registry/data";
import { OFFICIAL_META, ruleMatches, upstreamEntrySchema, upstreamPageSchema } from "@/lib/registry/sync-schema";
import { activeRules, syncLeaseName, upstreamJson, type UpstreamJson } from "@/lib/registry/upstreams";

// Sync from an upstream registry (any Registry API v0.1 base URL): page through
// `/v0.1/servers` with `updated_since` (incremental) and `include_deleted`, submit versions we do
// not have (pending review, or approved at once when an approved allow rule covers the name),
// and follow upstream deprecations and deletions of versions this upstream brought. One run per
// upstream at a time (a lease `sync:<id>`); counts are written after every page so the console
// can show progress. Everything the upstream sends is validated before use; an upstream failure
// (HTTP error, bad JSON, SSRF refusal, timeout) fails the run, never the process.
//
// Ownership: sync acts as one service account, `portcullis-sync` (role publisher, created on
// first use). It creates the servers it brings and submits versions only of servers it owns, so
// a server people own is never taken over: its upstream versions are rejected ("owned by
// another team") until its owners add the sync account as a co-owner.

export const SYNC_ACCOUNT = "portcullis-sync";
export const PAGE_LIMIT = 100;
const MAX_PAGES = 1000;
const MAX_PAGE_BYTES = 8 * 1024 * 1024;
const PAGE_TIMEOUT_MS = 30_000;
const LEASE_TTL_MS = 120_000;
const MAX_PROBLEMS = 20;
const SCHEDULER: SystemActor = { kind: "system", label: "sync scheduler" };

export interface SyncProblem {
  name: string | null;
  version: string | null;
  reason: string;
}

export interface SyncCounts {
  pages: number;
  seen: number;
  submitted: number;
  admitted: number;
  unchanged: number;
  /** Versions new to us that the upstream already lists as deprecated or deleted. */
  skipped: number;
  deprecated: number;
  deleted: number;
  rejected: number;
  errors: number;
  /** The first rejections and errors, with their reasons. */
  problems: SyncProblem[];
}

export const emptyCounts = (): SyncCounts => ({
  pages: 0,
  seen: 0,
  submitted: 0,
  admitted: 0,
  unchanged: 0,
  skipped: 0,
  deprecated: 0,
  deleted: 0,
  rejected: 0,
  errors: 0,
  problems: [],
});

/** Why a run stopped; its message is what the console shows as the last error. */
export class SyncFailure extends Error {
  readonly name = "SyncFailure";
}

export interface SyncOptions {
  /** Who asked (a person pressing "Sync now"); the scheduler otherwise. */
  actor?: Actor;
  /** Stops the run between pages (shutdown). */
  signal?: AbortSignal;
}

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** The service account sync acts as, created (role publisher) on first use. */
export async function syncServiceActor(): Promise<Actor> {
  try {
    return await serviceActor(SYNC_ACCOUNT, "upstream registry sync", SCHEDULER.label);
  } catch (err) {
    if (err instanceof ServiceAccountUnusable) throw new SyncFailure(err.message.replace("it does not run", "nothing is synced").replace("The service account", "The sync service account"));
    throw err;
  }
}

/**
 * Takes the upstream's lease and marks it running, then syncs in the background. Refused with a
 * 409 while another run (here or on another replica) holds the lease. `done` never rejects.
 */
export async function startSync(upstreamId: string, opts: SyncOptions = {}): Promise<{ upstream: UpstreamJson; runId: string; done: Promise<UpstreamJson> }> {
  const found = await db().upstream.findUnique({ where: { id: upstreamId } });
  if (!found) throw new ApiError("not_found", `Upstream ${upstreamId} not found`);
  const runId = `sync:${upstreamId}:${randomUUID()}`;
  const lease = syncLeaseName(upstreamId);
  if (!(await acquireLease(lease, runId, LEASE_TTL_MS))) throw new ApiError("conflict", `A sync of ${found.name} is already running`);
  let started;
  try {
    started = await db().$transaction(async (tx) => {
      const u = await tx.upstream.update({
        where: { id: upstreamId },
        data: { status: "running", lastStartedAt: await databaseNow(tx), lastError: null, lastCounts: asJson(emptyCounts()) },
      });
      await recordAudit(tx, opts.actor ?? SCHEDULER, { action: "upstream.sync.start", target: { type: "upstream", id: u.id, label: u.name }, after: { runId, updatedSince: u.updatedSince } });
      return u;
    });
  } catch (err) {
    await releaseLease(lease, runId).catch(() => {});
    throw err;
  }
  // Never rejects (callers drop it): if even the outcome cannot be recorded (the database went
  // away), the answer is the row as it started, marked failed; the lease runs out by itself.
  const done: Promise<UpstreamJson> = execute(started, runId, opts)
    .catch((err: unknown) => {
      logger().error({ err, upstreamId }, "upstream sync could not record its outcome");
      return null;
    })
    .finally(() => releaseLease(lease, runId).catch(() => {}))
    .then(async (u) => u ?? upstreamJson(await db().upstream.findUniqueOrThrow({ where: { id: upstreamId } })))
    .catch(() => ({ ...upstreamJson(started), status: "failed", lastError: "The outcome of this run could not be recorded" }) as UpstreamJson);
  return { upstream: upstreamJson(started), runId, done };
}

/** Runs one sync to its end and returns the upstream as it finished (succeeded or failed). */
export async function runSync(upstreamId: string, opts: SyncOptions = {}): Promise<UpstreamJson> {
  return (await startSync(upstreamId, opts)).done;
}

type UpstreamRow = Prisma.UpstreamGetPayload<object>;

async function execute(upstream: UpstreamRow, runId: string, opts: SyncOptions): Promise<UpstreamJson> {
  const counts = emptyCounts();
  let newest = upstream.updatedSince;
  let retryFrom: string | null = null;
  const retryable = { count: 0 };
  let failure: string | null = null;
  try {
    const actor = await syncServiceActor();
    const lease = syncLeaseName(upstream.id);
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      if (opts.signal?.aborted) throw new SyncFailure("Stopped because the server is shutting down; the next run starts where this one began");
      if (counts.pages >= MAX_PAGES) throw new SyncFailure(`The upstream sent more than ${MAX_PAGES} pages; stopped`);
      const page = await fetchPage(upstream, cursor);
      counts.pages += 1;
      const rules = await activeRules(upstream.id);
      for (const raw of page.servers) {
        counts.seen += 1;
        const before = counts.errors + retryable.count;
        const updatedAt = await syncEntry({ upstream, runId, actor, rules, counts, retryable }, raw);
        if (updatedAt && (!newest || Date.parse(updatedAt) > Date.parse(newest))) newest = updatedAt;
        // An entry that may succeed later (an error, or a server sync does not own yet) holds the
        // mark back to just before it, so the next incremental run asks for it again.
        if (updatedAt && counts.errors + retryable.count > before && (!retryFrom || Date.parse(updatedAt) < Date.parse(retryFrom))) retryFrom = updatedAt;
      }
      if (!(await acquireLease(lease, runId, LEASE_TTL_MS))) throw new SyncFailure("Another run took over this upstream's lease; stopped");
      await db().upstream.update({ where: { id: upstream.id }, data: { lastCounts: asJson(counts) } });
      const next = page.metadata?.nextCursor ?? undefined;
      if (!next || page.servers.length === 0) break;
      if (seenCursors.has(next)) throw new SyncFailure("The upstream sent a cursor it had sent before; stopped to avoid a loop");
      seenCursors.add(next);
      cursor = next;
    }
  } catch (err) {
    failure = failureMessage(err);
    if (!(err instanceof SyncFailure || err instanceof OutboundError)) logger().error({ err, upstreamId: upstream.id }, "upstream sync failed");
  }
  const finished = await db().$transaction(async (tx) => {
    const now = await databaseNow(tx);
    const u = await tx.upstream.update({
      where: { id: upstream.id },
      data: failure
        ? { status: "failed", lastError: failure, lastFinishedAt: now, lastCounts: asJson(counts) }
        : { status: "succeeded", lastError: null, lastFinishedAt: now, lastCounts: asJson(counts), updatedSince: markAfter(upstream.updatedSince, newest, retryFrom) },
    });
    const { problems, ...totals } = counts;
    await recordAudit(tx, SCHEDULER, {
      action: failure ? "upstream.sync.fail" : "upstream.sync.succeed",
      target: { type: "upstream", id: u.id, label: u.name },
      after: { runId, ...totals, problems: problems.length, updatedSince: u.updatedSince, error: failure },
    });
    return u;
  });
  return upstreamJson(finished);
}

/** The next run's updated_since: the newest entry seen, held back before the oldest entry to retry. */
export function markAfter(previous: string | null, newest: string | null, retryFrom: string | null): string | null {
  if (!retryFrom) return newest;
  const before = new Date(Date.parse(retryFrom) - 1).toISOString();
  if (previous && Date.parse(previous) > Date.parse(before)) return previous;
  return before;
}

function failureMessage(err: unknown): string {
  if (err instanceof SyncFailure || err instanceof OutboundError) return err.message;
  if (err instanceof ApiError) return err.message;
  if (classifyDatabaseError(err) === "unavailable") return "The database was unavailable during the run";
  return "The run failed unexpectedly (see the server log)";
}

async function fetchPage(upstream: UpstreamRow, cursor: string | undefined) {
  const url = new URL(`${upstream.baseUrl}/v0.1/servers`);
  url.searchParams.set("limit", String(PAGE_LIMIT));
  url.searchParams.set("include_deleted", "true");
  if (upstream.updatedSince) url.searchParams.set("updated_since", upstream.updatedSince);
  if (cursor) url.searchParams.set("cursor", cursor);
  const res = await outboundFetch(url, { accept: "application/json", maxBytes: MAX_PAGE_BYTES, timeoutMs: PAGE_TIMEOUT_MS });
  const host = new URL(res.url).host;
  if (res.status < 200 || res.status > 299) throw new SyncFailure(`${host} answered HTTP ${res.status} for /v0.1/servers`);
  let body: unknown;
  try {
    body = res.json();
  } catch {
    throw new SyncFailure(`${host} did not answer JSON for /v0.1/servers`);
  }
  const page = upstreamPageSchema.safeParse(body);
  if (!page.success) throw new SyncFailure(`${host} answered /v0.1/servers with something that is not a server list`);
  return page.data;
}

interface EntryContext {
  upstream: UpstreamRow;
  runId: string;
  actor: Actor;
  rules: Awaited<ReturnType<typeof activeRules>>;
  counts: SyncCounts;
  /** Entries refused for a reason that may go away (not owned by sync yet). */
  retryable: { count: number };
}

function problem(counts: SyncCounts, kind: "rejected" | "errors", p: SyncProblem) {
  counts[kind] += 1;
  if (counts.problems.length < MAX_PROBLEMS) counts.problems.push({ ...p, reason: p.reason.slice(0, 300) });
}

/** Handles one upstream entry; returns its upstream updatedAt (for the next run's mark). */
async function syncEntry(ctx: EntryContext, raw: unknown): Promise<string | undefined> {
  const { upstream, counts, actor } = ctx;
  const parsed = upstreamEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const guess = raw && typeof raw === "object" ? (raw as { server?: { name?: unknown; version?: unknown } }).server : undefined;
    problem(counts, "rejected", {
      name: typeof guess?.name === "string" ? guess.name.slice(0, 200) : null,
      version: typeof guess?.version === "string" ? guess.version.slice(0, 255) : null,
      reason: "not a Registry API server entry ({ server: { name, version, … }, _meta })",
    });
    return undefined;
  }
  const { server: doc, _meta } = parsed.data;
  const official = _meta?.[OFFICIAL_META];
  const status = official?.status ?? "active";
  const { name, version } = doc;
  const server = await db().server.findUnique({ where: { name }, include: { owners: { select: { userId: true } } } });
  const known = server ? await db().serverVersion.findUnique({ where: { serverId_version: { serverId: server.id, version } } }) : null;

  if (known) {
    // Only what this upstream brought follows it; a version people submitted is theirs to manage.
    const ours = known.source === "sync" && known.batchId?.startsWith(`sync:${upstream.id}:`);
    const follow = status !== "active" && ours && known.state === "approved" && known.status !== "deleted" && known.status !== status;
    if (!follow) {
      counts.unchanged += 1;
      return official?.updatedAt;
    }
    const reason = official?.statusMessage ? `: ${official.statusMessage}` : ` marked it ${status}`;
    try {
      await setVersionStatus(actor, name, version, { status, statusMessage: `Followed upstream ${upstream.name}${reason}`.slice(0, 500) });
      counts[status === "deleted" ? "deleted" : "deprecated"] += 1;
    } catch (err) {
      entryError(counts, err, name, version);
    }
    return official?.updatedAt;
  }

  if (status !== "active") {
    counts.skipped += 1;
    return official?.updatedAt;
  }
  if (server && !server.owners.some((o) => o.userId === actor.id)) {
    ctx.retryable.count += 1;
    problem(counts, "rejected", { name, version, reason: `owned by another team: add ${SYNC_ACCOUNT} as a co-owner of ${name} to let sync submit its versions` });
    return official?.updatedAt;
  }
  const rule = ctx.rules.find((r) => ruleMatches(r.namespace, name));
  try {
    const result = await submitServerVersion(actor, doc, "sync", {
      batchId: ctx.runId,
      ...(rule?.approvedById ? { admit: { ruleId: rule.id, approverId: rule.approvedById } } : {}),
    });
    counts[result.version.state === "approved" ? "admitted" : "submitted"] += 1;
  } catch (err) {
    if (err instanceof ApiError && (err.code === "validation_failed" || err.code === "forbidden")) {
      problem(counts, "rejected", { name, version, reason: err.message });
    } else if (err instanceof ApiError && err.code === "conflict") {
      counts.unchanged += 1; // submitted meanwhile by someone else
    } else entryError(counts, err, name, version);
  }
  return official?.updatedAt;
}

function entryError(counts: SyncCounts, err: unknown, name: string, version: string) {
  // A database that is gone fails the whole run; anything else is this entry's problem.
  if (classifyDatabaseError(err) === "unavailable") throw err;
  if (!(err instanceof ApiError)) logger().error({ err, name, version }, "upstream sync entry failed");
  problem(counts, "errors", { name, version, reason: err instanceof ApiError ? err.message : "could not be stored (see the server log)" });
}

/**
 * A run that died with its process (a crash, a kill) leaves its upstream "running" with no live
 * lease: mark it failed, so the console offers Sync now again. Runs on every scheduler tick.
 */
export async function failInterruptedRuns(): Promise<number> {
  const running = await db().upstream.findMany({ where: { status: "running" }, select: { id: true, name: true } });
  let n = 0;
  for (const u of running) {
    const probe = `probe:${randomUUID()}`;
    // Taking the lease succeeds only when nobody holds it: then nobody is running this upstream.
    if (!(await acquireLease(syncLeaseName(u.id), probe, 5_000))) continue;
    try {
      const changed = await db().upstream.updateMany({ where: { id: u.id, status: "running" }, data: { status: "failed", lastError: "The run was interrupted (the server stopped while it ran); sync again" } });
      n += changed.count;
    } finally {
      await releaseLease(syncLeaseName(u.id), probe).catch(() => {});
    }
  }
  return n;
}

/** Enabled upstreams with an interval whose last run started at least that long ago. */
export async function dueUpstreams(now?: Date): Promise<string[]> {
  const at = now ?? (await databaseNow());
  const rows = await db().upstream.findMany({ where: { enabled: true, intervalMinutes: { gt: 0 } }, select: { id: true, intervalMinutes: true, lastStartedAt: true } });
  return rows.filter((u) => !u.lastStartedAt || at.getTime() - u.lastStartedAt.getTime() >= u.intervalMinutes * 60_000).map((u) => u.id);
}

/**
 * Every `pollMs` (60 s), starts the due upstreams' runs (each under its lease, so across
 * replicas one runs it). The timer is unref'd; the returned stop function stops runs between
 * pages and waits for them.
 */
export function startSyncScheduler(pollMs = 60_000): () => Promise<void> {
  const controller = new AbortController();
  const running = new Set<Promise<unknown>>();
  let ticking = false;
  const tick = async () => {
    if (ticking || controller.signal.aborted) return;
    ticking = true;
    try {
      await failInterruptedRuns();
      for (const id of await dueUpstreams()) {
        try {
          const { done } = await startSync(id, { signal: controller.signal });
          running.add(done);
          void done.then(() => running.delete(done));
        } catch (err) {
          // one upstream's trouble (deleted meanwhile, a database hiccup) never skips the others
          if (!(err instanceof ApiError && (err.code === "conflict" || err.code === "not_found"))) logger().error({ err, upstreamId: id }, "could not start a scheduled sync");
        }
      }
    } catch (err) {
      logger().error({ err }, "sync scheduler tick failed");
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  void tick();
  return async () => {
    controller.abort();
    clearInterval(timer);
    await Promise.all([...running]);
  };
}
