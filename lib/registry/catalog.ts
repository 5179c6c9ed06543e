import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { encodeCursor, decodeCursor } from "@/lib/api/cursor";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { asciiLower, literalFilter, needsExactCheck } from "@/lib/users/search";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { setVersionStatus } from "@/lib/registry/data";
import { storedTags, tagList } from "@/lib/registry/tags";
import { serverDrift } from "@/lib/registry/tools-read";
import type { ListServersQuery, UpdateServerInput } from "@/lib/registry/schema";

// The catalog as the console reads it: servers with their versions and review states (the
// public registry serves only approved versions, from lib/public).

const versionSelect = {
  id: true,
  version: true,
  state: true,
  status: true,
  statusMessage: true,
  isLatest: true,
  title: true,
  description: true,
  transports: true,
  registryTypes: true,
  source: true,
  batchId: true,
  admittedByRuleId: true,
  submittedById: true,
  createdAt: true,
  publishedAt: true,
  updatedAt: true,
} satisfies Prisma.ServerVersionSelect;

type VersionRow = Prisma.ServerVersionGetPayload<{ select: typeof versionSelect }>;

function versionJson(v: VersionRow) {
  return {
    id: v.id,
    version: v.version,
    state: v.state,
    status: v.state === "approved" ? v.status : null,
    statusMessage: v.statusMessage,
    isLatest: v.isLatest,
    title: v.title,
    description: v.description,
    transports: v.transports ? v.transports.split(",") : [],
    registryTypes: v.registryTypes ? v.registryTypes.split(",") : [],
    source: v.source,
    batchId: v.batchId,
    admittedByRuleId: v.admittedByRuleId,
    submittedBy: v.submittedById,
    createdAt: v.createdAt.toISOString(),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    updatedAt: v.updatedAt.toISOString(),
  };
}

const HISTORY_ACTIONS = [
  "server.version.submit",
  "server.version.approve",
  "server.version.reject",
  "server.version.withdraw",
  "server.version.admit",
  "server.version.deprecate",
  "server.version.revoke",
  "server.version.activate",
];

function historyMessage(after: unknown): string | null {
  if (!after || typeof after !== "object") return null;
  const a = after as Record<string, unknown>;
  const m = a.statusMessage ?? a.comment;
  return typeof m === "string" && m ? m : null;
}

/** The version a list shows for a server: the latest approved one, else the newest submitted. */
function headline(versions: VersionRow[]): VersionRow | undefined {
  return versions.find((v) => v.isLatest) ?? versions[0];
}

function versionWhere(q: ListServersQuery): Prisma.ServerVersionWhereInput | undefined {
  const where: Prisma.ServerVersionWhereInput = {};
  if (q.status === "deprecated" || q.status === "deleted") Object.assign(where, { state: "approved", status: q.status });
  else if (q.status === "approved") Object.assign(where, { state: "approved", status: "active" });
  else if (q.status) where.state = q.status;
  if (q.transport) where.transports = { contains: q.transport };
  if (q.registryType) where.registryTypes = literalFilter(q.registryType);
  return Object.keys(where).length ? where : undefined;
}

export async function listServers(q: ListServersQuery) {
  const and: Prisma.ServerWhereInput[] = [];
  if (q.q) {
    const f = literalFilter(q.q);
    and.push({ OR: [{ name: f }, { tags: literalFilter(`,${q.q.toLowerCase()}`) }, { versions: { some: { OR: [{ title: f }, { description: f }] } } }] });
  }
  const vw = versionWhere(q);
  if (vw) and.push({ versions: { some: vw } });
  if (q.risk) and.push({ riskLevel: q.risk });
  if (q.owner) and.push({ owners: { some: { userId: q.owner } } });
  if (q.tag) and.push({ tags: literalFilter(`,${q.tag.toLowerCase()},`) });
  const byName = (q.sort ?? "name") === "name";
  const after = q.cursor ? decodeCursor(q.cursor, "cursor") : undefined;
  const rows = await db().server.findMany({
    where: { AND: and },
    orderBy: byName ? [{ name: "asc" }] : [{ updatedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(after ? { cursor: byName ? { name: after } : { id: after }, skip: 1 } : {}),
    include: { versions: { select: versionSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }, owners: { select: { userId: true } } },
  });
  const more = rows.length > q.limit;
  let page = rows.slice(0, q.limit);
  const nextCursor = more ? encodeCursor(byName ? page[page.length - 1].name : page[page.length - 1].id) : null;
  // SQLite matches % and _ in a needle as wildcards: check the literal text here.
  if (needsExactCheck(q.q)) {
    const needle = asciiLower(q.q);
    page = page.filter((s) => [s.name, s.tags, ...s.versions.flatMap((v) => [v.title ?? "", v.description])].some((t) => asciiLower(t).includes(needle)));
  }
  return {
    items: page.map((s) => {
      const h = headline(s.versions);
      return {
        id: s.id,
        name: s.name,
        title: h?.title ?? null,
        description: h?.description ?? null,
        riskLevel: s.riskLevel,
        tags: tagList(s.tags),
        ownerTeam: s.ownerTeam,
        owners: s.owners.map((o) => o.userId),
        versionCount: s.versions.length,
        pendingCount: s.versions.filter((v) => v.state === "pending").length,
        latest: h ? versionJson(h) : null,
        updatedAt: s.updatedAt.toISOString(),
      };
    }),
    nextCursor,
  };
}

export async function getServer(actor: Actor, id: string) {
  const s = await db().server.findUnique({
    where: { id },
    include: {
      versions: { select: { ...versionSelect, document: true, warnings: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
      owners: { orderBy: { addedAt: "asc" } },
      agents: { where: { agent: { status: { not: "deleted" } } }, include: { agent: { select: { id: true, slug: true, name: true, status: true, currentVersionId: true } } } },
    },
  });
  if (!s) throw new ApiError("not_found", `Server ${id} not found`);
  const people = await db().user.findMany({ where: { id: { in: [...new Set([...s.owners.map((o) => o.userId), ...s.versions.map((v) => v.submittedById)])] } }, select: { id: true, name: true, email: true } });
  const names = new Map(people.map((p) => [p.id, p.name]));
  const reviews = await db().review.findMany({
    where: { subjectType: "server-version", subjectId: { in: s.versions.map((v) => v.id) } },
    orderBy: { submittedAt: "asc" },
  });
  const reviewers = await db().user.findMany({ where: { id: { in: reviews.map((r) => r.reviewerId).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  for (const r of reviewers) names.set(r.id, r.name);
  // The status history: every lifecycle event of its versions, from the audit store (who did
  // what and when), newest first. Readable by everyone who can read the catalog.
  const byVersion = new Map(s.versions.map((v) => [v.id, v.version]));
  const events = await db().auditEvent.findMany({
    where: { targetType: "server-version", targetId: { in: [...byVersion.keys()] }, action: { in: HISTORY_ACTIONS } },
    orderBy: { seq: "desc" },
    take: 200,
    select: { id: true, time: true, action: true, targetId: true, actorLabel: true, actorType: true, after: true },
  });
  const { drift, findings } = await serverDrift(s.id);
  // The delegation policies that target this server (the one linked record: server <-> policies).
  const policies = can(actor, "policies.read")
    ? (await db().policy.findMany({ where: { versions: { some: { serverId: s.id } } }, include: { versions: { orderBy: { number: "desc" } } }, orderBy: { name: "asc" }, take: 200 }))
        .map((p) => {
          // the version that decides (active) or, before approval, the newest
          const v = p.versions.find((x) => x.id === p.activeVersionId) ?? p.versions[0];
          const doc = v.document as { scopes?: string[]; agents?: string[] };
          return v.serverId === s.id ? [{ id: p.id, name: p.name, effect: v.effect, status: p.activeVersionId ? (p.enabled ? "active" : "disabled") : v.state, scopes: doc.scopes ?? [], agents: doc.agents?.length ?? 0 }] : [];
        })
        .flat()
    : [];
  return {
    id: s.id,
    name: s.name,
    // Tool drift and poisoning findings of the latest approved version (docs/tool-snapshots.md).
    drift,
    findings,
    riskLevel: s.riskLevel,
    tags: tagList(s.tags),
    ownerTeam: s.ownerTeam,
    // Delegation policies toward this server name this issuer as their audience (docs/xaa.md).
    authIssuer: s.authIssuer,
    // Reviewer notes are for the people who decide and the owners.
    reviewerNotes: can(actor, "reviews.decide") || s.owners.some((o) => o.userId === actor.id) ? s.reviewerNotes : null,
    owners: s.owners.map((o) => ({ userId: o.userId, name: names.get(o.userId) ?? null, addedAt: o.addedAt.toISOString() })),
    // The agents meant to reach this server (the one linked record: server <-> agents).
    agents: can(actor, "agents.read")
      ? s.agents
          .map(({ agent: a }) => ({ id: a.id, slug: a.slug, name: a.name, status: a.status === "active" ? (a.currentVersionId ? "published" : "unpublished") : a.status }))
          .sort((x, y) => x.slug.localeCompare(y.slug))
      : [],
    policies,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    history: events.map((e) => ({
      id: e.id,
      at: e.time.toISOString(),
      action: e.action,
      version: byVersion.get(e.targetId ?? "") ?? null,
      actor: e.actorLabel,
      message: historyMessage(e.after),
    })),
    versions: s.versions.map((v) => ({
      ...versionJson(v),
      submittedByName: names.get(v.submittedById) ?? null,
      document: v.document,
      warnings: v.warnings,
      reviews: reviews
        .filter((r) => r.subjectId === v.id)
        .map((r) => ({ id: r.id, state: r.state, submittedAt: r.submittedAt.toISOString(), reviewedBy: r.reviewerId, reviewedByName: r.reviewerId ? (names.get(r.reviewerId) ?? null) : null, decidedAt: r.decidedAt?.toISOString() ?? null, comment: r.comment })),
    })),
  };
}

/**
 * Console metadata. Owners may set the owner team and tags; risk level and reviewer notes are
 * the reviewers' (reviews.decide). Served in the registry API under our own _meta key, so a
 * change bumps the registry generation.
 */
export async function updateServer(actor: Actor, id: string, input: UpdateServerInput) {
  await db().$transaction(async (tx) => {
    const s = await tx.server.findUnique({ where: { id }, include: { owners: true } });
    if (!s) throw new ApiError("not_found", `Server ${id} not found`);
    const reviewer = can(actor, "reviews.decide");
    const owner = s.owners.some((o) => o.userId === actor.id);
    if (!reviewer && !owner) throw new ApiError("forbidden", `Only the owners of ${s.name} or a reviewer may change it`);
    if (!reviewer && (input.riskLevel !== undefined || input.reviewerNotes !== undefined || input.authIssuer !== undefined)) {
      throw new ApiError("forbidden", "Risk level, reviewer notes and the authorization server's issuer are set by reviewers (reviews.decide)");
    }
    const data: Prisma.ServerUpdateInput = {};
    if (input.ownerTeam !== undefined) data.ownerTeam = input.ownerTeam || null;
    if (input.tags !== undefined) data.tags = storedTags(input.tags);
    if (input.riskLevel !== undefined) data.riskLevel = input.riskLevel;
    if (input.reviewerNotes !== undefined) data.reviewerNotes = input.reviewerNotes || null;
    if (input.authIssuer !== undefined) data.authIssuer = input.authIssuer;
    await tx.server.update({ where: { id }, data });
    await recordAudit(tx, actor, {
      action: "server.update",
      target: { type: "server", id, label: s.name },
      before: { ownerTeam: s.ownerTeam, tags: tagList(s.tags), riskLevel: s.riskLevel, reviewerNotes: s.reviewerNotes ? "(set)" : null, authIssuer: s.authIssuer },
      after: { ...input, reviewerNotes: input.reviewerNotes === undefined ? undefined : input.reviewerNotes ? "(set)" : null },
    });
    await bumpGeneration(tx);
  });
  registryChanged();
  return getServer(actor, id);
}

/** The console's deprecate / revoke / re-activate of one approved version (by ids). */
export async function setConsoleVersionStatus(actor: Actor, serverId: string, versionId: string, input: { status: "active" | "deprecated" | "deleted"; statusMessage?: string }) {
  const v = await db().serverVersion.findUnique({ where: { id: versionId }, include: { server: { select: { id: true, name: true } } } });
  if (!v || v.serverId !== serverId) throw new ApiError("not_found", "Server version not found");
  if (v.state !== "approved") throw new ApiError("conflict", `${v.server.name} version ${v.version} is ${v.state}: only approved versions have a registry status`);
  await setVersionStatus(actor, v.server.name, v.version, { status: input.status, statusMessage: input.statusMessage || undefined });
  return getServer(actor, serverId);
}
