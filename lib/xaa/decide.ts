import { evaluate, type CandidatePolicy, type Decision, type DecisionSubject } from "@/lib/xaa/evaluate";
import { candidatesFor, knownTarget, policyIndex, type PolicyIndex } from "@/lib/xaa/index";

// The decision point (docs/xaa.md): the request's candidates from the in-memory index, the
// requesting agent's environment and standing, then the one evaluation function. The decision
// API (lib/public/xaa.ts), token exchange and the console's simulator all come through here.

export interface DecideInput {
  clientId: string;
  subject: DecisionSubject;
  audience?: string | null;
  resource?: string | null;
  scopes: readonly string[];
  /** For external client_ids (a Portcullis agent's own environment wins). */
  environment?: string | null;
  /** Epoch ms (default now; the simulator may ask about another moment). */
  now?: number;
  /** Explain with every policy on the target, not only those naming the agent (the simulator). */
  explainAll?: boolean;
}

export type DecideResult = Decision & { audience: string | null; resource: string | null };

/** Evaluates against a given index, optionally with some policies' versions replaced (simulations). */
export function decideWith(index: PolicyIndex, input: DecideInput, replace?: readonly CandidatePolicy[]): DecideResult {
  let audience = input.audience || null;
  let resource = input.resource || null;
  const agent = index.agents.get(input.clientId);
  const refuse = (reason: string, error: DecideResult["error"] = "access_denied"): DecideResult => ({ audience, resource, decision: "deny", scopes: [], policyIds: [], reasons: [reason], ttl: 0, error, stepUp: null, explanation: [] });
  // A registered agent must be published and active, whatever its client_id looks like (an agent
  // keeps the client_id of the base URL it was created under); an unregistered client_id under
  // our prefix is nobody's.
  if (agent && !agent.published) return refuse("The agent is not approved: it has no published version, or it was revoked");
  if (!agent && input.clientId.startsWith(index.agentPrefix)) return refuse("No agent with this client_id is registered here");
  let candidates = candidatesFor(index, audience, resource, input.explainAll ? undefined : input.clientId);
  if (replace?.length) {
    const ids = new Set(replace.map((p) => p.id));
    const fits = (p: CandidatePolicy) => (!audience || p.doc.target.audience === audience) && (!resource || p.doc.target.resource === resource);
    candidates = [...candidates.filter((p) => !ids.has(p.id)), ...replace.filter(fits)];
  }
  // Naming only one half of the pair must not pool the scopes of several MCP endpoints behind one
  // authorization server (or of several authorization servers in front of one endpoint): the
  // request is answered for the one pair its candidates share, which the answer then names.
  if (!audience || !resource) {
    const pairs = new Set(candidates.map((p) => `${p.doc.target.audience}\n${p.doc.target.resource}`));
    if (pairs.size > 1) {
      return refuse(audience ? "This audience fronts several MCP endpoints: name the resource too" : "Several authorization servers front this resource: name the audience too", "invalid_target");
    }
    if (pairs.size === 1) {
      audience ??= candidates[0].doc.target.audience;
      resource ??= candidates[0].doc.target.resource;
    }
  }
  const environment = agent ? agent.environment : (input.environment ?? null);
  return { audience, resource, ...evaluate(candidates, { clientId: input.clientId, subject: input.subject, audience, resource, scopes: input.scopes, environment, now: input.now ?? Date.now() }) };
}

export async function decide(input: DecideInput): Promise<DecideResult> {
  return decideWith(await policyIndex(), input);
}

/** An (audience, resource) pair of an active policy; resource null: any pair with this audience. */
export async function isKnownTarget(audience: string, resource: string | null): Promise<boolean> {
  return knownTarget(await policyIndex(), audience, resource);
}
