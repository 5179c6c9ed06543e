import { db } from "@/lib/db";
import { decideReview } from "@/lib/reviews/data";
import { createPolicy } from "@/lib/xaa/data";
import { rebuildPolicyIndex } from "@/lib/xaa/index";
import { policyInputSchema, type PolicyInput } from "@/lib/xaa/schema";
import "@/lib/reviews/handlers";
import { actorOf, uid, type Principal, type TestContext } from "./context";
import { serverWithVersion } from "./snapshots";

// Delegation policies for tests: an approved target server, a policy document, and a policy
// created through the domain function and (optionally) approved by someone else.

export const AUDIENCE = "https://auth.example.com";

/** An approved catalog server with a streamable-http remote (its RFC 9728 resource). */
export async function approvedTarget(owner: Principal, opts: { url?: string; authIssuer?: string } = {}) {
  const url = opts.url ?? `https://mcp${uid()}.example.com/mcp`;
  const made = await serverWithVersion(owner, url, "approved");
  if (opts.authIssuer) await db().server.update({ where: { id: made.server.id }, data: { authIssuer: opts.authIssuer } });
  return { ...made, name: made.server.name, resource: url };
}

export function policyDoc(server: string, overrides: Partial<Omit<PolicyInput, "target">> & { target?: Partial<PolicyInput["target"]> } = {}): Record<string, unknown> {
  const { target, ...rest } = overrides;
  return {
    name: `Policy ${uid()}`,
    effect: "allow",
    agents: ["https://claude.example.com/client"],
    subjects: { include: { groups: ["engineering"], users: [] } },
    target: { server, audience: AUDIENCE, ...target },
    scopes: ["jira:read"],
    ...rest,
  };
}

/** Creates a policy as `submitter`; approved by another person unless `approve` is false. */
export async function makePolicy(ctx: TestContext, doc: Record<string, unknown>, opts: { approve?: boolean; submitter?: Principal } = {}) {
  const submitter = opts.submitter ?? ctx.users.publisher;
  const made = await createPolicy(actorOf(submitter), policyInputSchema.parse(doc));
  if (opts.approve !== false) {
    const approver = submitter.id === ctx.users.approver.id ? ctx.users.admin : ctx.users.approver;
    await decideReview(actorOf(approver), made.review.id, { decision: "approve" });
    await rebuildPolicyIndex();
  }
  return made;
}
