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
}

export type DecideResult = Decision & { audience: string | null; resource: string | null };

/** Evaluates against a given index, optionally with some policies' versions replaced (simulations). */
export function decideWith(index: PolicyIndex, input: DecideInput, replace?: readonly CandidatePolicy[]): DecideResult {
  const audience = input.audience || null;
  const resource = input.resource || null;
  let candidates = candidatesFor(index, audience, resource);
  if (replace?.length) {
    const ids = new Set(replace.map((p) => p.id));
    const fits = (p: CandidatePolicy) => (!audience || p.doc.target.audience === audience) && (!resource || p.doc.target.resource === resource);
    candidates = [...candidates.filter((p) => !ids.has(p.id)), ...replace.filter(fits)];
  }
  const agent = index.agents.get(input.clientId);
  const base = { audience, resource };
  if (input.clientId.startsWith(index.agentPrefix) && !agent?.published) {
    const reason = agent ? "The agent is not approved: it has no published version, or it was revoked" : "No agent with this client_id is registered here";
    return { ...base, decision: "deny", scopes: [], policyIds: [], reasons: [reason], ttl: 0, error: "access_denied", stepUp: null, explanation: [] };
  }
  const environment = agent ? agent.environment : (input.environment ?? null);
  return { ...base, ...evaluate(candidates, { clientId: input.clientId, subject: input.subject, audience, resource, scopes: input.scopes, environment, now: input.now ?? Date.now() }) };
}

export async function decide(input: DecideInput): Promise<DecideResult> {
  return decideWith(await policyIndex(), input);
}

/** An (audience, resource) pair of an active policy; resource null: any pair with this audience. */
export async function isKnownTarget(audience: string, resource: string | null): Promise<boolean> {
  return knownTarget(await policyIndex(), audience, resource);
}
