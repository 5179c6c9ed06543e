import type { Prisma } from "@/lib/generated/pg/client";
import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError, prismaErrorCode } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { submitForReview } from "@/lib/reviews/data";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { validateServerJson, type ServerJson } from "@/lib/registry/server-json";
import { pickLatest } from "@/lib/registry/semver";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { canSubmitVersionOf } from "@/lib/registry/permissions";
import { pinOnApproval } from "@/lib/registry/tools";
import { snapshotDetail } from "@/lib/registry/tools-read";

// The catalog's write side: submissions (console, API, import, sync), the review subject
// "server-version", and registry status changes. Each write is one transaction with its audit
// event; writes that change what the public registry serves bump the change signal.

export const SUBJECT_TYPE = "server-version";
export type VersionSource = "console" | "api" | "import" | "sync";
export type RegistryStatus = "active" | "deprecated" | "deleted";

function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

/** The transports and registry types a document offers, for filters. */
export function offeredKinds(doc: ServerJson): { transports: string; registryTypes: string } {
  const transports = new Set<string>();
  const types = new Set<string>();
  for (const p of doc.packages ?? []) {
    if (p.transport?.type) transports.add(p.transport.type);
    if (p.registryType) types.add(p.registryType);
  }
  for (const r of doc.remotes ?? []) if (r.type) transports.add(r.type);
  return { transports: [...transports].sort().join(","), registryTypes: [...types].sort().join(",") };
}

/** Refuses a document the schema refuses: 422 with the JSON pointer of each field. */
export function parseServerJson(doc: unknown, where = "body"): { server: ServerJson; warnings: { pointer: string; message: string }[] } {
  const result = validateServerJson(doc);
  if (!result.valid || !result.server) {
    const first = result.errors[0];
    throw new ApiError(
      "validation_failed",
      first ? `Invalid server.json: ${first.pointer || "/"} ${first.message}` : "Invalid server.json",
      result.errors.map((e) => ({ field: `${where}${e.pointer}`, message: e.message })),
    );
  }
  return { server: result.server, warnings: result.warnings };
}

export interface SubmitOptions {
  /** Groups the versions of one import or sync run for batch review. */
  batchId?: string;
  /** A sync allow rule admits the version at once (approved, no review), recording the rule and
   * the person who approved the rule. */
  admit?: { ruleId: string; approverId: string };
}

export interface SubmitResult {
  server: { id: string; name: string; created: boolean };
  version: { id: string; version: string; state: "pending" | "approved" };
  /** Null when an allow rule admitted the version. */
  review: { id: string } | null;
  warnings: { pointer: string; message: string }[];
  document: ServerJson;
}

/**
 * Submits a server version for review. The first submitter of a name owns the server; a
 * publisher submits only versions of servers they own (403), approvers and admins of any. An
 * existing version is a 409. Nothing is stored when anything is refused.
 */
export async function submitServerVersion(actor: Actor, doc: unknown, source: VersionSource = "console", options: SubmitOptions = {}): Promise<SubmitResult> {
  const { server: document, warnings } = parseServerJson(doc);
  const admit = options.admit;
  const run = () =>
    db().$transaction(async (tx) => {
      await lockKey(tx, `server:${document.name}`);
      let server = await tx.server.findUnique({ where: { name: document.name }, include: { owners: true } });
      let created = false;
      if (!server) {
        server = await tx.server.create({
          data: { name: document.name, createdById: actor.id, owners: { create: { userId: actor.id, addedById: actor.id } } },
          include: { owners: true },
        });
        created = true;
        await recordAudit(tx, actor, { action: "server.create", target: { type: "server", id: server.id, label: server.name }, after: { name: server.name, owner: actor.id } });
      } else if (!canSubmitVersionOf(actor, server.owners.map((o) => o.userId))) {
        throw new ApiError("forbidden", `You do not own ${document.name}: only its owners (or an approver) may submit versions of it`);
      }
      const existing = await tx.serverVersion.findUnique({ where: { serverId_version: { serverId: server.id, version: document.version } } });
      if (existing) throw new ApiError("conflict", `${document.name} version ${document.version} already exists (${existing.state})`);
      const version = await tx.serverVersion.create({
        data: {
          serverId: server.id,
          version: document.version,
          document: json(document),
          description: document.description,
          title: document.title ?? null,
          ...offeredKinds(document),
          warnings: json(warnings),
          source,
          batchId: options.batchId ?? null,
          submittedById: actor.id,
          ...(admit
            ? { state: "approved" as const, status: "active" as const, publishedAt: new Date(), statusChangedAt: new Date(), admittedByRuleId: admit.ruleId, admittedRuleApproverId: admit.approverId }
            : {}),
        },
      });
      const label = `${document.name}@${document.version}`;
      await recordAudit(tx, actor, {
        action: "server.version.submit",
        target: { type: SUBJECT_TYPE, id: version.id, label },
        after: { server: document.name, version: document.version, source, warnings: warnings.length, batchId: options.batchId ?? null },
      });
      if (admit) {
        await recordAudit(tx, actor, {
          action: "server.version.admit",
          target: { type: SUBJECT_TYPE, id: version.id, label },
          after: { state: "approved", ruleId: admit.ruleId, ruleApprovedBy: admit.approverId },
        });
        await recomputeLatest(tx, server.id);
        await bumpGeneration(tx);
      }
      const review = admit ? null : await submitForReview(tx, { type: SUBJECT_TYPE, id: version.id, name: document.name, version: document.version }, actor);
      return {
        server: { id: server.id, name: server.name, created },
        version: { id: version.id, version: version.version, state: admit ? ("approved" as const) : ("pending" as const) },
        review: review ? { id: review.id } : null,
        warnings,
        document,
      };
    });
  const finish = <T,>(r: T): T => {
    if (admit) registryChanged();
    return r;
  };
  try {
    return finish(await run());
  } catch (err) {
    // Two first submissions of one name on SQLite (no advisory lock): the loser retries once and
    // then meets the winner's server as a normal owner check.
    const code = prismaErrorCode(err);
    if (code === "P2002") {
      try {
        return finish(await run());
      } catch (again) {
        if (prismaErrorCode(again) === "P2002") throw new ApiError("conflict", `${document.name} version ${document.version} already exists`);
        throw again;
      }
    }
    throw err;
  }
}

/** Recomputes isLatest for a server: the highest semver among approved versions not revoked. */
export async function recomputeLatest(tx: Tx, serverId: string): Promise<void> {
  const versions = await tx.serverVersion.findMany({
    where: { serverId, state: "approved", status: { not: "deleted" } },
    select: { id: true, version: true, publishedAt: true },
  });
  const latest = pickLatest(versions.map((v) => ({ ...v, publishedAt: v.publishedAt ?? new Date(0) })));
  await tx.serverVersion.updateMany({ where: { serverId, isLatest: true, ...(latest ? { id: { not: latest.id } } : {}) }, data: { isLatest: false } });
  if (latest) await tx.serverVersion.updateMany({ where: { id: latest.id, isLatest: false }, data: { isLatest: true } });
}

registerReviewSubject(SUBJECT_TYPE, {
  async onDecision(tx, review, decision, actor) {
    const version = await tx.serverVersion.findUnique({ where: { id: review.subjectId }, include: { server: { select: { name: true } } } });
    if (!version) throw new ApiError("not_found", "The server version under review no longer exists");
    const label = `${version.server.name}@${version.version}`;
    if (version.state !== "pending") throw new TransitionRefused(version.state === "withdrawn" ? "revoked" : "approved", decision, label);
    const now = new Date();
    if (decision === "approved") {
      await tx.serverVersion.update({ where: { id: version.id }, data: { state: "approved", status: "active", publishedAt: now, statusChangedAt: now } });
      await pinOnApproval(tx, actor, version.id, label);
      await recomputeLatest(tx, version.serverId);
      await bumpGeneration(tx);
    } else {
      await tx.serverVersion.update({ where: { id: version.id }, data: { state: "rejected" } });
    }
    await recordAudit(tx, actor, {
      action: decision === "approved" ? "server.version.approve" : "server.version.reject",
      target: { type: SUBJECT_TYPE, id: version.id, label },
      before: { state: "pending" },
      after: { state: decision, reviewId: review.id },
    });
  },
  afterCommit(decision) {
    if (decision === "approved") registryChanged();
  },
  async onWithdraw(tx, review, actor) {
    const version = await tx.serverVersion.findUnique({ where: { id: review.subjectId }, include: { server: { select: { name: true } } } });
    if (!version) throw new ApiError("not_found", "The server version under review no longer exists");
    const label = `${version.server.name}@${version.version}`;
    if (version.state !== "pending") throw new TransitionRefused(version.state === "approved" ? "approved" : "rejected", "revoked", label);
    await tx.serverVersion.update({ where: { id: version.id }, data: { state: "withdrawn" } });
    await recordAudit(tx, actor, {
      action: "server.version.withdraw",
      target: { type: SUBJECT_TYPE, id: version.id, label },
      before: { state: "pending" },
      after: { state: "withdrawn", reviewId: review.id },
    });
  },
  detail: (subjectId) => versionReviewDetail(subjectId),
  async excludedDeciders(tx, subjectId) {
    // A synced version is submitted by the sync service account; the people behind it are whoever
    // added, changed or ran its upstream. They are the "first pair of eyes" here.
    const v = await tx.serverVersion.findUnique({ where: { id: subjectId }, select: { source: true, batchId: true } });
    const upstreamId = v?.source === "sync" && v.batchId?.startsWith("sync:") ? v.batchId.split(":")[1] : null;
    if (!upstreamId) return { ids: [], reason: "" };
    const events = await tx.auditEvent.findMany({
      where: { targetType: "upstream", targetId: upstreamId, action: { in: ["upstream.create", "upstream.update", "upstream.sync.start"] }, actorId: { not: null } },
      select: { actorId: true },
    });
    const upstream = await tx.upstream.findUnique({ where: { id: upstreamId }, select: { createdById: true } });
    const ids = [...new Set([...events.map((e) => e.actorId!), ...(upstream ? [upstream.createdById] : [])])];
    return { ids, reason: "You configured or ran the sync that brought this version: someone else decides it" };
  },
  async inBatch(batchId) {
    const rows = await db().serverVersion.findMany({ where: { batchId }, select: { id: true } });
    return rows.map((r) => r.id);
  },
});

/**
 * What the review page shows for a server version: its document and warnings, and the version
 * it would follow (the latest approved one, else the newest approved) as the base of the diff.
 */
export async function versionReviewDetail(versionId: string) {
  const v = await db().serverVersion.findUnique({ where: { id: versionId }, include: { server: { select: { id: true, name: true, riskLevel: true, ownerTeam: true, tags: true } } } });
  if (!v) return null;
  const base = await db().serverVersion.findFirst({
    where: { serverId: v.serverId, state: "approved", id: { not: v.id } },
    orderBy: [{ isLatest: "desc" }, { publishedAt: "desc" }],
    select: { id: true, version: true, document: true, status: true, publishedAt: true },
  });
  return {
    server: { id: v.server.id, name: v.server.name, riskLevel: v.server.riskLevel, ownerTeam: v.server.ownerTeam },
    version: { id: v.id, version: v.version, state: v.state, source: v.source, batchId: v.batchId, createdAt: v.createdAt.toISOString() },
    document: v.document,
    warnings: v.warnings,
    previous: base ? { id: base.id, version: base.version, status: base.status, publishedAt: base.publishedAt?.toISOString() ?? null, document: base.document } : null,
    // What the server really offers (its newest tool snapshot), beside the server.json.
    snapshot: v.latestSnapshotId ? await snapshotDetail(v.latestSnapshotId) : null,
    lastCheck: { at: v.lastCheckedAt?.toISOString() ?? null, error: v.lastCheckError },
  };
}

export interface StatusInput {
  status: RegistryStatus;
  statusMessage?: string;
}

type VersionWithServer = Prisma.ServerVersionGetPayload<{ include: { server: true } }>;

async function applyStatus(tx: Tx, actor: Actor, v: VersionWithServer, input: StatusInput): Promise<boolean> {
  if (v.status === "deleted" && input.status !== "deleted") {
    throw new ApiError("conflict", `${v.server.name} version ${v.version} was revoked (deleted); a revoked version cannot be revived`);
  }
  const message = input.statusMessage ?? null;
  if (v.status === input.status && v.statusMessage === message) return false;
  await tx.serverVersion.update({ where: { id: v.id }, data: { status: input.status, statusMessage: message, statusChangedAt: new Date() } });
  await recordAudit(tx, actor, {
    action: input.status === "deleted" ? "server.version.revoke" : input.status === "deprecated" ? "server.version.deprecate" : "server.version.activate",
    target: { type: SUBJECT_TYPE, id: v.id, label: `${v.server.name}@${v.version}` },
    before: { status: v.status, statusMessage: v.statusMessage },
    after: { status: input.status, statusMessage: message },
  });
  return true;
}

/** Changes the registry status of one approved version (deprecate, revoke as `deleted`, re-activate). */
export async function setVersionStatus(actor: Actor, name: string, version: string, input: StatusInput) {
  const result = await db().$transaction(async (tx) => {
    await lockKey(tx, `server:${name}`);
    const v = await findApproved(tx, name, version);
    const changed = await applyStatus(tx, actor, v, input);
    if (changed) {
      await recomputeLatest(tx, v.serverId);
      await bumpGeneration(tx);
    }
    return v.id;
  });
  registryChanged();
  return result;
}

/** Changes the status of every approved version of a server; returns the ids changed or kept. */
export async function setServerStatus(actor: Actor, name: string, input: StatusInput) {
  const ids = await db().$transaction(async (tx) => {
    await lockKey(tx, `server:${name}`);
    const server = await tx.server.findUnique({ where: { name } });
    if (!server) throw new ApiError("not_found", "Server not found");
    const versions = await tx.serverVersion.findMany({ where: { serverId: server.id, state: "approved" }, include: { server: true }, orderBy: { publishedAt: "asc" } });
    if (!versions.length) throw new ApiError("not_found", "Server not found");
    if (input.status !== "deleted") {
      const revoked = versions.find((v) => v.status === "deleted");
      if (revoked) throw new ApiError("conflict", `${name} version ${revoked.version} was revoked (deleted); a revoked version cannot be revived`);
    }
    let changed = false;
    for (const v of versions) changed = (await applyStatus(tx, actor, v, input)) || changed;
    if (changed) {
      await recomputeLatest(tx, server.id);
      await bumpGeneration(tx);
    }
    return versions.map((v) => v.id);
  });
  registryChanged();
  return ids;
}

async function findApproved(tx: Tx, name: string, version: string): Promise<VersionWithServer> {
  const server = await tx.server.findUnique({ where: { name } });
  if (!server) throw new ApiError("not_found", "Server not found");
  const where = version === "latest" ? { serverId: server.id, isLatest: true } : { serverId: server.id, version };
  const v = await tx.serverVersion.findFirst({ where: { ...where, state: "approved" }, include: { server: true } });
  if (!v) throw new ApiError("not_found", "Server version not found");
  return v;
}
