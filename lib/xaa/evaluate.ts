import { EVERYONE, type PolicyDocument } from "@/lib/xaa/schema";

// The delegation decision (docs/xaa.md), one pure function of the candidate policies and the
// request. The laws (evaluate.test.ts states them as properties):
// - default deny: no matching allow policy, no scopes;
// - deny overrides allow: a matching deny policy removes its scopes (all of its target's scopes
//   when it lists none) whatever any allow policy says;
// - granted = requested ∩ (∪ scopes of matching allow policies) − denied; requesting no scopes
//   asks for everything the matching allow policies grant;
// - an empty grant is a deny;
// - a scope that a matching policy marks step-up counts only when the subject's `acr` equals the
//   policy's and its authentication is no older than `maxAgeSeconds`; a requested scope that
//   only step-up-failing grants would give refuses the request with
//   `insufficient_user_authentication` (naming every such policy; the requirement reported is
//   the one of the lowest policy id); requesting no scopes asks only for what needs no step-up;
// - the lifetime is the shortest `maxTokenLifetimeSeconds` among the allow policies that granted;
// - a suspended policy (its server drifted, or is no longer approved) grants nothing;
// - missing information never widens a grant: an exclusion by e-mail applies to a subject without
//   one, and a deny policy's environments condition is met when the environment is unknown;
// - every candidate policy appears in the explanation with whether it matched and why.

export interface CandidatePolicy {
  /** The policy's id (what decisions report). */
  id: string;
  versionId: string;
  version: number;
  doc: PolicyDocument;
  /** Why this policy grants nothing right now (server drifted, server not approved), or null. */
  suspended: string | null;
}

export interface DecisionSubject {
  sub: string;
  email?: string | null;
  groups: readonly string[];
  acr?: string | null;
  /** Epoch seconds. */
  authTime?: number | null;
}

export interface DecisionInput {
  clientId: string;
  subject: DecisionSubject;
  audience?: string | null;
  resource?: string | null;
  scopes: readonly string[];
  /** The requesting agent's environment (a Portcullis agent's), or null when unknown. */
  environment?: string | null;
  /** Epoch milliseconds. */
  now: number;
}

/** `invalid_target`: the request named half a target that several policy targets share (lib/xaa/decide.ts). */
export type DecisionError = "access_denied" | "insufficient_user_authentication" | "invalid_target";

export interface PolicyExplanation {
  policyId: string;
  version: number;
  name: string;
  effect: "allow" | "deny";
  matched: boolean;
  /** The first reason it did not match, or what it contributed. */
  why: string;
  /** Scopes it granted (allow) or removed (deny) for this request. */
  scopes: string[];
}

export interface Decision {
  decision: "allow" | "deny";
  scopes: string[];
  /** The policies that decided: the allow policies that granted and every matching deny. */
  policyIds: string[];
  reasons: string[];
  /** Seconds an ID-JAG issued for this decision may live (0 when denied). */
  ttl: number;
  error: DecisionError | null;
  /** What a step-up must reach, when that is why the request was refused. */
  stepUp: { acr: string | null; maxAgeSeconds: number | null } | null;
  explanation: PolicyExplanation[];
}

const lower = (s: string) => s.toLowerCase();

interface Prepared {
  email: string | null;
  groups: ReadonlySet<string>;
}

const prepare = (input: DecisionInput): Prepared => ({ email: input.subject.email ? lower(input.subject.email) : null, groups: new Set(input.subject.groups) });

/** Why `p` does not apply to this request, or null when it does (ignoring scopes). */
export function mismatch(p: CandidatePolicy, input: DecisionInput, prepared: Prepared = prepare(input)): string | null {
  const d = p.doc;
  if (input.audience && d.target.audience !== input.audience) return `targets audience ${d.target.audience}`;
  if (input.resource && d.target.resource !== input.resource) return `targets resource ${d.target.resource}`;
  if (!input.audience && !input.resource) return "the request names no audience or resource";
  if (!d.agents.includes(input.clientId)) return "does not name this agent";
  const { include, exclude } = d.subjects;
  const { email, groups } = prepared;
  const isUser = (users: readonly string[]) => users.some((u) => u === input.subject.sub || (email !== null && lower(u) === email));
  if (isUser(exclude.users)) return "excludes this user";
  // An exclusion by e-mail cannot be ruled out for a subject whose e-mail is unknown: it applies.
  if (email === null && exclude.users.some((u) => u.includes("@") && u !== input.subject.sub)) return "excludes users by e-mail and the request carries no e-mail";
  const excludedGroup = exclude.groups.find((g) => groups.has(g) || g === EVERYONE);
  if (excludedGroup) return `excludes the group ${excludedGroup}`;
  if (!isUser(include.users) && !include.groups.some((g) => g === EVERYONE || groups.has(g))) return "does not include this user or any of their groups";
  const { validFrom, validUntil, environments } = d.conditions;
  if (validFrom && input.now < Date.parse(validFrom)) return `is not valid before ${validFrom}`;
  if (validUntil && input.now >= Date.parse(validUntil)) return `expired at ${validUntil}`;
  // An unknown environment fails an allow policy's condition and meets a deny policy's: missing
  // information never widens a grant.
  if (environments.length > 0 && input.environment && !environments.includes(input.environment)) return `does not apply to the ${input.environment} environment`;
  if (environments.length > 0 && !input.environment && d.effect === "allow") return `applies only to ${environments.join(", ")} and the agent's environment is unknown`;
  if (d.effect === "allow" && p.suspended) return `is suspended: ${p.suspended}`;
  return null;
}

function stepUpSatisfied(p: CandidatePolicy, subject: DecisionSubject, now: number): boolean {
  const { acr, maxAgeSeconds } = p.doc.conditions.stepUp;
  if (acr !== null && subject.acr !== acr) return false;
  if (maxAgeSeconds !== null && (typeof subject.authTime !== "number" || now / 1000 - subject.authTime > maxAgeSeconds)) return false;
  return true;
}

export function evaluate(candidates: readonly CandidatePolicy[], input: DecisionInput): Decision {
  const explanation: PolicyExplanation[] = [];
  const allows: CandidatePolicy[] = [];
  const denies: CandidatePolicy[] = [];
  const prepared = prepare(input);
  for (const p of candidates) {
    const why = mismatch(p, input, prepared);
    const entry: PolicyExplanation = { policyId: p.id, version: p.version, name: p.doc.name, effect: p.doc.effect, matched: why === null, why: why ?? "", scopes: [] };
    explanation.push(entry);
    if (why === null) (p.doc.effect === "allow" ? allows : denies).push(p);
  }
  const requested = [...new Set(input.scopes)];
  const denyAll = denies.some((p) => p.doc.scopes.length === 0);
  const denied = new Set(denies.flatMap((p) => p.doc.scopes));
  // What each matching allow policy grants (step-up scopes only when satisfied).
  const grants = new Map<string, CandidatePolicy[]>();
  const stepUpBlocked = new Map<string, CandidatePolicy[]>();
  for (const p of allows) {
    const up = new Set(p.doc.conditions.stepUp.scopes);
    const satisfied = up.size === 0 || stepUpSatisfied(p, input.subject, input.now);
    for (const s of p.doc.scopes) {
      const into = up.has(s) && !satisfied ? stepUpBlocked : grants;
      const list = into.get(s);
      if (list) list.push(p);
      else into.set(s, [p]);
    }
  }
  // Asking for nothing asks for what the subject may have now; step-up scopes must be asked for.
  const asked = requested.length > 0 ? requested : [...grants.keys()];
  const granted: string[] = [];
  const reasons: string[] = [];
  const blockers = new Map<string, CandidatePolicy>();
  for (const s of asked) {
    if (denyAll || denied.has(s)) continue;
    if (grants.has(s)) granted.push(s);
    else for (const p of stepUpBlocked.get(s) ?? []) blockers.set(p.id, p);
  }
  // In policy-id order, so the answer does not depend on the order of the candidates.
  const blocked = [...blockers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version))[0] ?? null;
  const byId = new Map(explanation.map((e) => [`${e.policyId}:${e.version}`, e]));
  for (const p of denies) {
    const e = byId.get(`${p.id}:${p.version}`)!;
    e.scopes = p.doc.scopes.length === 0 ? asked.slice() : asked.filter((s) => denied.has(s) && p.doc.scopes.includes(s));
    e.why = p.doc.scopes.length === 0 ? "denies every scope of its target" : `denies ${p.doc.scopes.join(" ")}`;
    reasons.push(`Denied by "${p.doc.name}" (${e.why})`);
  }
  const grantedSet = new Set(granted);
  const contributors = allows.filter((p) => p.doc.scopes.some((s) => grantedSet.has(s) && grants.get(s)!.includes(p)));
  for (const p of allows) {
    const e = byId.get(`${p.id}:${p.version}`)!;
    e.scopes = p.doc.scopes.filter((s) => grantedSet.has(s) && grants.get(s)!.includes(p));
    e.why = e.scopes.length ? `grants ${e.scopes.join(" ")}` : "matched, but grants none of the requested scopes";
  }
  const decidedBy = [...new Set([...contributors.map((p) => p.id), ...denies.map((p) => p.id)])];
  if (blocked) {
    const { acr, maxAgeSeconds } = blocked.doc.conditions.stepUp;
    reasons.push(`"${blocked.doc.name}" needs a step-up authentication${acr ? ` (acr ${acr})` : ""}${maxAgeSeconds !== null ? ` within ${maxAgeSeconds} s` : ""} for some requested scopes`);
    const ids = [...new Set([...[...blockers.keys()].sort(), ...decidedBy])];
    return { decision: "deny", scopes: [], policyIds: ids, reasons, ttl: 0, error: "insufficient_user_authentication", stepUp: { acr, maxAgeSeconds }, explanation };
  }
  if (granted.length === 0) {
    if (allows.length === 0 && denies.length === 0) reasons.push(candidates.length ? "No policy matched this agent, subject and target" : "No active policy targets this audience and resource");
    else if (denies.length === 0) reasons.push("The matching policies grant none of the requested scopes");
    return { decision: "deny", scopes: [], policyIds: decidedBy, reasons, ttl: 0, error: "access_denied", stepUp: null, explanation };
  }
  const removed = asked.filter((s) => !grantedSet.has(s));
  if (removed.length && requested.length) reasons.push(`Not granted: ${removed.join(" ")}`);
  for (const p of contributors) reasons.push(`Allowed by "${p.doc.name}"`);
  const ttl = Math.min(...contributors.map((p) => p.doc.conditions.maxTokenLifetimeSeconds));
  return { decision: "allow", scopes: granted, policyIds: decidedBy, reasons, ttl, error: null, stepUp: null, explanation };
}
