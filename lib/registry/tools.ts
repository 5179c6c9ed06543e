import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/pg/client";
import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit, type SystemActor } from "@/lib/audit/record";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import { submitForReview } from "@/lib/reviews/data";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { pickLatest } from "@/lib/registry/semver";
import type { ServerJson } from "@/lib/registry/server-json";
import { captureServer, CaptureError, type Capture, type CaptureLimits, DEFAULT_LIMITS } from "@/lib/registry/tools-capture";
import { scanCapture, summarizeFindings, type Finding } from "@/lib/registry/tools-findings";
import { remoteOf, snapshotAuth } from "@/lib/registry/tools-remote";
import { canonicalSnapshot, declaredScopes, diffSnapshots, diffSummary, parseCanonical, type SnapshotDiff, type ToolScopes } from "@/lib/registry/tools-snapshot";

// Taking a tool snapshot of a server version and what follows from it (docs/tool-snapshots.md):
// the first snapshot of an approved version is pinned; a later one that differs from the pinned
// one in tools, prompts or instructions marks the version drifted (a flag; its state stays
// approved), records the per-tool diff, and opens a review of the new snapshot (subject
// "tool-snapshot") whose approval pins it. A snapshot equal to the pinned one again clears the
// flag. With the setting driftAction = "withdraw" the registry API leaves drifted versions out.

export const SNAPSHOT_SUBJECT = "tool-snapshot";
export type SnapshotTrigger = "manual" | "submit" | "schedule";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** The snapshot lease of one version: one capture at a time, released when done, expiring if not. */
const snapshotLease = (versionId: string) => `snapshot:${versionId}`;

type VersionRow = Prisma.ServerVersionGetPayload<{ include: { server: { select: { id: true; name: true } } } }>;

/**
 * The version a snapshot is of: the one named, else the latest of the versions not rejected,
 * withdrawn or revoked, pending ones included (reviewers see a snapshot before they decide).
 */
export async function snapshotTarget(serverId: string, version?: string): Promise<VersionRow> {
  const server = await db().server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new ApiError("not_found", `Server ${serverId} not found`);
  const include = { server: { select: { id: true, name: true } } } as const;
  if (version !== undefined) {
    const v = await db().serverVersion.findUnique({ where: { serverId_version: { serverId, version } }, include });
    if (!v) throw new ApiError("not_found", `Server version ${version} not found`, [{ field: "version", message: "no such version of this server" }]);
    return v;
  }
  const candidates = await db().serverVersion.findMany({ where: { serverId, state: { in: ["pending", "approved"] }, status: { not: "deleted" } }, include });
  const latest = pickLatest(candidates.map((c) => ({ ...c, publishedAt: c.publishedAt ?? c.createdAt })));
  if (!latest) throw new ApiError("not_found", "This server has no pending or approved version to take a snapshot of", [{ field: "version", message: "no pending or approved version" }]);
  return latest;
}

/** Tool names the other servers in the catalog offer (their latest snapshots), for shadowing. */
async function otherToolNames(serverId: string): Promise<string[]> {
  const versions = await db().serverVersion.findMany({ where: { isLatest: true, serverId: { not: serverId }, latestSnapshotId: { not: null } }, select: { latestSnapshotId: true } });
  if (!versions.length) return [];
  const snaps = await db().toolSnapshot.findMany({ where: { id: { in: versions.map((v) => v.latestSnapshotId!) } }, select: { itemHashes: true } });
  const names = new Set<string>();
  for (const s of snaps) for (const i of (s.itemHashes as { kind: string; name: string }[] | null) ?? []) if (i.kind === "tool") names.add(i.name);
  return [...names];
}

export interface SnapshotOutcome {
  snapshotId: string;
  ok: boolean;
  error?: { code: string; message: string };
  drift: { detected: boolean; diff: SnapshotDiff | null };
  /** The version's drift flag changed (raised, moved to a newer snapshot, or cleared). */
  driftChanged: boolean;
}

export interface TakeOptions {
  version?: string;
  trigger: SnapshotTrigger;
  limits?: Partial<CaptureLimits>;
}

/**
 * Connects to the version's remote, reads what it offers and records it. Refused with a 409 while
 * another capture of the same version runs (on any replica). A server that misbehaves gives a
 * failed snapshot (recorded, with the reason), never a hung request.
 */
export async function takeSnapshot(actor: Actor, serverId: string, opts: TakeOptions): Promise<SnapshotOutcome> {
  const v = await snapshotTarget(serverId, opts.version);
  const remote = remoteOf(v.document as unknown as ServerJson);
  const holder = randomUUID();
  const lease = snapshotLease(v.id);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (!(await acquireLease(lease, holder, limits.totalMs + 30_000))) {
    throw new ApiError("conflict", `A snapshot of ${v.server.name} version ${v.version} is already being taken`);
  }
  try {
    const started = Date.now();
    let capture: Capture | null = null;
    let failure: CaptureError | null = null;
    try {
      const auth = await snapshotAuth(serverId);
      capture = await captureServer({ url: remote.url, transport: remote.transport, auth: auth ?? undefined, limits });
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      failure = err;
    }
    const findings = capture ? scanCapture(capture, { serverHost: hostOf(remote.url), otherToolNames: await otherToolNames(serverId) }) : [];
    const outcome = await db().$transaction((tx) =>
      recordSnapshot(tx, actor, v.id, { capture, failure, findings, remote, trigger: opts.trigger, durationMs: Date.now() - started }),
    );
    if (outcome.bumped) registryChanged();
    return outcome.result;
  } finally {
    await releaseLease(lease, holder).catch(() => {});
  }
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
};

interface RecordInput {
  capture: Capture | null;
  failure: CaptureError | null;
  findings: Finding[];
  remote: { url: string; transport: string };
  trigger: SnapshotTrigger;
  durationMs: number;
}

/** The scopes of each tool: an edit in the console wins, else what the tool declares or implies. */
export async function effectiveScopes(tx: Tx, serverId: string, tools: Record<string, unknown>[]): Promise<Record<string, ToolScopes>> {
  const edited = await tx.serverToolScope.findMany({ where: { serverId, source: "edited" } });
  const byTool = new Map(edited.map((e) => [e.tool, e]));
  const out: Record<string, ToolScopes> = {};
  for (const t of tools) {
    const name = String(t.name ?? "");
    const e = byTool.get(name);
    out[name] = e ? { scopes: e.scopes.split(" ").filter(Boolean), source: "edited" } : declaredScopes(t);
  }
  return out;
}

/** Withdraws the open reviews of this version's drift snapshots (superseded or resolved). */
async function closeDriftReviews(tx: Tx, versionId: string, reason: string): Promise<void> {
  const snaps = await tx.toolSnapshot.findMany({ where: { versionId, drifted: true }, select: { id: true } });
  if (!snaps.length) return;
  const open = await tx.review.findMany({ where: { subjectType: SNAPSHOT_SUBJECT, subjectId: { in: snaps.map((s) => s.id) }, state: "pending" } });
  const system: SystemActor = { kind: "system", label: "tool re-check" };
  for (const r of open) {
    await tx.review.update({ where: { id: r.id }, data: { state: "withdrawn", decidedAt: new Date(), comment: reason } });
    await recordAudit(tx, system, { action: "review.withdraw", target: { type: SNAPSHOT_SUBJECT, id: r.subjectId, label: r.subjectName }, after: { reviewId: r.id, state: "withdrawn", reason } });
  }
}

async function recordSnapshot(tx: Tx, actor: Actor, versionId: string, input: RecordInput): Promise<{ result: SnapshotOutcome; bumped: boolean }> {
  const found = await tx.serverVersion.findUnique({ where: { id: versionId }, include: { server: { select: { id: true, name: true } } } });
  if (!found) throw new ApiError("not_found", "The server version was deleted while its snapshot was taken");
  await lockKey(tx, `server:${found.server.name}`);
  // Re-read under the lock: a concurrent check may have raised or cleared the flag meanwhile.
  const v = (await tx.serverVersion.findUnique({ where: { id: versionId }, include: { server: { select: { id: true, name: true } } } }))!;
  const label = `${v.server.name}@${v.version}`;
  const base = { serverId: v.serverId, versionId: v.id, remoteUrl: input.remote.url, transport: input.remote.transport, trigger: input.trigger, takenById: actor.id, durationMs: input.durationMs };

  if (!input.capture) {
    const err = input.failure!;
    const snap = await tx.toolSnapshot.create({ data: { ...base, status: "failed", errorCode: err.code, error: err.message } });
    await tx.serverVersion.update({ where: { id: v.id }, data: { lastCheckedAt: new Date(), lastCheckError: `${err.code}: ${err.message}` } });
    await recordAudit(tx, actor, { action: "server.version.snapshot.fail", target: { type: "server-version", id: v.id, label }, after: { snapshotId: snap.id, trigger: input.trigger, code: err.code, message: err.message } });
    return { result: { snapshotId: snap.id, ok: false, error: { code: err.code, message: err.message }, drift: { detected: false, diff: null }, driftChanged: false }, bumped: false };
  }

  const c = canonicalSnapshot(input.capture);
  const pinned = v.pinnedSnapshotId ? await tx.toolSnapshot.findUnique({ where: { id: v.pinnedSnapshotId } }) : null;
  const diff = pinned?.canonical ? diffSnapshots(parseCanonical(pinned.canonical), input.capture) : null;
  const live = v.state === "approved" && v.status !== "deleted";
  const drifted = live && !!diff?.detected;
  const previous = v.latestSnapshotId ? await tx.toolSnapshot.findUnique({ where: { id: v.latestSnapshotId }, select: { hash: true, findingCount: true } }) : null;
  const snap = await tx.toolSnapshot.create({
    data: {
      ...base,
      status: "ok",
      era: input.capture.era,
      protocolVersion: input.capture.protocolVersion,
      hash: c.hash,
      canonical: c.canonical,
      itemHashes: json(c.items),
      toolCount: input.capture.tools.length,
      promptCount: input.capture.prompts.length,
      resourceCount: input.capture.resources.length,
      templateCount: input.capture.resourceTemplates.length,
      findings: json(input.findings),
      findingCount: input.findings.length,
      scopes: json(await effectiveScopes(tx, v.serverId, input.capture.tools)),
      diff: diff ? json(diff) : undefined,
      drifted,
    },
  });
  const summary = summarizeFindings(input.findings);
  await recordAudit(tx, actor, {
    action: "server.version.snapshot",
    target: { type: "server-version", id: v.id, label },
    after: { snapshotId: snap.id, trigger: input.trigger, hash: c.hash, era: input.capture.era, protocolVersion: input.capture.protocolVersion, tools: input.capture.tools.length, findings: summary },
  });
  const update: Prisma.ServerVersionUpdateInput = { latestSnapshotId: snap.id, lastCheckedAt: new Date(), lastCheckError: null };
  let driftChanged = false;
  let servedChanged = previous?.hash !== c.hash || previous?.findingCount !== input.findings.length;

  if (live && !pinned) {
    // Approved before any snapshot existed: the first one becomes the reference.
    update.pinnedSnapshotId = snap.id;
    servedChanged = true;
    await recordAudit(tx, actor, { action: "server.version.pin", target: { type: "server-version", id: v.id, label }, after: { snapshotId: snap.id, hash: c.hash, reason: "first snapshot after approval" } });
  } else if (drifted) {
    const current = v.driftSnapshotId ? await tx.toolSnapshot.findUnique({ where: { id: v.driftSnapshotId }, select: { hash: true } }) : null;
    if (!v.driftSince || current?.hash !== c.hash) {
      if (v.driftSince) await closeDriftReviews(tx, v.id, "superseded by a newer snapshot that differs again");
      update.driftSince = v.driftSince ?? new Date();
      update.driftSnapshotId = snap.id;
      driftChanged = servedChanged = true;
      await recordAudit(tx, actor, {
        action: "server.version.drift",
        target: { type: "server-version", id: v.id, label },
        before: { pinnedHash: pinned!.hash, driftSince: v.driftSince?.toISOString() ?? null },
        after: { snapshotId: snap.id, currentHash: c.hash, summary: diffSummary(diff!) },
      });
      await submitForReview(tx, { type: SNAPSHOT_SUBJECT, id: snap.id, name: v.server.name, version: v.version }, actor);
    }
  } else if (live && v.driftSince) {
    // Back to what was approved: the flag and its open review go.
    await closeDriftReviews(tx, v.id, "the server offers the pinned tools again");
    update.driftSince = null;
    update.driftSnapshotId = null;
    driftChanged = servedChanged = true;
    await recordAudit(tx, actor, { action: "server.version.drift.clear", target: { type: "server-version", id: v.id, label }, after: { snapshotId: snap.id, hash: c.hash, reason: "matches the pinned snapshot" } });
  }
  await tx.serverVersion.update({ where: { id: v.id }, data: update });
  const bumped = live && servedChanged;
  if (bumped) await bumpGeneration(tx);
  return { result: { snapshotId: snap.id, ok: true, drift: { detected: drifted, diff }, driftChanged }, bumped };
}

/** Pins the newest snapshot when a version is approved (inside the decision's transaction). */
export async function pinOnApproval(tx: Tx, actor: Actor, versionId: string, label: string): Promise<void> {
  const v = await tx.serverVersion.findUnique({ where: { id: versionId }, select: { latestSnapshotId: true } });
  if (!v?.latestSnapshotId) return;
  const snap = await tx.toolSnapshot.findUnique({ where: { id: v.latestSnapshotId }, select: { hash: true } });
  await tx.serverVersion.update({ where: { id: versionId }, data: { pinnedSnapshotId: v.latestSnapshotId, driftSince: null, driftSnapshotId: null } });
  await recordAudit(tx, actor, { action: "server.version.pin", target: { type: "server-version", id: versionId, label }, after: { snapshotId: v.latestSnapshotId, hash: snap?.hash ?? null, reason: "approved with this snapshot" } });
}
