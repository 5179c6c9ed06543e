import type { Prisma } from "@/lib/generated/pg/client";
import { db, lockKey, type Tx } from "@/lib/db";
import { json } from "@/lib/cimd/data";
import { ApiError, prismaErrorCode, type FieldIssue } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { env } from "@/lib/env";
import { submitForReview } from "@/lib/reviews/data";
import { bumpSignal, signalChanged, XAA_SIGNAL } from "@/lib/public/signal";
import { asciiLower, literalFilter, needsExactCheck, searchPage } from "@/lib/users/search";
import { remoteOf } from "@/lib/registry/tools-remote";
import type { ServerJson } from "@/lib/registry/server-json";
import type { ListPoliciesQuery, PolicyDocument, PolicyInput } from "@/lib/xaa/schema";

// Delegation policies (docs/xaa.md): each change is a new version in the shared review
// lifecycle (subject type `policy-version`); approving a version makes it the policy's active
// one; enable/disable switches a policy without editing it. Every write that changes what the
// decision point answers bumps the XAA signal in its transaction, and the index follows.

export const POLICY_SUBJECT = "policy-version";

export const xaaChanged = (): void => signalChanged(XAA_SIGNAL);
export const bumpXaa = (tx: Tx): Promise<void> => bumpSignal(tx, XAA_SIGNAL);

const invalid = (issues: FieldIssue[]) => new ApiError("validation_failed", `Invalid ${issues.map((i) => i.field).join(", ")}`, issues);

/** The streamable-http remote of a server version's document, or null. */
export function streamableRemote(doc: unknown): string | null {
  const d = doc as ServerJson;
  if (!d?.remotes?.some((r) => r.type === "streamable-http")) return null;
  try {
    return remoteOf({ ...d, remotes: d.remotes.filter((r) => r.type === "streamable-http") }).url;
  } catch {
    return null;
  }
}

/** The approved version a policy's target stands for: the latest approved, active one. */
export async function approvedTarget(tx: Tx, name: string) {
  const server = await tx.server.findUnique({ where: { name }, select: { id: true, name: true, authIssuer: true } });
  if (!server) return null;
  const versions = await tx.serverVersion.findMany({
    where: { serverId: server.id, state: "approved", status: { not: "deleted" } },
    orderBy: [{ isLatest: "desc" }, { publishedAt: "desc" }],
    select: { id: true, version: true, document: true, driftSince: true, status: true },
  });
  if (!versions.length) return null;
  const resources = [...new Set(versions.map((v) => streamableRemote(v.document)).filter((u): u is string => !!u))];
  return { server, version: versions[0], resources };
}

/** Checks a policy input against the catalog and fills its defaults: the normalised document. */
export async function normalisePolicy(tx: Tx, input: PolicyInput): Promise<{ doc: PolicyDocument; serverId: string }> {
  const issues: FieldIssue[] = [];
  const target = await approvedTarget(tx, input.target.server);
  if (!target) throw invalid([{ field: "target.server", message: `${input.target.server} is not an approved catalog server` }]);
  const resource = input.target.resource ?? target.resources[0] ?? null;
  if (!resource) issues.push({ field: "target.resource", message: `${target.server.name} has no streamable-http remote: give the resource identifier of its MCP endpoint` });
  // The resource is this server's endpoint, so its drift and approval govern the grant.
  else if (target.resources.length && !target.resources.includes(resource)) {
    issues.push({ field: "target.resource", message: `must be one of ${target.server.name}'s MCP endpoints: ${target.resources.join(", ")}` });
  }
  if (target.server.authIssuer && input.target.audience !== target.server.authIssuer) {
    issues.push({ field: "target.audience", message: `must be ${target.server.authIssuer}, the issuer recorded for ${target.server.name}'s authorization server` });
  }
  const prefix = `${env().PUBLIC_BASE_URL}/oauth/clients/`;
  const ours = input.agents.filter((a) => a.startsWith(prefix));
  if (ours.length) {
    const found = new Set((await tx.agent.findMany({ where: { clientId: { in: ours }, status: { not: "deleted" } }, select: { clientId: true } })).map((a) => a.clientId));
    input.agents.forEach((a, i) => {
      if (a.startsWith(prefix) && !found.has(a)) issues.push({ field: `agents.${i}`, message: `${a} is not an agent registered here` });
    });
  }
  if (issues.length) throw invalid(issues);
  return { doc: { ...input, target: { server: target.server.name, audience: input.target.audience, resource: resource! } }, serverId: target.server.id };
}

async function createVersion(tx: Tx, actor: Actor, policy: { id: string }, doc: PolicyDocument, serverId: string) {
  const conflict = () => new ApiError("conflict", `Policy "${doc.name}" already has a version in review: withdraw it or wait for the decision`);
  if (await tx.policyVersion.findFirst({ where: { policyId: policy.id, state: "pending" }, select: { id: true } })) throw conflict();
  const last = await tx.policyVersion.findFirst({ where: { policyId: policy.id }, orderBy: { number: "desc" }, select: { number: true } });
  const number = (last?.number ?? 0) + 1;
  const version = await tx.policyVersion
    .create({
      data: { policyId: policy.id, number, name: doc.name, document: json(doc), effect: doc.effect, serverId, audience: doc.target.audience, resource: doc.target.resource, submittedById: actor.id },
    })
    .catch((err: unknown) => {
      throw prismaErrorCode(err) === "P2002" ? conflict() : err;
    });
  // The policy's name changes when a version is approved (lib/xaa/review.ts), never on submission.
  await recordAudit(tx, actor, {
    action: "policy.version.submit",
    target: { type: "policy", id: policy.id, label: doc.name },
    after: { versionId: version.id, number, document: doc },
  });
  const review = await submitForReview(tx, { type: POLICY_SUBJECT, id: version.id, name: doc.name, version: String(number) }, actor);
  return { id: policy.id, version: { id: version.id, number }, review: { id: review.id, state: review.state } };
}

export async function createPolicy(actor: Actor, input: PolicyInput) {
  return db().$transaction(async (tx) => {
    const { doc, serverId } = await normalisePolicy(tx, input);
    const policy = await tx.policy.create({ data: { name: doc.name, createdById: actor.id } });
    await recordAudit(tx, actor, { action: "policy.create", target: { type: "policy", id: policy.id, label: doc.name } });
    return createVersion(tx, actor, policy, doc, serverId);
  });
}

export async function addPolicyVersion(actor: Actor, policyId: string, input: PolicyInput) {
  return db().$transaction(async (tx) => {
    await lockKey(tx, `policy:${policyId}`);
    const policy = await tx.policy.findUnique({ where: { id: policyId } });
    if (!policy) throw new ApiError("not_found", `Policy ${policyId} not found`);
    const { doc, serverId } = await normalisePolicy(tx, input);
    return createVersion(tx, actor, policy, doc, serverId);
  });
}

export async function setPolicyEnabled(actor: Actor, policyId: string, enabled: boolean) {
  if (!can(actor, "reviews.decide")) throw new ApiError("forbidden", "Enabling or disabling a policy needs the reviews.decide permission");
  await db().$transaction(async (tx) => {
    await lockKey(tx, `policy:${policyId}`);
    const policy = await tx.policy.findUnique({ where: { id: policyId } });
    if (!policy) throw new ApiError("not_found", `Policy ${policyId} not found`);
    if (policy.enabled === enabled) return;
    await tx.policy.update({ where: { id: policyId }, data: { enabled } });
    await recordAudit(tx, actor, {
      action: enabled ? "policy.enable" : "policy.disable",
      target: { type: "policy", id: policyId, label: policy.name },
      before: { enabled: policy.enabled },
      after: { enabled },
    });
    await bumpXaa(tx);
  });
  xaaChanged();
  return getPolicy(policyId);
}

type VersionRow = Prisma.PolicyVersionGetPayload<object>;

async function peopleNames(ids: string[]) {
  const users = await db().user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

async function reviewsOf(versionIds: string[]) {
  const reviews = await db().review.findMany({ where: { subjectType: POLICY_SUBJECT, subjectId: { in: versionIds } }, orderBy: { submittedAt: "desc" }, select: { id: true, state: true, subjectId: true } });
  const of = new Map<string, { id: string; state: string }>();
  for (const r of reviews) if (!of.has(r.subjectId)) of.set(r.subjectId, { id: r.id, state: r.state });
  return of;
}

export function versionJson(v: VersionRow, names: Map<string, string>, reviewId: string | null) {
  return {
    id: v.id,
    number: v.number,
    state: v.state,
    document: v.document as unknown as PolicyDocument,
    submittedBy: { id: v.submittedById, name: names.get(v.submittedById) ?? null },
    createdAt: v.createdAt.toISOString(),
    approvedAt: v.approvedAt?.toISOString() ?? null,
    reviewId,
  };
}

type Status = "active" | "disabled" | "pending" | "rejected" | "withdrawn";

function statusOf(p: { enabled: boolean; activeVersionId: string | null }, latest: { state: string } | undefined): Status {
  if (p.activeVersionId) return p.enabled ? "active" : "disabled";
  if (latest?.state === "pending") return "pending";
  return latest?.state === "withdrawn" ? "withdrawn" : "rejected";
}

export interface ServerStanding {
  /** Why the server's policies grant nothing now (drifted, no approved version), or null. */
  reason: string | null;
  /** The issuer recorded for its authorization server. */
  issuer: string | null;
}

const CHUNK = 500;

/** The standing of target servers (in chunks: SQLite binds a limited number of parameters). */
export async function serverStandings(serverIds: string[]): Promise<Map<string, ServerStanding>> {
  const out = new Map<string, ServerStanding>();
  const ids = [...new Set(serverIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const servers = await db().server.findMany({
      where: { id: { in: ids.slice(i, i + CHUNK) } },
      select: { id: true, name: true, authIssuer: true, versions: { where: { state: "approved", status: { not: "deleted" } }, select: { driftSince: true, isLatest: true, publishedAt: true }, orderBy: [{ isLatest: "desc" }, { publishedAt: "desc" }] } },
    });
    for (const s of servers) {
      const v = s.versions[0];
      const reason = !v
        ? `${s.name} has no approved version`
        : v.driftSince
          ? `${s.name}'s tools changed since approval (drift since ${v.driftSince.toISOString()}); grants resume when its new snapshot is approved`
          : null;
      out.set(s.id, { reason, issuer: s.authIssuer });
    }
  }
  return out;
}

/** Why a policy grants nothing now: its server's standing, or an audience that is no longer the
 * server's recorded authorization server; null when it grants. */
export function suspensionOf(standing: ServerStanding | undefined, doc: Pick<PolicyDocument, "target">): string | null {
  if (!standing) return "its target server no longer exists";
  if (standing.reason) return standing.reason;
  return standing.issuer && standing.issuer !== doc.target.audience ? `its audience is no longer the server's authorization server (${standing.issuer})` : null;
}

const policyInclude = { versions: { orderBy: { number: "desc" as const } } } satisfies Prisma.PolicyInclude;
type PolicyRow = Prisma.PolicyGetPayload<{ include: typeof policyInclude }>;

async function summaries(rows: PolicyRow[]) {
  const shown = rows.map((p) => p.versions.find((v) => v.id === p.activeVersionId) ?? p.versions[0]).filter((v): v is VersionRow => !!v);
  const serverIds = shown.map((v) => v.serverId);
  const servers = new Map((await db().server.findMany({ where: { id: { in: serverIds } }, select: { id: true, name: true } })).map((s) => [s.id, s]));
  const standings = await serverStandings(serverIds);
  const pendingIds = rows.map((p) => p.versions.find((v) => v.state === "pending")?.id).filter((x): x is string => !!x);
  const reviews = await reviewsOf(pendingIds);
  return rows.map((p) => {
    const v = p.versions.find((x) => x.id === p.activeVersionId) ?? p.versions[0];
    const doc = v.document as unknown as PolicyDocument;
    const pending = p.versions.find((x) => x.state === "pending");
    const active = p.versions.find((x) => x.id === p.activeVersionId);
    return {
      id: p.id,
      name: p.name,
      enabled: p.enabled,
      status: statusOf(p, p.versions[0]),
      effect: doc.effect,
      server: servers.get(v.serverId) ?? null,
      audience: doc.target.audience,
      resource: doc.target.resource,
      agents: doc.agents,
      scopes: doc.scopes,
      activeVersion: active ? { id: active.id, number: active.number } : null,
      pending: pending ? { versionId: pending.id, number: pending.number, reviewId: reviews.get(pending.id)?.id ?? null } : null,
      suspended: active && doc.effect === "allow" ? suspensionOf(standings.get(v.serverId), doc) : null,
      updatedAt: p.updatedAt.toISOString(),
    };
  });
}

/** The version a policy is shown and filtered by: the active one, else the newest. */
const shownVersion = (p: PolicyRow) => p.versions.find((v) => v.id === p.activeVersionId) ?? p.versions[0];

export async function listPolicies(q: ListPoliciesQuery) {
  const and: Prisma.PolicyWhereInput[] = [];
  if (q.state === "active") and.push({ enabled: true, activeVersionId: { not: null } });
  else if (q.state === "disabled") and.push({ enabled: false, activeVersionId: { not: null } });
  else if (q.state === "pending") and.push({ versions: { some: { state: "pending" } } });
  if (q.q) and.push({ name: literalFilter(q.q) });
  const serverId = q.server ? ((await db().server.findUnique({ where: { name: q.server }, select: { id: true } }))?.id ?? "-") : null;
  if (serverId) and.push({ versions: { some: { serverId } } });
  if (q.effect) and.push({ versions: { some: { effect: q.effect } } });
  const needle = needsExactCheck(q.q) ? asciiLower(q.q) : null;
  // The database narrows; the version a policy is shown by decides (an old rejected version's
  // target or effect must not make a policy match), read on in batches to fill the page.
  const exact = (p: PolicyRow) => {
    const v = shownVersion(p);
    if (!v) return false;
    if (needle !== null && !asciiLower(p.name).includes(needle)) return false;
    if (serverId && v.serverId !== serverId) return false;
    if (q.effect && v.effect !== q.effect) return false;
    if (q.agent && !(v.document as unknown as PolicyDocument).agents.includes(q.agent)) return false;
    return true;
  };
  const filtered = needle !== null || serverId || q.effect || q.agent;
  const { page, nextCursor } = await searchPage(
    (args) => db().policy.findMany({ where: and.length ? { AND: and } : {}, include: policyInclude, orderBy: { id: "desc" }, ...args }),
    q,
    filtered ? exact : undefined,
  );
  return { items: await summaries(page), nextCursor };
}

export async function getPolicy(policyId: string) {
  const p = await db().policy.findUnique({ where: { id: policyId }, include: policyInclude });
  if (!p) throw new ApiError("not_found", `Policy ${policyId} not found`);
  const [summary] = await summaries([p]);
  const names = await peopleNames(p.versions.map((v) => v.submittedById));
  const reviews = await reviewsOf(p.versions.map((v) => v.id));
  const active = p.versions.find((v) => v.id === p.activeVersionId);
  const pending = p.versions.find((v) => v.state === "pending");
  return {
    ...summary,
    createdAt: p.createdAt.toISOString(),
    active: active ? versionJson(active, names, reviews.get(active.id)?.id ?? null) : null,
    pending: pending ? versionJson(pending, names, reviews.get(pending.id)?.id ?? null) : null,
    versions: p.versions.map((v) => ({
      id: v.id,
      number: v.number,
      state: v.id === p.activeVersionId ? "active" : v.state,
      submittedBy: { id: v.submittedById, name: names.get(v.submittedById) ?? null },
      createdAt: v.createdAt.toISOString(),
      approvedAt: v.approvedAt?.toISOString() ?? null,
      reviewId: reviews.get(v.id)?.id ?? null,
    })),
  };
}

/** What the editor needs for a target server: its issuer, its MCP endpoints, known scopes. */
export async function policyTarget(name: string) {
  const target = await approvedTarget(db(), name);
  if (!target) throw new ApiError("not_found", `${name} is not an approved catalog server`);
  const [snapshot, toolScopes] = await Promise.all([
    db().serverVersion.findUnique({ where: { id: target.version.id }, select: { pinnedSnapshotId: true, latestSnapshotId: true } }).then((v) => {
      const id = v?.pinnedSnapshotId ?? v?.latestSnapshotId;
      return id ? db().toolSnapshot.findUnique({ where: { id }, select: { scopes: true } }) : null;
    }),
    db().serverToolScope.findMany({ where: { serverId: target.server.id }, select: { scopes: true } }),
  ]);
  const scopes = new Set<string>();
  const collect = (v: unknown) => {
    if (Array.isArray(v)) for (const s of v) if (typeof s === "string") scopes.add(s);
    else if (v && typeof v === "object") for (const x of Object.values(v)) collect(x);
  };
  // Per tool in the snapshot: { scopes: [...], source }; edited ones are space-separated.
  for (const entry of Object.values((snapshot?.scopes ?? {}) as Record<string, { scopes?: unknown }>)) collect(entry?.scopes);
  for (const t of toolScopes) collect(t.scopes.split(" ").filter(Boolean));
  return {
    server: { id: target.server.id, name: target.server.name },
    audience: target.server.authIssuer,
    resources: target.resources,
    scopes: [...scopes].sort(),
    drifted: !!target.version.driftSince,
  };
}

/** Groups named by any policy version (editor and simulator suggestions). */
export async function policyGroups() {
  const rows = await db().policyVersion.findMany({ select: { document: true }, orderBy: { createdAt: "desc" }, take: 2000 });
  const groups = new Set<string>();
  for (const r of rows) {
    const d = r.document as unknown as PolicyDocument;
    for (const g of [...(d.subjects?.include?.groups ?? []), ...(d.subjects?.exclude?.groups ?? [])]) groups.add(g);
  }
  return { groups: [...groups].sort() };
}
