import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { approvedTarget } from "@/lib/xaa/data";
import { decideWith } from "@/lib/xaa/decide";
import { evaluate, type CandidatePolicy } from "@/lib/xaa/evaluate";
import { loadCandidates, policyIndex } from "@/lib/xaa/index";
import type { SimulateInput } from "@/lib/xaa/schema";

// The console's what-if tools (docs/xaa.md): one decision against the active policies, or with a
// version under review standing in for its policy's active version; and the matrix of one
// server: which agents may act for which groups with which scopes.

async function replacement(versionId: string | undefined): Promise<CandidatePolicy[]> {
  if (!versionId) return [];
  const found = await loadCandidates({ versionIds: [versionId] });
  if (!found.length) throw new ApiError("not_found", `Policy version ${versionId} not found`);
  return found;
}

async function targetOf(server: string | undefined, audience?: string | null, resource?: string | null) {
  if (!server) return { audience: audience || null, resource: resource || null };
  const t = await approvedTarget(db(), server);
  if (!t) throw new ApiError("validation_failed", "Invalid server", [{ field: "server", message: `${server} is not an approved catalog server` }]);
  return { audience: audience || t.server.authIssuer || null, resource: resource || t.resources[0] || null };
}

export async function simulate(input: SimulateInput) {
  const [index, replace, target] = await Promise.all([policyIndex(), replacement(input.versionId), targetOf(input.server, input.audience, input.resource)]);
  if (!target.audience && !target.resource) {
    throw new ApiError("validation_failed", "Invalid server", [{ field: "server", message: "name a server, an audience or a resource" }]);
  }
  return decideWith(
    index,
    {
      clientId: input.client_id,
      subject: { sub: input.subject.sub, email: input.subject.email ?? null, groups: input.subject.groups, acr: input.subject.acr ?? null, authTime: input.subject.auth_time ?? null },
      audience: target.audience,
      resource: target.resource,
      scopes: input.scopes,
      environment: input.environment ?? null,
      now: input.at ? Date.parse(input.at) : Date.now(),
      explainAll: true,
    },
    replace,
  );
}

const withStepUp = (p: CandidatePolicy, mode: "waived" | "withheld"): CandidatePolicy => {
  const up = p.doc.conditions.stepUp;
  // step-up belongs to allow policies (the schema refuses it on a deny)
  if (!up.scopes.length || p.doc.effect === "deny") return p;
  const scopes = mode === "withheld" ? p.doc.scopes.filter((s) => !up.scopes.includes(s)) : p.doc.scopes;
  // A withheld allow policy left with no scopes grants nothing; a deny keeps its meaning.
  if (mode === "withheld" && p.doc.effect === "allow" && scopes.length === 0) return { ...p, suspended: "step-up only" };
  return { ...p, doc: { ...p.doc, scopes, conditions: { ...p.doc.conditions, stepUp: { scopes: [], acr: null, maxAgeSeconds: null } } } };
};

export async function policyMatrix(q: { server: string; versionId?: string; limit: number }) {
  const [index, replace, target] = await Promise.all([policyIndex(), replacement(q.versionId), approvedTarget(db(), q.server)]);
  if (!target) throw new ApiError("not_found", `${q.server} is not an approved catalog server`);
  const ids = new Set(replace.map((p) => p.id));
  const all = new Map<string, CandidatePolicy>();
  for (const list of index.byPair.values()) for (const p of list) if (p.doc.target.server === target.server.name && !ids.has(p.id)) all.set(p.versionId, p);
  for (const p of replace) if (p.doc.target.server === target.server.name) all.set(p.versionId, p);
  const policies = [...all.values()];
  const clientIds = [...new Set(policies.flatMap((p) => p.doc.agents))].sort().slice(0, q.limit);
  const groups = [...new Set(policies.flatMap((p) => p.doc.subjects.include.groups))].sort().slice(0, q.limit);
  const names = new Map((await db().agent.findMany({ where: { clientId: { in: clientIds } }, select: { clientId: true, name: true } })).map((a) => [a.clientId, a.name]));
  const scopes = new Set<string>();
  const cells = [];
  const waived = policies.map((p) => withStepUp(p, "waived"));
  const withheld = policies.map((p) => withStepUp(p, "withheld"));
  const now = Date.now();
  for (const clientId of clientIds) {
    const agent = index.agents.get(clientId);
    // what the decision point refuses before any policy (a registered agent not published, an
    // unregistered client_id under our prefix) has no grant in the matrix either
    const refused = agent ? !agent.published : clientId.startsWith(index.agentPrefix);
    // one agent's row at a time, letting the decision point's requests in between
    await new Promise((r) => setImmediate(r));
    for (const group of groups) {
      if (refused) {
        cells.push({ clientId, group, scopes: [], stepUp: [], policyIds: [] });
        continue;
      }
      const input = { clientId, subject: { sub: "", groups: [group] }, scopes: [], environment: agent?.environment ?? null, now };
      const full = overPairs(waived, input);
      const plain = new Set(overPairs(withheld, input).scopes);
      for (const s of full.scopes) scopes.add(s);
      cells.push({ clientId, group, scopes: full.scopes, stepUp: full.scopes.filter((s) => !plain.has(s)), policyIds: full.policyIds });
    }
  }
  return {
    server: { id: target.server.id, name: target.server.name },
    audience: target.server.authIssuer,
    resource: target.resources[0] ?? null,
    agents: clientIds.map((clientId) => {
      const agent = index.agents.get(clientId);
      return { clientId, name: names.get(clientId) ?? null, refused: agent ? !agent.published : clientId.startsWith(index.agentPrefix) };
    }),
    groups,
    scopes: [...scopes].sort(),
    cells,
  };
}

// A server's policies may name several (audience, resource) pairs: a cell is the union over them.
function overPairs(policies: CandidatePolicy[], input: Omit<Parameters<typeof evaluate>[1], "audience" | "resource">) {
  const pairs = new Map<string, CandidatePolicy[]>();
  for (const p of policies) {
    const key = `${p.doc.target.audience}\n${p.doc.target.resource}`;
    pairs.set(key, [...(pairs.get(key) ?? []), p]);
  }
  const scopes = new Set<string>();
  const policyIds = new Set<string>();
  for (const list of pairs.values()) {
    const d = evaluate(list, { ...input, audience: list[0].doc.target.audience, resource: list[0].doc.target.resource });
    for (const s of d.scopes) scopes.add(s);
    for (const id of d.policyIds) policyIds.add(id);
  }
  return { scopes: [...scopes].sort(), policyIds: [...policyIds] };
}
