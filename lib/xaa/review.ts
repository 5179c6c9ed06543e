import { db, lockKey } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { jsonDiff } from "@/lib/registry/json-diff";
import { approvedTarget, bumpXaa, POLICY_SUBJECT, serverStandings, suspensionOf, versionJson, xaaChanged } from "@/lib/xaa/data";
import type { PolicyDocument } from "@/lib/xaa/schema";

// The review subject "policy-version": approving makes the version its policy's active one (the
// one the decision point evaluates); the reviewer sees the proposal, a diff against the active
// version, and can simulate it before deciding.

registerReviewSubject(POLICY_SUBJECT, {
  async onDecision(tx, review, decision, actor) {
    const found = await tx.policyVersion.findUnique({ where: { id: review.subjectId }, select: { policyId: true } });
    if (!found) throw new ApiError("not_found", "The policy version under review no longer exists");
    await lockKey(tx, `policy:${found.policyId}`);
    const version = await tx.policyVersion.findUniqueOrThrow({ where: { id: review.subjectId }, include: { policy: true } });
    const label = `${version.name} version ${version.number}`;
    if (version.state !== "pending") throw new TransitionRefused(version.state === "approved" ? "approved" : "rejected", decision, label);
    const doc = version.document as unknown as PolicyDocument;
    if (decision === "approved") {
      // The catalog may have moved since submission: the target must still be approved.
      const target = await approvedTarget(tx, doc.target.server);
      if (!target) throw new ApiError("conflict", `${doc.target.server} is no longer an approved catalog server: reject this version or approve the server first`);
      if (target.server.authIssuer && target.server.authIssuer !== doc.target.audience) {
        throw new ApiError("conflict", `${doc.target.server}'s authorization server is now ${target.server.authIssuer}, not ${doc.target.audience}: submit a corrected version`);
      }
      await tx.policyVersion.update({ where: { id: version.id }, data: { state: "approved", approvedAt: new Date() } });
      await tx.policy.update({ where: { id: version.policyId }, data: { activeVersionId: version.id, name: version.name } });
      await bumpXaa(tx);
    } else {
      await tx.policyVersion.update({ where: { id: version.id }, data: { state: "rejected" } });
    }
    await recordAudit(tx, actor, {
      action: decision === "approved" ? "policy.version.approve" : "policy.version.reject",
      target: { type: "policy", id: version.policyId, label: version.name },
      before: { activeVersionId: version.policy.activeVersionId },
      after: { state: decision, reviewId: review.id, versionId: version.id, number: version.number },
    });
  },
  afterCommit(decision) {
    if (decision === "approved") xaaChanged();
  },
  async onWithdraw(tx, review, actor) {
    const version = await tx.policyVersion.findUnique({ where: { id: review.subjectId } });
    if (!version) throw new ApiError("not_found", "The policy version under review no longer exists");
    if (version.state !== "pending") throw new TransitionRefused(version.state === "approved" ? "approved" : "rejected", "revoked", `${version.name} version ${version.number}`);
    await tx.policyVersion.update({ where: { id: version.id }, data: { state: "withdrawn" } });
    await recordAudit(tx, actor, {
      action: "policy.version.withdraw",
      target: { type: "policy", id: version.policyId, label: version.name },
      before: { state: "pending" },
      after: { state: "withdrawn", reviewId: review.id, versionId: version.id, number: version.number },
    });
  },
  detail: (subjectId) => policyVersionReviewDetail(subjectId),
});

/** What the review page shows: the proposal, the active version it would replace, the diff. */
export async function policyVersionReviewDetail(versionId: string) {
  const v = await db().policyVersion.findUnique({ where: { id: versionId }, include: { policy: true } });
  if (!v) return null;
  const base = v.policy.activeVersionId && v.policy.activeVersionId !== v.id ? await db().policyVersion.findUnique({ where: { id: v.policy.activeVersionId } }) : null;
  const users = await db().user.findMany({ where: { id: { in: [v.submittedById, ...(base ? [base.submittedById] : [])] } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const suspended = v.effect === "allow" ? suspensionOf((await serverStandings([v.serverId])).get(v.serverId), v.document as unknown as PolicyDocument) : null;
  return {
    policy: { id: v.policy.id, name: v.policy.name, enabled: v.policy.enabled },
    version: versionJson(v, names, null),
    previous: base ? versionJson(base, names, null) : null,
    diff: jsonDiff(base?.document ?? null, v.document),
    suspended,
  };
}
