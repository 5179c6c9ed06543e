import type { Prisma } from "@/lib/generated/pg/client";
import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import { submitForReview } from "@/lib/reviews/data";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import type { CreateRuleInput, CreateUpstreamInput, UpdateUpstreamInput } from "@/lib/registry/sync-schema";

// Upstream registries the catalog syncs from, and their allow rules. Reads need catalog.read,
// writes reviews.decide (the route checks); every write is audited in its own transaction. A
// rule is a review subject ("sync-rule"): it admits entries only once someone other than its
// author approved it, and until it is revoked.

export const RULE_SUBJECT = "sync-rule";
export const syncLeaseName = (upstreamId: string) => `sync:${upstreamId}`;

type UpstreamRow = Prisma.UpstreamGetPayload<object>;
type RuleRow = Prisma.SyncAllowRuleGetPayload<object>;

export type RuleState = "pending" | "approved" | "rejected" | "withdrawn" | "revoked";

export function upstreamJson(u: UpstreamRow, rules: { total: number; active: number } = { total: 0, active: 0 }) {
  return {
    id: u.id,
    name: u.name,
    baseUrl: u.baseUrl,
    enabled: u.enabled,
    intervalMinutes: u.intervalMinutes,
    updatedSince: u.updatedSince,
    status: u.status,
    lastStartedAt: u.lastStartedAt?.toISOString() ?? null,
    lastFinishedAt: u.lastFinishedAt?.toISOString() ?? null,
    lastError: u.lastError,
    lastCounts: (u.lastCounts ?? null) as Record<string, unknown> | null,
    rules,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
export type UpstreamJson = ReturnType<typeof upstreamJson>;

function record(u: UpstreamRow) {
  return { name: u.name, baseUrl: u.baseUrl, enabled: u.enabled, intervalMinutes: u.intervalMinutes, updatedSince: u.updatedSince };
}

/** A rule's state as people read it: a revoked rule is "revoked" whatever its review said. */
export function ruleState(r: Pick<RuleRow, "state" | "revokedAt">): RuleState {
  return r.revokedAt ? "revoked" : r.state;
}

function ruleJson(r: RuleRow, names: Map<string, string>, reviewId: string | null) {
  return {
    id: r.id,
    upstreamId: r.upstreamId,
    namespace: r.namespace,
    state: ruleState(r),
    comment: r.comment,
    createdBy: { id: r.createdById, name: names.get(r.createdById) ?? null },
    approvedBy: r.approvedById ? { id: r.approvedById, name: names.get(r.approvedById) ?? null } : null,
    approvedAt: r.approvedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    reviewId,
  };
}
export type RuleJson = ReturnType<typeof ruleJson>;

async function ruleCounts(ids: string[], client: Tx = db()) {
  const rows = await client.syncAllowRule.findMany({ where: { upstreamId: { in: ids } }, select: { upstreamId: true, state: true, revokedAt: true } });
  const out = new Map<string, { total: number; active: number }>();
  for (const id of ids) out.set(id, { total: 0, active: 0 });
  for (const r of rows) {
    const c = out.get(r.upstreamId)!;
    c.total += 1;
    if (r.state === "approved" && !r.revokedAt) c.active += 1;
  }
  return out;
}

export async function listUpstreams() {
  const rows = await db().upstream.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  const counts = await ruleCounts(rows.map((r) => r.id));
  return { items: rows.map((u) => upstreamJson(u, counts.get(u.id))), nextCursor: null };
}

async function findUpstream(client: Tx, id: string): Promise<UpstreamRow> {
  const u = await client.upstream.findUnique({ where: { id } });
  if (!u) throw new ApiError("not_found", `Upstream ${id} not found`);
  return u;
}

export async function getUpstream(id: string) {
  const u = await findUpstream(db(), id);
  return upstreamJson(u, (await ruleCounts([id])).get(id));
}

const nameTaken = (name: string) => new ApiError("conflict", `An upstream named ${name} already exists`, [{ field: "name", message: "already in use" }]);

export async function createUpstream(actor: Actor, input: CreateUpstreamInput) {
  return db().$transaction(async (tx) => {
    await lockKey(tx, `upstream:${input.name}`);
    if (await tx.upstream.findUnique({ where: { name: input.name } })) throw nameTaken(input.name);
    const u = await tx.upstream.create({ data: { ...input, createdById: actor.id } });
    await recordAudit(tx, actor, { action: "upstream.create", target: { type: "upstream", id: u.id, label: u.name }, after: record(u) });
    return upstreamJson(u);
  });
}

export async function updateUpstream(actor: Actor, id: string, input: UpdateUpstreamInput) {
  await findUpstream(db(), id);
  // A run reads the row it started with and writes its mark at the end: edits wait for it.
  const holder = `update:${id}:${Date.now()}`;
  if (!(await acquireLease(syncLeaseName(id), holder, 30_000))) throw new ApiError("conflict", "A sync of this upstream is running; change it when the run has finished");
  try {
    return await applyUpdate(actor, id, input);
  } finally {
    await releaseLease(syncLeaseName(id), holder);
  }
}

function applyUpdate(actor: Actor, id: string, input: UpdateUpstreamInput) {
  return db().$transaction(async (tx) => {
    const before = await findUpstream(tx, id);
    if (input.name && input.name !== before.name) {
      await lockKey(tx, `upstream:${input.name}`);
      if (await tx.upstream.findUnique({ where: { name: input.name } })) throw nameTaken(input.name);
    }
    // Another registry's marks mean nothing here: a new URL starts with a full run.
    const resetMark = input.updatedSince === null || (input.baseUrl !== undefined && input.baseUrl !== before.baseUrl);
    const { updatedSince: _ignored, ...fields } = input;
    void _ignored;
    const u = await tx.upstream.update({ where: { id }, data: { ...fields, ...(resetMark ? { updatedSince: null } : {}) } });
    await recordAudit(tx, actor, { action: "upstream.update", target: { type: "upstream", id, label: u.name }, before: record(before), after: record(u) });
    // A rule was approved for what this URL served. Another URL is another registry: its rules
    // end here (revoked, audited), so nothing is admitted from it without a new four-eyes review.
    if (input.baseUrl !== undefined && input.baseUrl !== before.baseUrl) {
      const open = await tx.syncAllowRule.findMany({ where: { upstreamId: id, revokedAt: null, state: { in: ["pending", "approved"] } } });
      if (open.length) {
        await tx.syncAllowRule.updateMany({ where: { id: { in: open.map((r) => r.id) } }, data: { revokedAt: new Date() } });
        await withdrawPendingRuleReviews(tx, open.filter((r) => r.state === "pending").map((r) => r.id));
        for (const r of open) {
          await recordAudit(tx, actor, {
            action: "sync.rule.revoke",
            target: { type: RULE_SUBJECT, id: r.id, label: `${u.name}: ${r.namespace}` },
            before: { state: r.state, revokedAt: null },
            after: { revokedAt: "now", reason: `the upstream's URL changed from ${before.baseUrl} to ${u.baseUrl}` },
          });
        }
      }
    }
    return upstreamJson(u, (await ruleCounts([id], tx)).get(id));
  });
}

/** Deletes an upstream and its rules (versions it brought stay). Refused while it runs. */
export async function deleteUpstream(actor: Actor, id: string) {
  await findUpstream(db(), id);
  const holder = `delete:${id}:${Date.now()}`;
  if (!(await acquireLease(syncLeaseName(id), holder, 30_000))) throw new ApiError("conflict", "A sync of this upstream is running; delete it when the run has finished");
  try {
    return await db().$transaction(async (tx) => {
      const u = await findUpstream(tx, id);
      const rules = await tx.syncAllowRule.findMany({ where: { upstreamId: id }, select: { id: true } });
      await withdrawPendingRuleReviews(tx, rules.map((r) => r.id));
      await tx.upstream.delete({ where: { id } });
      await recordAudit(tx, actor, { action: "upstream.delete", target: { type: "upstream", id, label: u.name }, before: { ...record(u), rules: rules.length } });
      return { id, deleted: true };
    });
  } finally {
    await releaseLease(syncLeaseName(id), holder);
  }
}

// A rule that can no longer be approved leaves no review waiting in the queue.
async function withdrawPendingRuleReviews(tx: Tx, ruleIds: string[]) {
  if (!ruleIds.length) return;
  await tx.review.updateMany({ where: { subjectType: RULE_SUBJECT, subjectId: { in: ruleIds }, state: "pending" }, data: { state: "withdrawn", decidedAt: new Date() } });
}

async function userNames(client: Tx, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const users = await client.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

export async function listRules(upstreamId: string) {
  await findUpstream(db(), upstreamId);
  const rows = await db().syncAllowRule.findMany({ where: { upstreamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const names = await userNames(db(), rows.flatMap((r) => [r.createdById, r.approvedById]));
  const reviews = await db().review.findMany({
    where: { subjectType: RULE_SUBJECT, subjectId: { in: rows.map((r) => r.id) } },
    orderBy: { submittedAt: "desc" },
    select: { id: true, subjectId: true },
  });
  const reviewOf = new Map<string, string>();
  for (const r of reviews) if (!reviewOf.has(r.subjectId)) reviewOf.set(r.subjectId, r.id);
  return { items: rows.map((r) => ruleJson(r, names, reviewOf.get(r.id) ?? null)), nextCursor: null };
}

/** Proposes an allow rule; it opens a review another approver must decide. */
export async function createRule(actor: Actor, upstreamId: string, input: CreateRuleInput) {
  return db().$transaction(async (tx) => {
    const upstream = await findUpstream(tx, upstreamId);
    await lockKey(tx, `sync-rule:${upstreamId}:${input.namespace}`);
    const open = await tx.syncAllowRule.findFirst({ where: { upstreamId, namespace: input.namespace, revokedAt: null, state: { in: ["pending", "approved"] } } });
    if (open) throw new ApiError("conflict", `${upstream.name} already has a ${open.state} rule for ${input.namespace}`, [{ field: "namespace", message: "already has a rule" }]);
    const rule = await tx.syncAllowRule.create({ data: { upstreamId, namespace: input.namespace, comment: input.comment || null, createdById: actor.id } });
    await recordAudit(tx, actor, {
      action: "sync.rule.create",
      target: { type: RULE_SUBJECT, id: rule.id, label: `${upstream.name}: ${rule.namespace}` },
      after: { upstream: upstream.name, namespace: rule.namespace, comment: rule.comment },
    });
    const review = await submitForReview(tx, { type: RULE_SUBJECT, id: rule.id, name: rule.namespace, version: upstream.name }, actor);
    return ruleJson(rule, await userNames(tx, [actor.id]), review.id);
  });
}

/** Revokes a rule: it admits nothing from now on (what it admitted stays, recorded). */
export async function revokeRule(actor: Actor, upstreamId: string, ruleId: string) {
  return db().$transaction(async (tx) => {
    const upstream = await findUpstream(tx, upstreamId);
    const rule = await tx.syncAllowRule.findUnique({ where: { id: ruleId } });
    if (!rule || rule.upstreamId !== upstreamId) throw new ApiError("not_found", `Rule ${ruleId} not found`);
    if (rule.revokedAt) throw new ApiError("conflict", "The rule is already revoked");
    const updated = await tx.syncAllowRule.update({ where: { id: ruleId }, data: { revokedAt: new Date() } });
    await withdrawPendingRuleReviews(tx, [ruleId]);
    await recordAudit(tx, actor, {
      action: "sync.rule.revoke",
      target: { type: RULE_SUBJECT, id: ruleId, label: `${upstream.name}: ${rule.namespace}` },
      before: { state: rule.state, revokedAt: null },
      after: { state: "revoked", revokedAt: updated.revokedAt!.toISOString() },
    });
    return ruleJson(updated, await userNames(tx, [updated.createdById, updated.approvedById]), null);
  });
}

/** The approved, unrevoked rules of an upstream, most specific first. */
export async function activeRules(upstreamId: string) {
  const rows = await db().syncAllowRule.findMany({
    where: { upstreamId, state: "approved", revokedAt: null, approvedById: { not: null } },
    orderBy: [{ approvedAt: "asc" }, { id: "asc" }],
  });
  return rows.sort((a, b) => b.namespace.length - a.namespace.length);
}

registerReviewSubject(RULE_SUBJECT, {
  async onDecision(tx, review, decision, actor) {
    const rule = await tx.syncAllowRule.findUnique({ where: { id: review.subjectId }, include: { upstream: { select: { name: true } } } });
    if (!rule) throw new ApiError("not_found", "The sync rule under review no longer exists");
    const label = `${rule.upstream.name}: ${rule.namespace}`;
    if (rule.revokedAt) throw new TransitionRefused("revoked", decision, `Sync rule ${label}`);
    if (rule.state !== "pending") throw new TransitionRefused(rule.state === "rejected" ? "rejected" : "approved", decision, `Sync rule ${label}`);
    const now = new Date();
    await tx.syncAllowRule.update({
      where: { id: rule.id },
      data: decision === "approved" ? { state: "approved", approvedById: actor.id, approvedAt: now } : { state: "rejected" },
    });
    await recordAudit(tx, actor, {
      action: decision === "approved" ? "sync.rule.approve" : "sync.rule.reject",
      target: { type: RULE_SUBJECT, id: rule.id, label },
      before: { state: "pending" },
      after: { state: decision, reviewId: review.id },
    });
  },
  async onWithdraw(tx, review, actor) {
    const rule = await tx.syncAllowRule.findUnique({ where: { id: review.subjectId }, include: { upstream: { select: { name: true } } } });
    if (!rule) return;
    const label = `${rule.upstream.name}: ${rule.namespace}`;
    if (rule.state !== "pending") throw new TransitionRefused(rule.state === "rejected" ? "rejected" : "approved", "revoked", `Sync rule ${label}`);
    await tx.syncAllowRule.update({ where: { id: rule.id }, data: { state: "withdrawn" } });
    await recordAudit(tx, actor, { action: "sync.rule.withdraw", target: { type: RULE_SUBJECT, id: rule.id, label }, before: { state: "pending" }, after: { state: "withdrawn", reviewId: review.id } });
  },
  async detail(subjectId) {
    const rule = await db().syncAllowRule.findUnique({ where: { id: subjectId }, include: { upstream: { select: { id: true, name: true, baseUrl: true } } } });
    if (!rule) return null;
    return {
      rule: { id: rule.id, namespace: rule.namespace, comment: rule.comment, state: rule.state, revokedAt: rule.revokedAt?.toISOString() ?? null },
      upstream: rule.upstream,
    };
  },
});
