import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { follower } from "@/lib/public/follower";
import { XAA_SIGNAL } from "@/lib/public/signal";
import type { CandidatePolicy } from "@/lib/xaa/evaluate";
import { serverStandings, suspensionOf } from "@/lib/xaa/data";
import type { PolicyDocument } from "@/lib/xaa/schema";

// The in-memory index of active delegation policies the decision point and token exchange read
// (docs/xaa.md): enabled policies' approved versions, grouped by their (audience, resource) pair,
// by audience and by resource, with each allow policy's suspension (its server drifted or is no
// longer approved, or the server's recorded issuer no longer matches the audience), and the
// Portcullis agents' environments and whether they are published. A follower of the XAA signal
// (policy approvals, enable/disable; registry and agent changes bump it too), so every process
// rebuilds within a second of a change, and at once in the process that made it.

export interface AgentInfo {
  agentId: string;
  environment: string;
  /** Active with an approved, published version. */
  published: boolean;
}

export interface PolicyIndex {
  byPair: Map<string, CandidatePolicy[]>;
  byAudience: Map<string, CandidatePolicy[]>;
  byResource: Map<string, CandidatePolicy[]>;
  /** The same, per client_id a policy names (what the decision point reads: a policy that does
   * not name the agent never applies). Keys: `${pair|audience|resource}\n${clientId}`. */
  byAgent: Map<string, CandidatePolicy[]>;
  agents: Map<string, AgentInfo>;
  /** The client_id prefix of Portcullis agents: such a client_id must be a published agent. */
  agentPrefix: string;
  size: number;
}

export const pairKey = (audience: string, resource: string) => `${audience}\n${resource}`;

function push<K>(map: Map<K, CandidatePolicy[]>, key: K, p: CandidatePolicy) {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

/** The index over given policies (pure: the benchmark builds one in process). */
export function indexPolicies(policies: readonly CandidatePolicy[], agents: Map<string, AgentInfo> = new Map(), agentPrefix = "\u0000"): PolicyIndex {
  const index: PolicyIndex = { byPair: new Map(), byAudience: new Map(), byResource: new Map(), byAgent: new Map(), agents, agentPrefix, size: policies.length };
  for (const p of policies) {
    const { audience, resource } = p.doc.target;
    push(index.byPair, pairKey(audience, resource), p);
    push(index.byAudience, audience, p);
    push(index.byResource, resource, p);
    for (const agent of new Set(p.doc.agents)) {
      push(index.byAgent, `p\n${pairKey(audience, resource)}\n${agent}`, p);
      push(index.byAgent, `a\n${audience}\n${agent}`, p);
      push(index.byAgent, `r\n${resource}\n${agent}`, p);
    }
  }
  return index;
}

/** The policies that could apply to a request naming this audience and/or resource; with
 * `clientId`, only those that name that agent (the rest never apply, but explain a simulation). */
export function candidatesFor(index: PolicyIndex, audience?: string | null, resource?: string | null, clientId?: string): CandidatePolicy[] {
  const key = audience && resource ? `p\n${pairKey(audience, resource)}` : audience ? `a\n${audience}` : resource ? `r\n${resource}` : null;
  if (!key) return [];
  if (clientId !== undefined) return index.byAgent.get(`${key}\n${clientId}`) ?? [];
  if (audience && resource) return index.byPair.get(pairKey(audience, resource)) ?? [];
  if (audience) return index.byAudience.get(audience) ?? [];
  return index.byResource.get(resource!) ?? [];
}

/** Whether an active policy targets this pair (resource null: any pair with this audience). */
export function knownTarget(index: PolicyIndex, audience: string, resource: string | null): boolean {
  return resource === null ? index.byAudience.has(audience) : index.byPair.has(pairKey(audience, resource));
}

/** A stored document has the shape evaluation reads (a row written by an older or broken
 * version is left out of the index, with a log line, rather than failing every decision). */
export function isPolicyDocument(d: unknown): d is PolicyDocument {
  const p = d as PolicyDocument;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  return (
    !!p &&
    (p.effect === "allow" || p.effect === "deny") &&
    typeof p.name === "string" &&
    strings(p.agents) &&
    strings(p.scopes) &&
    strings(p.subjects?.include?.groups) &&
    strings(p.subjects?.include?.users) &&
    strings(p.subjects?.exclude?.groups) &&
    strings(p.subjects?.exclude?.users) &&
    typeof p.target?.audience === "string" &&
    typeof p.target?.resource === "string" &&
    strings(p.conditions?.environments) &&
    typeof p.conditions?.maxTokenLifetimeSeconds === "number" &&
    strings(p.conditions?.stepUp?.scopes)
  );
}

const CHUNK = 500;

/** Candidates for the active version of every enabled policy, or for the given versions (simulations). */
export async function loadCandidates(where: { versionIds?: string[] } = {}): Promise<CandidatePolicy[]> {
  const ids = where.versionIds ?? (await db().policy.findMany({ where: { enabled: true, activeVersionId: { not: null } }, select: { activeVersionId: true } })).map((p) => p.activeVersionId!);
  const rows = [];
  // in chunks: SQLite binds a limited number of parameters per statement
  for (let i = 0; i < ids.length; i += CHUNK) rows.push(...(await db().policyVersion.findMany({ where: { id: { in: ids.slice(i, i + CHUNK) } } })));
  const standings = await serverStandings(rows.map((r) => r.serverId));
  const out: CandidatePolicy[] = [];
  for (const r of rows) {
    if (!isPolicyDocument(r.document)) {
      logger().error({ policyId: r.policyId, versionId: r.id }, "policy version left out of the decision index: its stored document is malformed");
      continue;
    }
    out.push({ id: r.policyId, versionId: r.id, version: r.number, doc: r.document, suspended: suspensionOf(standings.get(r.serverId), r.document) });
  }
  return out;
}

export async function buildPolicyIndex(): Promise<PolicyIndex> {
  const [policies, agents] = await Promise.all([
    loadCandidates(),
    db().agent.findMany({ where: { status: { not: "deleted" } }, select: { id: true, clientId: true, environment: true, status: true, currentVersionId: true } }),
  ]);
  const byClient = new Map<string, AgentInfo>(agents.map((a) => [a.clientId, { agentId: a.id, environment: a.environment, published: a.status === "active" && !!a.currentVersionId }]));
  return indexPolicies(policies, byClient, `${env().PUBLIC_BASE_URL}/oauth/clients/`);
}

const index = follower<PolicyIndex>(XAA_SIGNAL, buildPolicyIndex);

/** The index to answer from: the current one, or the one being built when a change is in flight
 * (so a change made in this process is read back at once); the last one built when that rebuild
 * fails (the database briefly unreachable: a second-old index beats refusing every caller). */
export async function policyIndex(): Promise<PolicyIndex> {
  try {
    return await index.get();
  } catch (err) {
    const last = index.last();
    if (last) return last;
    throw err;
  }
}
export const rebuildPolicyIndex = (): Promise<PolicyIndex> => index.rebuild();
export const resetPolicyIndex = (): void => index.reset();
export const startPolicyIndexFollower = (pollMs = 500): (() => void) => index.start(pollMs);
