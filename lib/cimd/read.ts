import type { Prisma } from "@/lib/generated/pg/client";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { asciiLower, literalFilter, needsExactCheck, searchPage } from "@/lib/users/search";
import { canChangeAgent, canRevokeAgent } from "@/lib/cimd/permissions";
import { insecureBase, jwksUriFor, keysOf, type JsonObject } from "@/lib/cimd/documents";
import type { ListAgentsQuery } from "@/lib/cimd/schema";

// The agents' read side for the console and the API: the list, one agent with its versions,
// and the export of every published client_id for authorization servers.

const summaryInclude = {
  owners: { orderBy: { addedAt: "asc" } },
  _count: { select: { servers: true } },
  versions: { where: { state: "pending" }, select: { id: true, number: true } },
} satisfies Prisma.AgentInclude;

type SummaryRow = Prisma.AgentGetPayload<{ include: typeof summaryInclude }>;

function status(a: { status: string; currentVersionId: string | null }): "unpublished" | "published" | "revoked" | "deleted" {
  if (a.status === "revoked" || a.status === "deleted") return a.status;
  return a.currentVersionId ? "published" : "unpublished";
}

async function summaries(rows: SummaryRow[]) {
  const userIds = [...new Set(rows.flatMap((r) => r.owners.map((o) => o.userId)))];
  const currentIds = rows.map((r) => r.currentVersionId).filter((x): x is string => !!x);
  const pendingIds = rows.flatMap((r) => r.versions.map((v) => v.id));
  const [users, current, reviews] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    db().agentVersion.findMany({ where: { id: { in: currentIds } }, select: { id: true, number: true, sha256: true, publishedAt: true, document: true, hostedJwks: true } }),
    db().review.findMany({ where: { subjectType: "agent-version", subjectId: { in: pendingIds }, state: "pending" }, select: { id: true, subjectId: true } }),
  ]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const versions = new Map(current.map((v) => [v.id, v]));
  const reviewOf = new Map(reviews.map((r) => [r.subjectId, r.id]));
  return rows.map((a) => {
    const pub = a.currentVersionId ? versions.get(a.currentVersionId) : undefined;
    const pending = a.versions[0];
    return {
      id: a.id,
      slug: a.slug,
      name: a.name,
      kind: a.kind,
      environment: a.environment,
      purpose: a.purpose,
      ownerTeam: a.ownerTeam,
      clientId: a.clientId,
      status: status(a),
      published: pub ? { id: pub.id, number: pub.number, sha256: pub.sha256, publishedAt: pub.publishedAt?.toISOString() ?? null } : null,
      pending: pending ? { id: pending.id, number: pending.number, reviewId: reviewOf.get(pending.id) ?? null } : null,
      hasDraft: a.draftDocument !== null,
      owners: a.owners.map((o) => ({ id: o.userId, name: names.get(o.userId) ?? "" })),
      serverCount: a._count.servers,
      keyCount: pub ? keysOf(pub.document as JsonObject, pub.hostedJwks, a.clientId).length : 0,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  });
}

export async function listAgents(actor: Actor, q: ListAgentsQuery) {
  const where: Prisma.AgentWhereInput = {};
  if (q.kind) where.kind = q.kind;
  if (q.environment) where.environment = q.environment;
  // Deleted agents are hidden unless asked for; revoked ones stay listed (their history matters).
  if (q.status === "revoked" || q.status === "deleted") where.status = q.status;
  else if (q.status === "published") Object.assign(where, { status: "active", currentVersionId: { not: null } });
  else if (q.status === "unpublished") Object.assign(where, { status: "active", currentVersionId: null });
  else where.status = { not: "deleted" };
  if (q.owner === "me") where.owners = { some: { userId: actor.id } };
  if (q.q) {
    const f = literalFilter(q.q);
    where.OR = [{ slug: f }, { name: f }, { purpose: f }, { ownerTeam: f }];
  }
  const needle = needsExactCheck(q.q) ? asciiLower(q.q) : null;
  const { page, nextCursor } = await searchPage(
    (args) => db().agent.findMany({ where, include: summaryInclude, orderBy: { id: "desc" }, ...args }),
    q,
    needle === null ? undefined : (a) => [a.slug, a.name, a.purpose ?? "", a.ownerTeam ?? ""].some((t) => asciiLower(t).includes(needle)),
  );
  return { items: await summaries(page), nextCursor };
}

export async function getAgent(actor: Actor, agentId: string) {
  const a = await db().agent.findUnique({ where: { id: agentId }, include: { ...summaryInclude, servers: { include: { server: { select: { id: true, name: true } } } } } });
  if (!a) throw new ApiError("not_found", `Agent ${agentId} not found`);
  const [summary] = await summaries([a]);
  const versions = await db().agentVersion.findMany({ where: { agentId }, orderBy: { number: "desc" }, take: 200 });
  const reviews = await db().review.findMany({ where: { subjectType: "agent-version", subjectId: { in: versions.map((v) => v.id) } }, orderBy: { submittedAt: "desc" }, select: { id: true, state: true, subjectId: true } });
  const reviewOf = new Map<string, { id: string; state: string }>();
  for (const r of reviews) if (!reviewOf.has(r.subjectId)) reviewOf.set(r.subjectId, { id: r.id, state: r.state });
  const people = [...new Set([...versions.map((v) => v.submittedById), ...(a.revokedById ? [a.revokedById] : [])])];
  const users = await db().user.findMany({ where: { id: { in: people } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  // A deleted agent keeps its record (and slug), not its documents.
  const gone = a.status === "deleted";
  const current = gone ? null : (versions.find((v) => v.id === a.currentVersionId) ?? (a.currentVersionId ? await db().agentVersion.findUnique({ where: { id: a.currentVersionId } }) : null));
  let draft: { document: unknown; updatedAt: string } | null = null;
  if (a.draftDocument !== null && !gone) draft = { document: JSON.parse(a.draftDocument) as unknown, updatedAt: a.draftUpdatedAt?.toISOString() ?? a.updatedAt.toISOString() };
  return {
    ...summary,
    servers: a.servers.map((s) => s.server).sort((x, y) => x.name.localeCompare(y.name)),
    document: (current?.document as JsonObject | undefined) ?? null,
    canonical: current?.canonical ?? null,
    jwksUri: jwksUriFor(a.clientId),
    // The token-exchange secret (lib/xaa/exchange-secret.ts): that one exists, never the secret.
    exchangeSecret: a.exchangeSecretPrefix ? { prefix: a.exchangeSecretPrefix, issuedAt: a.exchangeSecretIssuedAt?.toISOString() ?? null } : null,
    draft,
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      state: v.state,
      current: v.id === a.currentVersionId,
      sha256: v.sha256,
      size: v.size,
      source: v.source,
      submittedBy: { id: v.submittedById, name: names.get(v.submittedById) ?? "" },
      createdAt: v.createdAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      review: reviewOf.get(v.id) ?? null,
      warnings: v.warnings as { field: string; message: string; rule: string }[],
    })),
    revoked: a.revokedAt ? { at: a.revokedAt.toISOString(), by: { id: a.revokedById ?? "", name: names.get(a.revokedById ?? "") ?? "" }, reason: a.revokeReason } : null,
    insecureBase: insecureBase(),
    permissions: {
      canEdit: a.status === "active" && canChangeAgent(actor, a.owners.map((o) => o.userId)),
      canRevoke: a.status === "active" && canRevokeAgent(actor),
    },
  };
}

/** Every client_id an authorization server may see served now (published, not revoked). */
export async function exportClientIds() {
  const rows = await db().agent.findMany({ where: { status: "active", currentVersionId: { not: null } }, orderBy: { slug: "asc" }, select: { slug: true, name: true, kind: true, clientId: true, currentVersionId: true } });
  const versions = await db().agentVersion.findMany({ where: { id: { in: rows.map((r) => r.currentVersionId!) } }, select: { id: true, sha256: true, publishedAt: true } });
  const byId = new Map(versions.map((v) => [v.id, v]));
  return rows.map((r) => ({ clientId: r.clientId, slug: r.slug, name: r.name, kind: r.kind, sha256: byId.get(r.currentVersionId!)?.sha256 ?? null, publishedAt: byId.get(r.currentVersionId!)?.publishedAt?.toISOString() ?? null }));
}
