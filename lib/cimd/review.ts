import { db, lockKey } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { bumpCimd, cimdChanged, json, SUBJECT_TYPE } from "@/lib/cimd/data";
import { documentChanges, keysOf, type JsonObject } from "@/lib/cimd/documents";
import { jwkThumbprint } from "@/lib/cimd/keys";

// The review subject "agent-version": approving publishes the version (the agent's current
// version moves to it, the earlier one stays in history, unserved) and records the SHA-256 of
// the bytes now served; the reviewer sees a diff against the published version with key and
// redirect changes called out.

registerReviewSubject(SUBJECT_TYPE, {
  async onDecision(tx, review, decision, actor) {
    const found = await tx.agentVersion.findUnique({ where: { id: review.subjectId }, select: { agentId: true } });
    if (!found) throw new ApiError("not_found", "The agent version under review no longer exists");
    // Under the agent's lock, as every other change of it: a key change built on the version this
    // approval replaces, or a revocation, cannot interleave.
    await lockKey(tx, `agent:${found.agentId}`);
    const version = await tx.agentVersion.findUniqueOrThrow({ where: { id: review.subjectId }, include: { agent: true } });
    const { agent } = version;
    const label = `${agent.slug} version ${version.number}`;
    if (version.state !== "pending") throw new TransitionRefused(version.state === "approved" ? "approved" : "revoked", decision, label);
    if (agent.status !== "active") throw new TransitionRefused("revoked", decision, label);
    if (decision === "approved") {
      const previous = agent.currentVersionId ? await tx.agentVersion.findUnique({ where: { id: agent.currentVersionId } }) : null;
      await tx.agentVersion.update({ where: { id: version.id }, data: { state: "approved", publishedAt: new Date() } });
      await tx.agent.update({ where: { id: agent.id }, data: { currentVersionId: version.id } });
      // Keys the new version no longer lists stop being served now; keys it lists again are live;
      // keys written into the document by hand get their record now, so their history is kept.
      const served = keysOf(version.document as JsonObject, version.hostedJwks, agent.clientId);
      const now = served.map(jwkThumbprint);
      const recorded = new Set((await tx.agentKey.findMany({ where: { agentId: agent.id }, select: { kid: true } })).map((k) => k.kid));
      for (const k of served) {
        const kid = typeof k.kid === "string" ? k.kid : jwkThumbprint(k);
        if (recorded.has(kid)) continue;
        recorded.add(kid);
        await tx.agentKey.create({ data: { agentId: agent.id, kid, kty: k.kty, alg: typeof k.alg === "string" ? k.alg : null, thumbprint: jwkThumbprint(k), publicJwk: json(k), source: "document", createdById: version.submittedById } });
      }
      const before = previous ? keysOf(previous.document as JsonObject, previous.hostedJwks, agent.clientId).map(jwkThumbprint) : [];
      const dropped = before.filter((t) => !now.includes(t));
      if (dropped.length) await tx.agentKey.updateMany({ where: { agentId: agent.id, thumbprint: { in: dropped }, retiredAt: null }, data: { retiredAt: new Date() } });
      if (now.length) await tx.agentKey.updateMany({ where: { agentId: agent.id, thumbprint: { in: now }, retiredAt: { not: null } }, data: { retiredAt: null } });
      await bumpCimd(tx);
    } else {
      await tx.agentVersion.update({ where: { id: version.id }, data: { state: "rejected" } });
    }
    await recordAudit(tx, actor, {
      action: decision === "approved" ? "agent.version.approve" : "agent.version.reject",
      target: { type: "agent", id: agent.id, label: agent.slug },
      before: { state: "pending", currentVersionId: agent.currentVersionId },
      after: { state: decision, reviewId: review.id, versionId: version.id, number: version.number, sha256: version.sha256, size: version.size },
    });
  },
  afterCommit(decision) {
    if (decision === "approved") cimdChanged();
  },
  async onWithdraw(tx, review, actor) {
    const version = await tx.agentVersion.findUnique({ where: { id: review.subjectId }, include: { agent: { select: { id: true, slug: true } } } });
    if (!version) throw new ApiError("not_found", "The agent version under review no longer exists");
    if (version.state !== "pending") throw new TransitionRefused(version.state === "approved" ? "approved" : "rejected", "revoked", `${version.agent.slug} version ${version.number}`);
    await tx.agentVersion.update({ where: { id: version.id }, data: { state: "withdrawn" } });
    await recordAudit(tx, actor, {
      action: "agent.version.withdraw",
      target: { type: "agent", id: version.agent.id, label: version.agent.slug },
      before: { state: "pending" },
      after: { state: "withdrawn", reviewId: review.id, versionId: version.id, number: version.number },
    });
  },
  detail: (subjectId) => agentVersionReviewDetail(subjectId),
});

/** What the review page shows for an agent version: the document, its bytes' digest, warnings,
 * and what changed against the published version. */
export async function agentVersionReviewDetail(versionId: string) {
  const v = await db().agentVersion.findUnique({ where: { id: versionId }, include: { agent: true } });
  if (!v) return null;
  const { agent } = v;
  const base = agent.currentVersionId && agent.currentVersionId !== v.id ? await db().agentVersion.findUnique({ where: { id: agent.currentVersionId } }) : null;
  const doc = v.document as JsonObject;
  const changes = documentChanges(
    base ? { document: base.document as JsonObject, keys: keysOf(base.document as JsonObject, base.hostedJwks, agent.clientId) } : null,
    { document: doc, keys: keysOf(doc, v.hostedJwks, agent.clientId) },
    jwkThumbprint,
  );
  return {
    agent: { id: agent.id, slug: agent.slug, name: agent.name, kind: agent.kind, clientId: agent.clientId, environment: agent.environment, status: agent.status },
    version: { id: v.id, number: v.number, state: v.state, sha256: v.sha256, size: v.size, createdAt: v.createdAt.toISOString() },
    document: doc,
    canonical: v.canonical,
    hostedJwks: v.hostedJwks ?? null,
    warnings: v.warnings,
    previous: base ? { id: base.id, number: base.number, document: base.document, sha256: base.sha256, publishedAt: base.publishedAt?.toISOString() ?? null } : null,
    changes,
  };
}
