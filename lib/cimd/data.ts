import type { Prisma } from "@/lib/generated/pg/client";
import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError, prismaErrorCode } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { roleHas } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";
import { submitForReview } from "@/lib/reviews/data";
import { bumpSignal, CIMD_SIGNAL, signalChanged, XAA_SIGNAL } from "@/lib/public/signal";
import { canChangeAgent, canRevokeAgent } from "@/lib/cimd/permissions";
import { clientIdFor, insecureBase, jwksUriFor, keysOf, prepareDocument, type JsonObject, type PreparedDocument } from "@/lib/cimd/documents";
import { validateCimd, type AgentKind } from "@/lib/cimd/validate";
import type { CreateAgentInput, UpdateAgentInput } from "@/lib/cimd/schema";

// The agents' write side: registration, document versions (each one a review of subject
// "agent-version", lib/cimd/review.ts), drafts, metadata, co-owners, revocation and deletion.
// Each write is one transaction with its audit event(s); a write that changes what
// /oauth/clients serves bumps the CIMD change signal and, after commit, calls cimdChanged().

export const SUBJECT_TYPE = "agent-version";
export type AgentSource = "console" | "api";

// The delegation policy index follows agents too (a revoked agent is refused by the decision point).
export const cimdChanged = (): void => {
  signalChanged(CIMD_SIGNAL);
  signalChanged(XAA_SIGNAL);
};
export const bumpCimd = async (tx: Tx): Promise<void> => {
  await bumpSignal(tx, CIMD_SIGNAL);
  await bumpSignal(tx, XAA_SIGNAL);
};

export function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

const agentTarget = (a: { id: string; slug: string }) => ({ type: "agent", id: a.id, label: a.slug });

type AgentRow = Prisma.AgentGetPayload<{ include: { owners: true } }>;

/** The agent, locked for a change, once the actor may change it; a revoked or deleted agent is a 409. */
export async function lockedAgent(tx: Tx, actor: Actor, agentId: string, opts: { allowInactive?: boolean } = {}): Promise<AgentRow> {
  const found = await tx.agent.findUnique({ where: { id: agentId }, select: { id: true } });
  if (!found) throw new ApiError("not_found", `Agent ${agentId} not found`);
  await lockKey(tx, `agent:${agentId}`);
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, include: { owners: true } });
  if (!canChangeAgent(actor, agent.owners.map((o) => o.userId))) {
    throw new ApiError("forbidden", `You do not own ${agent.slug}: only its owners (or an approver) may change it`);
  }
  if (!opts.allowInactive && agent.status !== "active") throw new ApiError("conflict", `${agent.slug} is ${agent.status}: it cannot change any more`);
  return agent;
}

async function checkServers(tx: Tx, ids: string[] | undefined, field = "servers"): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  if (!unique.length) return [];
  const found = await tx.server.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const known = new Set(found.map((s) => s.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length) {
    throw new ApiError("validation_failed", `${field}: no catalog server ${missing[0]}`, missing.map((id) => ({ field, message: `no catalog server ${id}` })));
  }
  return unique;
}

/** The published version's document (the diff base and the change-warning base), if any. */
export async function publishedDocument(tx: Tx, agent: { currentVersionId: string | null }): Promise<JsonObject | null> {
  if (!agent.currentVersionId) return null;
  const v = await tx.agentVersion.findUnique({ where: { id: agent.currentVersionId }, select: { document: true } });
  return (v?.document as JsonObject | undefined) ?? null;
}

/**
 * Stores a validated document as the agent's next version and opens its review. At most one
 * version per agent is pending: the check answers kindly, the partial unique index
 * "AgentVersion_one_pending_per_agent" holds when submissions race.
 */
export async function createVersion(tx: Tx, actor: Actor, agent: { id: string; slug: string }, prepared: PreparedDocument, source: AgentSource | "keys", hostedJwks: unknown = null) {
  const pendingConflict = () => new ApiError("conflict", `${agent.slug} already has a version in review: withdraw it or wait for the decision`);
  const pending = await tx.agentVersion.findFirst({ where: { agentId: agent.id, state: "pending" }, select: { id: true } });
  if (pending) throw pendingConflict();
  const last = await tx.agentVersion.findFirst({ where: { agentId: agent.id }, orderBy: { number: "desc" }, select: { number: true } });
  const number = (last?.number ?? 0) + 1;
  const version = await tx.agentVersion
    .create({
      data: {
        agentId: agent.id,
        number,
        document: json(prepared.document),
        canonical: prepared.canonical,
        sha256: prepared.sha256,
        size: prepared.size,
        hostedJwks: hostedJwks === null ? undefined : json(hostedJwks),
        warnings: json(prepared.warnings),
        source,
        submittedById: actor.id,
      },
    })
    .catch((err: unknown) => {
      throw prismaErrorCode(err) === "P2002" ? pendingConflict() : err;
    });
  await recordAudit(tx, actor, {
    action: "agent.version.submit",
    target: agentTarget(agent),
    after: { versionId: version.id, number, sha256: prepared.sha256, size: prepared.size, source, warnings: prepared.warnings.length },
  });
  const review = await submitForReview(tx, { type: SUBJECT_TYPE, id: version.id, name: agent.slug, version: String(number) }, actor);
  return { version: { id: version.id, number }, review: { id: review.id, state: review.state } };
}

/** Registers an agent; with a document (and not `draft`) its first version goes to review at once. */
export async function createAgent(actor: Actor, input: CreateAgentInput, source: AgentSource = "api") {
  const clientId = clientIdFor(input.slug);
  const asDraft = input.draft === true;
  if (!asDraft && input.document === undefined) {
    throw new ApiError("validation_failed", "document: is required (or save a draft with draft: true)", [{ field: "document", message: "is required" }]);
  }
  if (asDraft && input.document !== undefined) {
    if (typeof input.document !== "object" || input.document === null || Array.isArray(input.document)) {
      throw new ApiError("validation_failed", "document: must be a JSON object", [{ field: "document", message: "must be a JSON object" }]);
    }
    checkDraft(input.document as JsonObject, { clientId, kind: input.kind });
  }
  const prepared = asDraft ? null : prepareDocument(input.document, { clientId, kind: input.kind }, null);
  const taken = () => new ApiError("conflict", `slug: ${input.slug} is taken (slugs are never reused, even after deletion)`, [{ field: "slug", message: "is taken" }]);
  try {
    return await db().$transaction(async (tx) => {
      if (await tx.agent.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw taken();
      const servers = await checkServers(tx, input.servers);
      const agent = await tx.agent.create({
        data: {
          slug: input.slug,
          clientId,
          name: input.name,
          kind: input.kind,
          environment: input.environment ?? "production",
          purpose: input.purpose || null,
          ownerTeam: input.ownerTeam || null,
          createdById: actor.id,
          owners: { create: { userId: actor.id, addedById: actor.id } },
          servers: { create: servers.map((serverId) => ({ serverId })) },
          ...(asDraft && input.document !== undefined ? { draftDocument: JSON.stringify(input.document), draftUpdatedAt: new Date(), draftUpdatedById: actor.id } : {}),
        },
      });
      await recordAudit(tx, actor, {
        action: "agent.create",
        target: agentTarget(agent),
        after: { slug: agent.slug, clientId, name: agent.name, kind: agent.kind, environment: agent.environment, servers, owner: actor.id, draft: asDraft },
      });
      const submitted = prepared ? await createVersion(tx, actor, agent, prepared, source) : null;
      return { id: agent.id, slug: agent.slug, clientId, version: submitted?.version ?? null, review: submitted?.review ?? null, warnings: prepared?.warnings ?? [] };
    });
  } catch (err) {
    if (prismaErrorCode(err) === "P2002") throw taken();
    throw err;
  }
}

/** Submits a new document for an agent: a new version in review. */
export async function submitAgentVersion(actor: Actor, agentId: string, input: { document: unknown; discardDraft?: boolean }, source: AgentSource = "api") {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const previous = await publishedDocument(tx, agent);
    const prepared = prepareDocument(input.document, agent, previous);
    // The hosted key set carries over from the published version (never from one in review or
    // refused) while the document keeps naming it.
    const base = agent.currentVersionId ? await tx.agentVersion.findUnique({ where: { id: agent.currentVersionId }, select: { hostedJwks: true } }) : null;
    const hostedJwks = prepared.document.jwks_uri === jwksUriFor(agent.clientId) ? (base?.hostedJwks ?? { keys: [] }) : null;
    if (hostedJwks && keysOf(prepared.document, hostedJwks, agent.clientId).length === 0) {
      prepared.warnings.push({ field: "/jwks_uri", rule: "jwks_uri.hosted_empty", message: "jwks_uri names the hosted key set, which has no key yet: add one on the Keys page (a reviewed change)" });
    }
    const result = await createVersion(tx, actor, agent, prepared, source, hostedJwks);
    if (input.discardDraft && agent.draftDocument !== null) {
      await tx.agent.update({ where: { id: agentId }, data: { draftDocument: null, draftUpdatedAt: null, draftUpdatedById: null } });
    }
    return { ...result, warnings: prepared.warnings };
  });
}


const DRAFT_MAX_BYTES = 65_536;
/** Rules a draft must keep although it is judged only when submitted: it is stored and shown to
 * every reader, so it may hold no secret and no private key, and it is bounded. */
const DRAFT_SECRET_RULES = new Set(["secret.forbidden", "jwks.private"]);

function checkDraft(document: JsonObject, agent: { clientId: string; kind: AgentKind }) {
  const size = Buffer.byteLength(JSON.stringify(document));
  if (size > DRAFT_MAX_BYTES) throw new ApiError("validation_failed", "document: a draft is at most 64 KiB", [{ field: "document", message: "a draft is at most 64 KiB" }]);
  const { errors, warnings } = validateCimd(document, { clientId: agent.clientId, fillClientId: true, kind: agent.kind, insecureBase: insecureBase() });
  const secrets = errors.filter((e) => DRAFT_SECRET_RULES.has(e.rule));
  if (secrets.length) {
    throw new ApiError(
      "validation_failed",
      `document${secrets[0].field}: ${secrets[0].message}`,
      secrets.map((e) => ({ field: `document${e.field}`, message: e.message, rule: e.rule })),
    );
  }
  return { size, validation: { errors, warnings } };
}

/** Keeps the console's unsubmitted draft (any JSON object without secrets; judged when
 * submitted) and says what submitting it would meet. */
export async function saveDraft(actor: Actor, agentId: string, document: JsonObject) {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const { size, validation } = checkDraft(document, agent);
    const now = new Date();
    await tx.agent.update({ where: { id: agentId }, data: { draftDocument: JSON.stringify(document), draftUpdatedAt: now, draftUpdatedById: actor.id } });
    await recordAudit(tx, actor, { action: "agent.draft.save", target: agentTarget(agent), after: { size } });
    return { draft: { document, updatedAt: now.toISOString() }, validation };
  });
}

export async function discardDraft(actor: Actor, agentId: string) {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    if (agent.draftDocument === null) throw new ApiError("not_found", `${agent.slug} has no draft`);
    await tx.agent.update({ where: { id: agentId }, data: { draftDocument: null, draftUpdatedAt: null, draftUpdatedById: null } });
    await recordAudit(tx, actor, { action: "agent.draft.discard", target: agentTarget(agent) });
    return { deleted: true as const };
  });
}

/** Console metadata: not served, so not versioned; audited with before and after. */
export async function updateAgent(actor: Actor, agentId: string, input: UpdateAgentInput) {
  let environmentMoved = false;
  await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const data: Prisma.AgentUpdateInput = {};
    for (const key of ["name", "environment", "purpose", "ownerTeam"] as const) {
      if (input[key] === undefined) continue;
      const value = input[key] || (key === "name" || key === "environment" ? input[key] : null);
      if (value === agent[key]) continue;
      before[key] = agent[key];
      after[key] = value;
      (data as Record<string, unknown>)[key] = value;
    }
    if (input.servers) {
      const servers = await checkServers(tx, input.servers);
      const current = (await tx.agentServer.findMany({ where: { agentId }, select: { serverId: true } })).map((s) => s.serverId);
      const same = current.length === servers.length && current.every((s) => servers.includes(s));
      if (!same) {
        await tx.agentServer.deleteMany({ where: { agentId } });
        await tx.agentServer.createMany({ data: servers.map((serverId) => ({ agentId, serverId })) });
        before.servers = current.sort();
        after.servers = [...servers].sort();
      }
    }
    if (!Object.keys(after).length) return;
    // The environment decides which delegation policies apply to a published agent (their
    // `environments` condition): moving one is a reviewer's call, and the policy index follows.
    if ("environment" in after && agent.currentVersionId && !roleHas(actor.role, "reviews.decide")) {
      throw new ApiError("forbidden", "The environment of a published agent decides which delegation policies apply to it: a reviewer (reviews.decide) changes it");
    }
    await tx.agent.update({ where: { id: agentId }, data: { ...data, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: "agent.update", target: agentTarget(agent), before, after });
    if ("environment" in after) {
      await bumpSignal(tx, XAA_SIGNAL);
      environmentMoved = true;
    }
  });
  if (environmentMoved) signalChanged(XAA_SIGNAL);
}

/** Withdraws whatever is in review for an agent that stops (revoked, deleted). */
async function closePending(tx: Tx, agentId: string) {
  const pending = await tx.agentVersion.findMany({ where: { agentId, state: "pending" }, select: { id: true } });
  if (!pending.length) return [];
  const ids = pending.map((p) => p.id);
  await tx.agentVersion.updateMany({ where: { id: { in: ids } }, data: { state: "withdrawn" } });
  await tx.review.updateMany({ where: { subjectType: SUBJECT_TYPE, subjectId: { in: ids }, state: "pending" }, data: { state: "withdrawn", decidedAt: new Date() } });
  return ids;
}

/** Stops serving an agent's document at once, for good (a reviewer's call). */
export async function revokeAgent(actor: Actor, agentId: string, reason?: string) {
  if (!canRevokeAgent(actor)) throw new ApiError("forbidden", "Revoking an agent needs the reviews.decide permission");
  await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId, { allowInactive: true });
    if (agent.status !== "active") throw new ApiError("conflict", `${agent.slug} is already ${agent.status}`, { from: agent.status, to: "revoked" });
    const now = new Date();
    // its token-exchange secret goes with it (lib/xaa/exchange-secret.ts)
    await tx.agent.update({ where: { id: agentId }, data: { status: "revoked", revokedAt: now, revokedById: actor.id, revokeReason: reason || null, exchangeSecretHash: null, exchangeSecretPrefix: null, exchangeSecretIssuedAt: null } });
    const withdrawn = await closePending(tx, agentId);
    await recordAudit(tx, actor, {
      action: "agent.revoke",
      target: agentTarget(agent),
      before: { status: agent.status, currentVersionId: agent.currentVersionId },
      after: { status: "revoked", reason: reason || null, withdrawnVersions: withdrawn },
    });
    await bumpCimd(tx);
  });
  cimdChanged();
}

/** Hides an agent and stops serving it; its slug (and client_id) stay taken for ever. */
export async function deleteAgent(actor: Actor, agentId: string) {
  if (!canRevokeAgent(actor)) throw new ApiError("forbidden", "Deleting an agent needs the reviews.decide permission");
  await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId, { allowInactive: true });
    if (agent.status === "deleted") throw new ApiError("not_found", `Agent ${agentId} not found`);
    await tx.agent.update({ where: { id: agentId }, data: { status: "deleted", deletedAt: new Date(), draftDocument: null } });
    const withdrawn = await closePending(tx, agentId);
    await recordAudit(tx, actor, { action: "agent.delete", target: agentTarget(agent), before: { status: agent.status }, after: { status: "deleted", withdrawnVersions: withdrawn } });
    await bumpCimd(tx);
  });
  cimdChanged();
  return { id: agentId, deleted: true as const };
}

export async function addAgentOwner(actor: Actor, agentId: string, input: { email?: string; userId?: string }) {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const user = input.userId ? await tx.user.findUnique({ where: { id: input.userId } }) : await tx.user.findUnique({ where: { email: (input.email ?? "").toLowerCase() } });
    const field = input.userId ? "userId" : "email";
    // One answer for "no such person", "disabled" and "may not submit agents".
    if (!user || user.disabled || !roleHas(user.role, "agents.submit")) {
      throw new ApiError("validation_failed", `${field}: no active user who may submit agents`, [{ field, message: "no active user who may submit agents" }]);
    }
    if (agent.owners.some((o) => o.userId === user.id)) throw new ApiError("conflict", `${user.name} already owns ${agent.slug}`);
    await tx.agentOwner.create({ data: { agentId, userId: user.id, addedById: actor.id } });
    await recordAudit(tx, actor, { action: "agent.owner.add", target: agentTarget(agent), after: { userId: user.id, name: user.name } });
    return { agentId, userId: user.id, name: user.name };
  });
}

export async function removeAgentOwner(actor: Actor, agentId: string, userId: string) {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    if (!agent.owners.some((o) => o.userId === userId)) throw new ApiError("not_found", `That user does not own ${agent.slug}`);
    if (agent.owners.length === 1) throw new ApiError("conflict", `${agent.slug} must keep at least one owner: add another before removing this one`);
    await tx.agentOwner.delete({ where: { agentId_userId: { agentId, userId } } });
    await recordAudit(tx, actor, { action: "agent.owner.remove", target: agentTarget(agent), before: { userId } });
    return { agentId, userId, removed: true as const };
  });
}
