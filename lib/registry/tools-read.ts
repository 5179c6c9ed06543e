import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { idPageArgs, splitPage } from "@/lib/api/cursor";
import { summarizeFindings, type Finding } from "@/lib/registry/tools-findings";
import { declaredScopes, parseCanonical, type SnapshotDiff, type ToolScopes } from "@/lib/registry/tools-snapshot";

// Reading snapshots back: the list, one in full (tools with their scopes, findings with their
// acknowledgements, the diff from the pinned one), and the drift state of a server's latest
// approved version for the server page and the server API.

type SnapshotRow = Prisma.ToolSnapshotGetPayload<{ include: { version: { select: { version: true; state: true; pinnedSnapshotId: true; driftSnapshotId: true } } } }>;

const include = { version: { select: { version: true, state: true, pinnedSnapshotId: true, driftSnapshotId: true } } } as const;

/** The summary every list row and detail carries. */
function snapshotSummary(s: SnapshotRow) {
  const findings = (s.findings as Finding[] | null) ?? [];
  return {
    id: s.id,
    serverId: s.serverId,
    versionId: s.versionId,
    version: s.version.version,
    status: s.status as "ok" | "failed",
    error: s.status === "failed" ? { code: s.errorCode, message: s.error } : null,
    remoteUrl: s.remoteUrl,
    transport: s.transport,
    era: s.era,
    protocolVersion: s.protocolVersion,
    hash: s.hash,
    counts: { tools: s.toolCount, prompts: s.promptCount, resources: s.resourceCount, resourceTemplates: s.templateCount },
    findingsSummary: summarizeFindings(findings),
    drifted: s.drifted,
    pinned: s.version.pinnedSnapshotId === s.id,
    trigger: s.trigger,
    takenById: s.takenById,
    durationMs: s.durationMs,
    createdAt: s.createdAt.toISOString(),
  };
}

async function acksOf(serverId: string) {
  const acks = await db().findingAck.findMany({ where: { serverId } });
  const people = await db().user.findMany({ where: { id: { in: [...new Set(acks.map((a) => a.actorId))] } }, select: { id: true, name: true } });
  const names = new Map(people.map((p) => [p.id, p.name]));
  return new Map(acks.map((a) => [a.key, { comment: a.comment, actorId: a.actorId, actorName: names.get(a.actorId) ?? null, createdAt: a.createdAt.toISOString() }]));
}

/** One snapshot in full; null when it does not exist. */
export async function snapshotDetail(snapshotId: string) {
  const s = await db().toolSnapshot.findUnique({ where: { id: snapshotId }, include });
  if (!s) return null;
  const capture = s.canonical ? parseCanonical(s.canonical) : null;
  // What applies now: an edit in the console, else what the tool declares (the snapshot's own
  // `scopes` column keeps what applied when it was taken).
  const edited = new Map((await db().serverToolScope.findMany({ where: { serverId: s.serverId } })).map((e) => [e.tool, e]));
  const scopesOf = (t: Record<string, unknown>): ToolScopes => {
    const e = edited.get(String(t.name));
    return e ? { scopes: e.scopes.split(" ").filter(Boolean), source: "edited" } : declaredScopes(t);
  };
  const acks = await acksOf(s.serverId);
  const findings = ((s.findings as Finding[] | null) ?? []).map((f) => ({ ...f, acknowledgement: acks.get(f.key) ?? null }));
  const server = await db().server.findUnique({ where: { id: s.serverId }, select: { id: true, name: true } });
  const pinned = s.version.pinnedSnapshotId && s.version.pinnedSnapshotId !== s.id ? await db().toolSnapshot.findUnique({ where: { id: s.version.pinnedSnapshotId }, select: { id: true, hash: true, createdAt: true } }) : null;
  return {
    ...snapshotSummary(s),
    server,
    serverInfo: capture?.serverInfo ?? null,
    capabilities: capture?.capabilities ?? null,
    extensions: Object.keys(((capture?.capabilities as { extensions?: object } | undefined)?.extensions ?? {}) as object).sort(),
    instructions: capture?.instructions ?? null,
    tools: (capture?.tools ?? []).map((t) => ({ ...t, requiredScopes: scopesOf(t) })),
    prompts: capture?.prompts ?? [],
    resources: capture?.resources ?? [],
    resourceTemplates: capture?.resourceTemplates ?? [],
    findings,
    diff: (s.diff as SnapshotDiff | null) ?? null,
    pinnedSnapshot: pinned ? { id: pinned.id, hash: pinned.hash, createdAt: pinned.createdAt.toISOString() } : null,
    isCurrentDrift: s.version.driftSnapshotId === s.id,
  };
}

export async function getSnapshot(serverId: string, snapshotId: string) {
  const d = await snapshotDetail(snapshotId);
  if (!d || d.serverId !== serverId) throw new ApiError("not_found", `Snapshot ${snapshotId} not found`);
  return d;
}

export async function listSnapshots(serverId: string, q: { version?: string; cursor?: string; limit: number }) {
  const server = await db().server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new ApiError("not_found", `Server ${serverId} not found`);
  const rows = await db().toolSnapshot.findMany({
    where: { serverId, ...(q.version !== undefined ? { version: { version: q.version } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include,
    ...idPageArgs(q.cursor, q.limit),
  });
  const { page, nextCursor } = splitPage(rows, q.limit, (r) => r.id);
  return { snapshots: page.map(snapshotSummary), nextCursor };
}

/**
 * The newest successful snapshot of the version asked for; by default of the server's latest
 * approved version, else of its newest version that has one.
 */
export async function latestSnapshot(serverId: string, version?: string) {
  const server = await db().server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new ApiError("not_found", `Server ${serverId} not found`);
  const v =
    version !== undefined
      ? await db().serverVersion.findUnique({ where: { serverId_version: { serverId, version } }, select: { latestSnapshotId: true } })
      : ((await db().serverVersion.findFirst({ where: { serverId, isLatest: true, latestSnapshotId: { not: null } }, select: { latestSnapshotId: true } })) ??
        (await db().serverVersion.findFirst({ where: { serverId, latestSnapshotId: { not: null } }, orderBy: { lastCheckedAt: "desc" }, select: { latestSnapshotId: true } })));
  if (version !== undefined && !v) throw new ApiError("not_found", `Server version ${version} not found`);
  if (!v?.latestSnapshotId) throw new ApiError("not_found", "No snapshot has been taken of this server yet");
  return (await snapshotDetail(v.latestSnapshotId))!;
}

/** Drift and findings of the server's latest approved version (null fields when never checked). */
export async function serverDrift(serverId: string) {
  const v = await db().serverVersion.findFirst({
    where: { serverId, isLatest: true },
    select: { id: true, version: true, driftSince: true, pinnedSnapshotId: true, latestSnapshotId: true, lastCheckedAt: true, lastCheckError: true, driftSnapshotId: true },
  });
  if (!v) return { drift: null, findings: null };
  const ids = [v.pinnedSnapshotId, v.latestSnapshotId].filter((x): x is string => !!x);
  const snaps = await db().toolSnapshot.findMany({ where: { id: { in: ids } }, select: { id: true, hash: true, findings: true } });
  const byId = new Map(snaps.map((s) => [s.id, s]));
  const latest = v.latestSnapshotId ? byId.get(v.latestSnapshotId) : undefined;
  const findings = (latest?.findings as Finding[] | null) ?? [];
  const acked = findings.length ? new Set((await db().findingAck.findMany({ where: { serverId, key: { in: findings.map((f) => f.key) } }, select: { key: true } })).map((a) => a.key)) : new Set<string>();
  const review = v.driftSnapshotId ? await db().review.findFirst({ where: { subjectType: "tool-snapshot", subjectId: v.driftSnapshotId, state: "pending" }, select: { id: true } }) : null;
  return {
    drift: {
      versionId: v.id,
      version: v.version,
      detected: !!v.driftSince,
      since: v.driftSince?.toISOString() ?? null,
      pinnedHash: (v.pinnedSnapshotId && byId.get(v.pinnedSnapshotId)?.hash) || null,
      currentHash: latest?.hash ?? null,
      snapshotId: v.driftSnapshotId,
      reviewId: review?.id ?? null,
      lastCheckedAt: v.lastCheckedAt?.toISOString() ?? null,
      lastCheckError: v.lastCheckError,
    },
    findings: latest ? { ...summarizeFindings(findings), unacknowledged: findings.filter((f) => !acked.has(f.key)).length } : null,
  };
}
