import { z } from "zod";
import { db, lockKey } from "@/lib/db";
import { ApiError, prismaErrorCode } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { SNAPSHOT_SUBJECT } from "@/lib/registry/tools";
import { snapshotDetail } from "@/lib/registry/tools-read";
import { isScope } from "@/lib/registry/tools-snapshot";
import type { Finding } from "@/lib/registry/tools-findings";
import { safeString } from "@/lib/validation/strings";

// What people do with a snapshot: approve a drifted one through the normal review (four-eyes:
// whoever ran the check that found the drift does not decide it), acknowledge a poisoning finding
// with a comment, and edit the scopes a tool requires.

registerReviewSubject(SNAPSHOT_SUBJECT, {
  async onDecision(tx, review, decision, actor) {
    const snap = await tx.toolSnapshot.findUnique({ where: { id: review.subjectId }, include: { version: { include: { server: { select: { name: true } } } } } });
    if (!snap) throw new ApiError("not_found", "The snapshot under review no longer exists");
    const v = snap.version;
    const label = `${v.server.name}@${v.version}`;
    await lockKey(tx, `server:${v.server.name}`);
    const fresh = await tx.serverVersion.findUniqueOrThrow({ where: { id: v.id } });
    if (fresh.driftSnapshotId !== snap.id) {
      // Superseded (a newer snapshot differs again) or resolved (the server went back).
      throw new TransitionRefused("approved", decision, `${label} snapshot ${snap.id} (no longer the version's current drift)`);
    }
    if (decision === "approved") {
      await tx.serverVersion.update({ where: { id: v.id }, data: { pinnedSnapshotId: snap.id, driftSince: null, driftSnapshotId: null } });
      await bumpGeneration(tx);
    }
    await recordAudit(tx, actor, {
      action: decision === "approved" ? "server.version.snapshot.approve" : "server.version.snapshot.reject",
      target: { type: "server-version", id: v.id, label },
      before: { pinnedSnapshotId: fresh.pinnedSnapshotId, driftSince: fresh.driftSince?.toISOString() ?? null },
      after: { snapshotId: snap.id, hash: snap.hash, reviewId: review.id, ...(decision === "approved" ? { pinnedSnapshotId: snap.id } : { drift: "remains" }) },
    });
  },
  afterCommit(decision) {
    if (decision === "approved") registryChanged();
  },
  async onWithdraw(tx, review, actor) {
    const snap = await tx.toolSnapshot.findUnique({ where: { id: review.subjectId }, select: { versionId: true } });
    await recordAudit(tx, actor, { action: "server.version.snapshot.withdraw", target: { type: "server-version", id: snap?.versionId ?? review.subjectId }, after: { snapshotId: review.subjectId, reviewId: review.id } });
  },
  detail: (subjectId) => snapshotDetail(subjectId),
});

export const acknowledgeFindingSchema = z.strictObject({
  comment: safeString({ max: 2000, min: 3, multiline: true }),
});

/** Records an approver's acknowledgement of a finding in the server's latest snapshots. */
export async function acknowledgeFinding(actor: Actor, serverId: string, key: string, comment: string) {
  const server = await db().server.findUnique({ where: { id: serverId }, select: { id: true, name: true } });
  if (!server) throw new ApiError("not_found", `Server ${serverId} not found`);
  const versions = await db().serverVersion.findMany({ where: { serverId, latestSnapshotId: { not: null } }, select: { latestSnapshotId: true } });
  const snaps = await db().toolSnapshot.findMany({ where: { id: { in: versions.map((v) => v.latestSnapshotId!) } }, select: { findings: true } });
  const finding = snaps.flatMap((s) => (s.findings as Finding[] | null) ?? []).find((f) => f.key === key);
  if (!finding) throw new ApiError("not_found", `No finding ${key} in this server's latest snapshots`);
  try {
    const ack = await db().$transaction(async (tx) => {
      const row = await tx.findingAck.create({ data: { serverId, key, rule: finding.rule, item: finding.item, comment, actorId: actor.id } });
      await recordAudit(tx, actor, {
        action: "server.finding.acknowledge",
        target: { type: "server", id: server.id, label: server.name },
        after: { key, rule: finding.rule, severity: finding.severity, item: finding.item, field: finding.field, comment: row.comment },
      });
      await bumpGeneration(tx);
      return row;
    });
    registryChanged();
    return { key: ack.key, comment: ack.comment, actorId: ack.actorId, createdAt: ack.createdAt.toISOString() };
  } catch (err) {
    if (prismaErrorCode(err) === "P2002") throw new ApiError("conflict", `Finding ${key} is already acknowledged`);
    throw err;
  }
}

export const toolScopesSchema = z.strictObject({
  scopes: z
    .array(z.string().refine(isScope, "must be an OAuth scope token (printable ASCII, no spaces or quotes, at most 128 characters)"))
    .max(20, "at most 20 scopes")
    .refine((s) => new Set(s).size === s.length, "must not repeat a scope"),
});

/** Sets (or, with null, resets to what the server declares) the scopes a tool requires. */
export async function setToolScopes(actor: Actor, serverId: string, tool: string, scopes: string[] | null) {
  return db().$transaction(async (tx) => {
    const server = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true } });
    if (!server) throw new ApiError("not_found", `Server ${serverId} not found`);
    const before = await tx.serverToolScope.findUnique({ where: { serverId_tool: { serverId, tool } } });
    if (scopes === null) {
      if (before) await tx.serverToolScope.delete({ where: { id: before.id } });
    } else {
      await tx.serverToolScope.upsert({
        where: { serverId_tool: { serverId, tool } },
        create: { serverId, tool, scopes: scopes.join(" "), source: "edited", updatedById: actor.id },
        update: { scopes: scopes.join(" "), source: "edited", updatedById: actor.id },
      });
    }
    await recordAudit(tx, actor, {
      action: scopes === null ? "server.tool_scopes.reset" : "server.tool_scopes.set",
      target: { type: "server", id: server.id, label: server.name },
      before: before ? { tool, scopes: before.scopes.split(" ") } : { tool, scopes: null },
      after: { tool, scopes },
    });
    return { tool, scopes, source: scopes === null ? "declared" : "edited" };
  });
}
