import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluate, type CandidatePolicy, type Decision, type DecisionInput, type DecisionSubject } from "@/lib/xaa/evaluate";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, EVERYONE, type PolicyDocument } from "@/lib/xaa/schema";

// The laws at the top of evaluate.ts, as fast-check properties over generated policy sets and
// requests, and a few readable examples. The vocabularies (agents, groups, users, scopes, targets)
// are small so that policies match requests often. Deterministic: XAA_SEED and XAA_RUNS reproduce
// a run (a failure prints the seed and the shrunk counterexample).

const SEED = Number(process.env.XAA_SEED ?? 20261204);
const RUNS = Number(process.env.XAA_RUNS ?? 300);
const OPTS = { seed: SEED, numRuns: RUNS };

// ---------------------------------------------------------------------------------------------
// Vocabulary

const NOW = Date.parse("2026-12-04T12:00:00.000Z");
const NOW_S = NOW / 1000;
const DAY = 86_400_000;

const AGENTS = ["https://agents.example/claude", "https://agents.example/copilot", "ext-client-7"];
const GROUPS = ["engineering", "sales", "contractors"];
const SCOPES = ["read", "write", "admin", "delete"];
const ENVIRONMENTS = ["production", "staging", "development"];
const ACRS = ["mfa", "phr"];
const TARGETS = [
  { server: "jira", audience: "https://auth.atlassian.example", resource: "https://mcp.atlassian.example/mcp" },
  { server: "confluence", audience: "https://auth.atlassian.example", resource: "https://mcp.atlassian.example/wiki" },
  { server: "github", audience: "https://github.example", resource: "https://mcp.github.example/mcp" },
];
const PEOPLE = [
  { sub: "u-alice", email: "alice@corp.example" },
  { sub: "u-bob", email: "bob@corp.example" },
  { sub: "u-carol", email: "carol@corp.example" },
];
/** How policies name users: by `sub` (exact) or by e-mail (any case). */
const USER_REFS = ["u-alice", "ALICE@corp.example", "bob@Corp.Example", "u-carol", "carol@corp.example", "u-nobody"];
/** Never used by a generated request. */
const OTHER_AGENT = "https://agents.example/someone-else";
const OTHER_TARGET = { server: "elsewhere", audience: "https://elsewhere.example", resource: "https://elsewhere.example/mcp" };

// ---------------------------------------------------------------------------------------------
// Building policies

interface Spec {
  name?: string;
  effect?: "allow" | "deny";
  agents?: string[];
  include?: { groups?: string[]; users?: string[] };
  exclude?: { groups?: string[]; users?: string[] };
  target?: { server: string; audience: string; resource: string };
  scopes?: string[];
  validFrom?: string | null;
  validUntil?: string | null;
  environments?: string[];
  ttl?: number;
  stepUp?: { scopes?: string[]; acr?: string | null; maxAgeSeconds?: number | null };
  suspended?: string | null;
  version?: number;
}

function policy(id: string, s: Spec = {}): CandidatePolicy {
  const doc: PolicyDocument = {
    name: s.name ?? `policy ${id}`,
    effect: s.effect ?? "allow",
    agents: s.agents ?? [AGENTS[0]],
    subjects: {
      include: { groups: s.include?.groups ?? [], users: s.include?.users ?? [] },
      exclude: { groups: s.exclude?.groups ?? [], users: s.exclude?.users ?? [] },
    },
    target: s.target ?? TARGETS[0],
    scopes: s.scopes ?? ["read"],
    conditions: {
      validFrom: s.validFrom ?? null,
      validUntil: s.validUntil ?? null,
      environments: s.environments ?? [],
      maxTokenLifetimeSeconds: s.ttl ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
      stepUp: { scopes: s.stepUp?.scopes ?? [], acr: s.stepUp?.acr ?? null, maxAgeSeconds: s.stepUp?.maxAgeSeconds ?? null },
    },
  };
  const version = s.version ?? 1;
  return { id, versionId: `${id}-v${version}`, version, doc, suspended: s.suspended ?? null };
}

/** The target a request names (filling the half it leaves open), so a policy on it matches. */
function targetOf(req: DecisionInput) {
  return {
    server: "matched",
    audience: req.audience || TARGETS.find((t) => t.resource === req.resource)?.audience || TARGETS[0].audience,
    resource: req.resource || TARGETS.find((t) => t.audience === req.audience)?.resource || TARGETS[0].resource,
  };
}

/** A policy that applies to `req` (everyone, this agent, this target, no conditions). */
function matching(id: string, req: DecisionInput, s: Spec = {}): CandidatePolicy {
  return policy(id, { agents: [req.clientId], include: { groups: [EVERYONE] }, target: targetOf(req), ...s });
}

const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const sorted = (xs: readonly string[]) => [...xs].sort();
const uniq = (xs: readonly string[]) => [...new Set(xs)];
const withIds = (specs: Spec[], prefix = "p") => specs.map((s, i) => policy(`${prefix}${i}`, s));

// ---------------------------------------------------------------------------------------------
// Arbitraries

const offsetArb = fc.constantFrom(-DAY, -1, 0, 1, DAY);

/** `aim`: a request most policies are drawn towards (its agent and target), so they often match. */
function specArb({ stepUp, aim }: { stepUp: boolean; aim?: DecisionInput }): fc.Arbitrary<Spec> {
  const subjectSet = fc.record({ groups: fc.subarray([...GROUPS, EVERYONE]), users: fc.subarray(USER_REFS, { maxLength: 2 }) });
  const noSet = fc.constant({ groups: [] as string[], users: [] as string[] });
  return fc
    .record({
      effect: fc.constantFrom<"allow" | "deny">("allow", "allow", "deny"),
      agents: fc.subarray(AGENTS, { minLength: 1 }),
      include: fc.oneof({ weight: 1, arbitrary: fc.constant({ groups: [EVERYONE] as string[], users: [] as string[] }) }, { weight: 1, arbitrary: subjectSet }),
      exclude: fc.oneof({ weight: 4, arbitrary: noSet }, { weight: 1, arbitrary: fc.record({ groups: fc.subarray(GROUPS, { maxLength: 1 }), users: fc.subarray(USER_REFS, { maxLength: 1 }) }) }),
      target: fc.constantFrom(...TARGETS),
      scopes: fc.subarray(SCOPES, { minLength: 1 }),
      denyAll: fc.boolean(),
      validFrom: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: offsetArb.map(iso) }),
      validUntil: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: offsetArb.map(iso) }),
      environments: fc.oneof({ weight: 6, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray(ENVIRONMENTS, { minLength: 1 }) }),
      ttl: fc.constantFrom(30, 60, 300, 900, 3600),
      stepUpPick: stepUp ? fc.oneof({ weight: 2, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray(SCOPES) }) : fc.constant([] as string[]),
      acr: fc.constantFrom(null, ...ACRS),
      maxAgeSeconds: fc.constantFrom(null, 0, 60, 300, 3600),
      suspended: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("the server drifted", "the server is no longer approved") }),
      version: fc.integer({ min: 1, max: 3 }),
      aimed: aim ? fc.constantFrom(true, true, true, true, false) : fc.constant(false),
    })
    .map((r): Spec => {
      const scopes = r.effect === "deny" && r.denyAll ? [] : r.scopes;
      const upScopes = r.stepUpPick.filter((x) => scopes.includes(x));
      // The schema: include names someone; step-up scopes need an acr, a maxAgeSeconds, or both.
      const include = r.include.groups.length || r.include.users.length ? r.include : { groups: [GROUPS[0]], users: [] as string[] };
      const acr = upScopes.length && r.acr === null && r.maxAgeSeconds === null ? ACRS[0] : r.acr;
      return {
        effect: r.effect,
        agents: r.aimed && aim ? uniq([aim.clientId, ...r.agents]) : r.agents,
        include,
        exclude: r.exclude,
        target: r.aimed && aim ? targetOf(aim) : r.target,
        scopes,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        environments: r.environments,
        ttl: r.ttl,
        stepUp: { scopes: upScopes, acr: upScopes.length ? acr : null, maxAgeSeconds: upScopes.length ? r.maxAgeSeconds : null },
        suspended: r.suspended,
        version: r.version,
      };
    });
}

/** Deny-all policies (a deny listing no scopes) only now and then, or nothing would ever pass. */
function candidatesArb({ stepUp = true, maxLength = 6, aim }: { stepUp?: boolean; maxLength?: number; aim?: DecisionInput } = {}) {
  return fc
    .array(
      specArb({ stepUp, aim }).chain((s) => (s.effect === "deny" && s.scopes!.length === 0 ? fc.constantFrom<Spec>(s, { ...s, scopes: ["write"] }, { ...s, scopes: ["admin", "delete"] }) : fc.constant(s))),
      { maxLength },
    )
    .map((specs) => withIds(specs));
}

const subjectArb: fc.Arbitrary<DecisionSubject> = fc
  .record({
    person: fc.constantFrom(...PEOPLE),
    email: fc.constantFrom("none", "lower", "upper"),
    groups: fc.subarray(GROUPS),
    acr: fc.constantFrom(null, ...ACRS),
    authAge: fc.constantFrom(null, 0, 30, 60, 300, 3600, 86_400),
  })
  .map((r) => ({
    sub: r.person.sub,
    email: r.email === "none" ? null : r.email === "upper" ? r.person.email.toUpperCase() : r.person.email,
    groups: r.groups,
    acr: r.acr,
    authTime: r.authAge === null ? null : NOW_S - r.authAge,
  }));

function requestArb({ named = false }: { named?: boolean } = {}): fc.Arbitrary<DecisionInput> {
  const modes = named ? (["both", "audience", "resource", "crossed"] as const) : (["both", "audience", "resource", "crossed", "both", "audience", "neither"] as const);
  return fc
    .record({
      clientId: fc.constantFrom(...AGENTS, "https://agents.example/unknown"),
      subject: subjectArb,
      target: fc.constantFrom(...TARGETS),
      other: fc.constantFrom(...TARGETS),
      mode: fc.constantFrom(...modes),
      scopes: fc.array(fc.constantFrom(...SCOPES), { maxLength: 4 }),
      environment: fc.constantFrom(null, ...ENVIRONMENTS),
    })
    .map((r) => ({
      clientId: r.clientId,
      subject: r.subject,
      audience: r.mode === "both" || r.mode === "audience" || r.mode === "crossed" ? r.target.audience : null,
      resource: r.mode === "both" || r.mode === "resource" ? r.target.resource : r.mode === "crossed" ? r.other.resource : null,
      scopes: r.scopes,
      environment: r.environment,
      now: NOW,
    }));
}

/** A request and candidate policies, most of them drawn towards it. */
function scenarioArb(c: { stepUp?: boolean } = {}, r: { named?: boolean } = {}): fc.Arbitrary<[CandidatePolicy[], DecisionInput]> {
  return requestArb(r).chain((req) => candidatesArb({ ...c, aim: req }).map((ps): [CandidatePolicy[], DecisionInput] => [ps, req]));
}

// ---------------------------------------------------------------------------------------------
// An independent statement of "applies" and of the grant, for the properties to compare with

function names(users: readonly string[], subject: DecisionSubject) {
  return users.some((u) => u === subject.sub || (!!subject.email && u.toLowerCase() === subject.email.toLowerCase()));
}

function inGroups(groups: readonly string[], subject: DecisionSubject) {
  return groups.some((g) => g === EVERYONE || subject.groups.includes(g));
}

function applies(p: CandidatePolicy, req: DecisionInput): boolean {
  const d = p.doc;
  if (!req.audience && !req.resource) return false;
  if (req.audience && req.audience !== d.target.audience) return false;
  if (req.resource && req.resource !== d.target.resource) return false;
  if (!d.agents.includes(req.clientId)) return false;
  if (names(d.subjects.exclude.users, req.subject) || inGroups(d.subjects.exclude.groups, req.subject)) return false;
  // an exclusion by e-mail applies when the subject's e-mail is unknown
  if (!req.subject.email && d.subjects.exclude.users.some((u) => u.includes("@") && u !== req.subject.sub)) return false;
  if (!names(d.subjects.include.users, req.subject) && !inGroups(d.subjects.include.groups, req.subject)) return false;
  const { validFrom, validUntil, environments } = d.conditions;
  if (validFrom !== null && req.now < Date.parse(validFrom)) return false;
  if (validUntil !== null && !(req.now < Date.parse(validUntil))) return false;
  // unknown environment: fails an allow policy's condition, meets a deny policy's
  if (environments.length > 0 && req.environment && !environments.includes(req.environment)) return false;
  if (environments.length > 0 && !req.environment && d.effect === "allow") return false;
  return d.effect === "deny" || p.suspended === null;
}

function stepUpMet(p: CandidatePolicy, subject: DecisionSubject, now: number) {
  const { acr, maxAgeSeconds } = p.doc.conditions.stepUp;
  const acrOk = acr === null || subject.acr === acr;
  const ageOk = maxAgeSeconds === null || (typeof subject.authTime === "number" && now / 1000 - subject.authTime <= maxAgeSeconds);
  return acrOk && ageOk;
}

interface Model {
  allowUnion: Set<string>;
  /** Scopes some matching allow policy grants outright (step-up met or not needed). */
  effective: Set<string>;
  /** Scopes only step-up-failing matching allow policies would grant. */
  blockedOnly: Set<string>;
  denyAll: boolean;
  denied: Set<string>;
  asked: string[];
  refused: boolean;
  granted: Set<string>;
}

function model(candidates: readonly CandidatePolicy[], req: DecisionInput): Model {
  const allows = candidates.filter((p) => p.doc.effect === "allow" && applies(p, req));
  const denies = candidates.filter((p) => p.doc.effect === "deny" && applies(p, req));
  const allowUnion = new Set(allows.flatMap((p) => p.doc.scopes));
  const effective = new Set(allows.flatMap((p) => p.doc.scopes.filter((s) => !p.doc.conditions.stepUp.scopes.includes(s) || stepUpMet(p, req.subject, req.now))));
  const blockedOnly = new Set([...allowUnion].filter((s) => !effective.has(s)));
  const denyAll = denies.some((p) => p.doc.scopes.length === 0);
  const denied = new Set(denies.flatMap((p) => p.doc.scopes));
  // asking for nothing asks only for what needs no step-up now
  const asked = req.scopes.length ? uniq(req.scopes) : [...effective];
  const open = asked.filter((s) => !denyAll && !denied.has(s));
  const refused = open.some((s) => blockedOnly.has(s));
  const granted = new Set(refused ? [] : open.filter((s) => effective.has(s)));
  return { allowUnion, effective, blockedOnly, denyAll, denied, asked, refused, granted };
}

/** What the laws are about (not the reasons' wording or order). */
function outcome(d: Decision) {
  return { decision: d.decision, scopes: sorted(d.scopes), policyIds: sorted(d.policyIds), ttl: d.ttl, error: d.error };
}

const subset = (a: Iterable<string>, b: Iterable<string>) => {
  const bs = new Set(b);
  return [...a].every((x) => bs.has(x));
};

// ---------------------------------------------------------------------------------------------
// Properties

describe("evaluate: laws", () => {
  it("1. default deny: with no matching allow policy the decision is deny with no scopes", () => {
    fc.assert(
      fc.property(scenarioArb(), ([all, req]) => {
        const candidates = all.filter((p) => p.doc.effect === "deny" || !applies(p, req));
        const d = evaluate(candidates, req);
        expect(d.decision).toBe("deny");
        expect(d.scopes).toEqual([]);
        expect(d.ttl).toBe(0);
        expect(d.error).toBe("access_denied");
        expect(d.stepUp).toBeNull();
      }),
      OPTS,
    );
    expect(evaluate([], { clientId: AGENTS[0], subject: { sub: "u-alice", groups: [] }, audience: TARGETS[0].audience, scopes: ["read"], now: NOW }).decision).toBe("deny");
  });

  it("1. a request naming neither audience nor resource matches nothing", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, r]) => {
        const req = { ...r, audience: null, resource: null };
        const d = evaluate(candidates, req);
        expect(d.decision).toBe("deny");
        expect(d.explanation.every((e) => !e.matched)).toBe(true);
      }),
      OPTS,
    );
  });

  it("2. deny overrides allow: adding a matching deny never adds scopes (no step-up refusal before)", () => {
    fc.assert(
      fc.property(scenarioArb({}, { named: true }), fc.subarray(SCOPES), fc.nat(6), ([candidates, req], denyScopes, at) => {
        const before = evaluate(candidates, req);
        const extra = matching("deny-extra", req, { effect: "deny", scopes: denyScopes });
        const after = evaluate([...candidates.slice(0, at), extra, ...candidates.slice(at)], req);
        // A deny can lift a step-up refusal by removing the very scope that needed it (see the
        // example "a deny of the step-up scope lifts the refusal" below); otherwise it only removes.
        if (before.error !== "insufficient_user_authentication") expect(subset(after.scopes, before.scopes)).toBe(true);
        for (const s of denyScopes) expect(after.scopes).not.toContain(s);
        expect(after.policyIds).toContain("deny-extra");
      }),
      OPTS,
    );
  });

  it("2. deny overrides allow, without step-up in play: a matching deny never adds scopes", () => {
    fc.assert(
      fc.property(scenarioArb({ stepUp: false }, { named: true }), fc.subarray(SCOPES), ([candidates, req], denyScopes) => {
        const before = evaluate(candidates, req);
        const after = evaluate([matching("deny-extra", req, { effect: "deny", scopes: denyScopes }), ...candidates], req);
        expect(subset(after.scopes, before.scopes)).toBe(true);
        expect(sorted(after.scopes)).toEqual(sorted(before.scopes.filter((s) => !denyScopes.includes(s) && denyScopes.length > 0)));
      }),
      OPTS,
    );
  });

  it("2. a matching deny that lists no scopes denies the request, whatever the allow policies say", () => {
    fc.assert(
      fc.property(scenarioArb({}, { named: true }), fc.boolean(), ([candidates, req], suspended) => {
        const d = evaluate([...candidates, matching("deny-all", req, { effect: "deny", scopes: [], suspended: suspended ? "the server drifted" : null })], req);
        expect(d.decision).toBe("deny");
        expect(d.scopes).toEqual([]);
        expect(d.error).toBe("access_denied");
        expect(d.policyIds).toContain("deny-all");
        expect(d.reasons.some((r) => r.includes(`Denied by "policy deny-all" (denies every scope of its target)`))).toBe(true);
      }),
      OPTS,
    );
  });

  it("2. scopes of a matching deny never appear in the grant", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        const denies = candidates.filter((p) => p.doc.effect === "deny" && applies(p, req));
        for (const p of denies) {
          if (p.doc.scopes.length === 0) expect(d.scopes).toEqual([]);
          for (const s of p.doc.scopes) expect(d.scopes).not.toContain(s);
          expect(d.policyIds).toContain(p.id);
        }
      }),
      OPTS,
    );
  });

  it("3. granted ⊆ requested, granted ⊆ ∪ matching allow scopes − denied", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        const m = model(candidates, req);
        if (req.scopes.length) expect(subset(d.scopes, req.scopes)).toBe(true);
        expect(subset(d.scopes, m.allowUnion)).toBe(true);
        for (const s of d.scopes) expect(m.denied.has(s)).toBe(false);
        expect(new Set(d.scopes).size).toBe(d.scopes.length);
      }),
      OPTS,
    );
  });

  it("3. without step-up: granted = requested ∩ allowed − denied exactly (requesting none asks for all)", () => {
    fc.assert(
      fc.property(scenarioArb({ stepUp: false }), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        const m = model(candidates, req);
        const asked = req.scopes.length ? uniq(req.scopes) : [...m.allowUnion];
        const expected = m.denyAll ? [] : asked.filter((s) => m.allowUnion.has(s) && !m.denied.has(s));
        expect(sorted(d.scopes)).toEqual(sorted(expected));
        expect(d.error === "insufficient_user_authentication").toBe(false);
      }),
      OPTS,
    );
  });

  it("3 + 6. with step-up: the decision is the model's (refusal or requested ∩ effective − denied)", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        const m = model(candidates, req);
        expect(d.error === "insufficient_user_authentication").toBe(m.refused);
        expect(sorted(d.scopes)).toEqual(sorted([...m.granted]));
      }),
      OPTS,
    );
  });

  it("4. an empty grant is a deny: decision allow ⇔ scopes non-empty", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        expect(d.decision === "allow").toBe(d.scopes.length > 0);
        if (d.decision === "allow") {
          expect(d.error).toBeNull();
          expect(d.stepUp).toBeNull();
          expect(d.ttl).toBeGreaterThan(0);
        } else {
          expect(d.error).not.toBeNull();
          expect(d.ttl).toBe(0);
          expect(d.stepUp === null).toBe(d.error === "access_denied");
        }
      }),
      OPTS,
    );
  });

  it("5. monotonicity: removing an allow policy never grows the grant (unless it lifts a step-up refusal)", () => {
    fc.assert(
      fc.property(scenarioArb(), fc.nat(), ([candidates, req], pick) => {
        const allowIdx = candidates.flatMap((p, i) => (p.doc.effect === "allow" ? [i] : []));
        fc.pre(allowIdx.length > 0);
        const i = allowIdx[pick % allowIdx.length];
        const before = evaluate(candidates, req);
        const after = evaluate(candidates.filter((_, j) => j !== i), req);
        if (before.error !== "insufficient_user_authentication") expect(subset(after.scopes, before.scopes)).toBe(true);
      }),
      OPTS,
    );
  });

  it("5. monotonicity without step-up: removing an allow policy never grows the grant", () => {
    fc.assert(
      fc.property(scenarioArb({ stepUp: false }), fc.nat(), ([candidates, req], pick) => {
        const allowIdx = candidates.flatMap((p, i) => (p.doc.effect === "allow" ? [i] : []));
        fc.pre(allowIdx.length > 0);
        const i = allowIdx[pick % allowIdx.length];
        expect(subset(evaluate(candidates.filter((_, j) => j !== i), req).scopes, evaluate(candidates, req).scopes)).toBe(true);
      }),
      OPTS,
    );
  });

  it("5. adding a policy for another agent or another target changes nothing", () => {
    fc.assert(
      fc.property(scenarioArb(), specArb({ stepUp: true }), fc.constantFrom("agent", "target"), fc.nat(6), ([candidates, req], spec, how, at) => {
        const extra = policy("unrelated", how === "agent" ? { ...spec, agents: [OTHER_AGENT] } : { ...spec, target: OTHER_TARGET });
        const before = evaluate(candidates, req);
        const after = evaluate([...candidates.slice(0, at), extra, ...candidates.slice(at)], req);
        expect(outcome(after)).toEqual(outcome(before));
        expect(after.stepUp).toEqual(before.stepUp);
        expect(after.explanation.find((e) => e.policyId === "unrelated")?.matched).toBe(false);
      }),
      OPTS,
    );
  });

  it("6. a scope only step-up policies grant, and the subject has not stepped up: insufficient_user_authentication", () => {
    const unmet = fc.oneof(
      // The acr is wrong or missing.
      fc.record({ acr: fc.constant<string | null>("mfa"), maxAgeSeconds: fc.constantFrom(null, 3600), subjectAcr: fc.constantFrom(null, "phr"), authAge: fc.constantFrom<number | null>(0, 60) }),
      // The authentication is too old, or its time unknown.
      fc.record({ acr: fc.constantFrom(null, "mfa"), maxAgeSeconds: fc.constantFrom(0, 60, 300), subjectAcr: fc.constant<string | null>("mfa"), authAge: fc.constantFrom<number | null>(null, 301, 3600) }),
    );
    fc.assert(
      fc.property(scenarioArb({}, { named: true }), fc.constantFrom(...SCOPES), fc.subarray(SCOPES), unmet, ([all, r], s, more, u) => {
        fc.pre(u.maxAgeSeconds === null || u.authAge === null || u.authAge > u.maxAgeSeconds || u.acr !== u.subjectAcr);
        // Nothing else grants or denies `s`.
        const others = all
          .map((p) => ({ ...p, doc: { ...p.doc, scopes: p.doc.scopes.filter((x) => x !== s), conditions: { ...p.doc.conditions, stepUp: { ...p.doc.conditions.stepUp, scopes: p.doc.conditions.stepUp.scopes.filter((x) => x !== s) } } } }))
          .filter((p) => p.doc.scopes.length > 0);
        const req = { ...r, scopes: uniq([s, ...more]), subject: { ...r.subject, acr: u.subjectAcr, authTime: u.authAge === null ? null : NOW_S - u.authAge } };
        const up = matching("step-up", req, { scopes: uniq([s, "read"]), stepUp: { scopes: [s], acr: u.acr, maxAgeSeconds: u.maxAgeSeconds } });
        const candidates = [...others, up];
        const d = evaluate(candidates, req);
        expect(d.decision).toBe("deny");
        expect(d.error).toBe("insufficient_user_authentication");
        expect(d.scopes).toEqual([]);
        expect(d.ttl).toBe(0);
        // What to step up to is one of the blocking policies' requirements, and that policy is named.
        const blockers = candidates.filter((p) => p.doc.effect === "allow" && applies(p, req) && !stepUpMet(p, req.subject, NOW) && p.doc.conditions.stepUp.scopes.some((x) => req.scopes.includes(x)));
        const named = blockers.filter((p) => d.policyIds.includes(p.id));
        expect(named.length).toBeGreaterThan(0);
        expect(named.map((p) => ({ acr: p.doc.conditions.stepUp.acr, maxAgeSeconds: p.doc.conditions.stepUp.maxAgeSeconds }))).toContainEqual(d.stepUp);
      }),
      OPTS,
    );
  });

  it("6. meeting the acr and authenticating within maxAgeSeconds grants the step-up scope", () => {
    fc.assert(
      fc.property(
        scenarioArb({ stepUp: false }, { named: true }),
        fc.constantFrom(...SCOPES),
        fc.constantFrom(null, ...ACRS),
        fc.constantFrom(null, 0, 60, 300),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([all, r], s, acr, maxAgeSeconds, f) => {
          // The schema: step-up needs an acr, a maxAgeSeconds, or both.
          fc.pre(acr !== null || maxAgeSeconds !== null);
          const others = all.map((p) => (p.doc.effect === "deny" ? { ...p, doc: { ...p.doc, scopes: p.doc.scopes.filter((x) => x !== s) } } : p)).filter((p) => p.doc.scopes.length > 0);
          const authAge = maxAgeSeconds === null ? 86_400 : Math.floor(f * maxAgeSeconds);
          const req = { ...r, scopes: [s], subject: { ...r.subject, acr: acr ?? r.subject.acr, authTime: NOW_S - authAge } };
          const d = evaluate([...others, matching("step-up", req, { scopes: [s], stepUp: { scopes: [s], acr, maxAgeSeconds } })], req);
          expect(d.decision).toBe("allow");
          expect(d.scopes).toEqual([s]);
          expect(d.policyIds).toContain("step-up");
        },
      ),
      OPTS,
    );
  });

  it("7. ttl = the shortest maxTokenLifetimeSeconds of the allow policies that granted (0 on deny)", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        if (d.decision === "deny") {
          expect(d.ttl).toBe(0);
          return;
        }
        const granting = candidates.filter((p) => p.doc.effect === "allow" && d.policyIds.includes(p.id));
        expect(granting.length).toBeGreaterThan(0);
        for (const p of granting) {
          // Each one listed did grant something (a scope of this decision).
          expect(p.doc.scopes.some((s) => d.scopes.includes(s))).toBe(true);
          expect(applies(p, req)).toBe(true);
        }
        expect(d.ttl).toBe(Math.min(...granting.map((p) => p.doc.conditions.maxTokenLifetimeSeconds)));
        // Every scope granted is given by a listed allow policy.
        expect(subset(d.scopes, granting.flatMap((p) => p.doc.scopes))).toBe(true);
      }),
      OPTS,
    );
  });

  it("8. a suspended allow policy grants nothing: the decision is as if it were absent", () => {
    fc.assert(
      fc.property(scenarioArb(), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), ([candidates, req], flags) => {
        const withSuspended = candidates.map((p, i) => (p.doc.effect === "allow" && flags[i] ? { ...p, suspended: "the server drifted" } : p));
        const without = withSuspended.filter((p) => !(p.doc.effect === "allow" && p.suspended));
        const d = evaluate(withSuspended, req);
        expect(outcome(d)).toEqual(outcome(evaluate(without, req)));
        for (const e of d.explanation) {
          const p = withSuspended.find((c) => c.id === e.policyId)!;
          if (p.doc.effect === "allow" && p.suspended) {
            expect(e.matched).toBe(false);
            expect(e.scopes).toEqual([]);
          }
        }
      }),
      OPTS,
    );
  });

  it("8. a suspended deny policy still denies", () => {
    fc.assert(
      fc.property(scenarioArb({}, { named: true }), fc.subarray(SCOPES, { minLength: 1 }), ([candidates, req], denyScopes) => {
        const d = evaluate([...candidates, matching("suspended-deny", req, { effect: "deny", scopes: denyScopes, suspended: "the server is no longer approved" })], req);
        for (const s of denyScopes) expect(d.scopes).not.toContain(s);
        expect(d.policyIds).toContain("suspended-deny");
        expect(d.explanation.find((e) => e.policyId === "suspended-deny")?.matched).toBe(true);
      }),
      OPTS,
    );
  });

  it("9. exclusion beats inclusion: by sub, by e-mail in any case, by group, or by the group *", () => {
    const how = fc.constantFrom("sub", "email", "group", "everyone");
    fc.assert(
      fc.property(requestArb({ named: true }), how, fc.mixedCase(fc.constantFrom(...PEOPLE.map((p) => p.email))), (r, by, mixed) => {
        const person = PEOPLE.find((p) => p.email === mixed.toLowerCase())!;
        const subject = { ...r.subject, sub: person.sub, email: by === "email" ? person.email : r.subject.email && person.email, groups: by === "group" && r.subject.groups.length === 0 ? [GROUPS[0]] : r.subject.groups };
        const req = { ...r, subject, scopes: ["read"] };
        const exclude = by === "sub" ? { users: [person.sub] } : by === "email" ? { users: [mixed] } : by === "group" ? { groups: [subject.groups[0]] } : { groups: [EVERYONE] };
        // Included every way there is.
        const include = { groups: [EVERYONE, ...subject.groups], users: [person.sub, person.email] };
        const d = evaluate([matching("excluding", req, { include, exclude, scopes: ["read"] })], req);
        expect(d.decision).toBe("deny");
        expect(d.explanation[0].matched).toBe(false);
        expect(d.explanation[0].why).toMatch(/^excludes /);
      }),
      OPTS,
    );
  });

  it("9. include by e-mail is case-insensitive, by sub exact; the group * includes everyone", () => {
    fc.assert(
      fc.property(requestArb({ named: true }), fc.mixedCase(fc.constantFrom(...PEOPLE.map((p) => p.email))), (r, mixed) => {
        const req = { ...r, scopes: ["read"] };
        const everyone = evaluate([matching("everyone", req, { include: { groups: [EVERYONE] } })], req);
        expect(everyone.scopes).toEqual(["read"]);
        const byEmail = evaluate([matching("by-email", req, { include: { users: [mixed] } })], req);
        const sameEmail = !!req.subject.email && req.subject.email.toLowerCase() === mixed.toLowerCase();
        expect(byEmail.decision === "allow").toBe(sameEmail);
        const bySub = evaluate([matching("by-sub", req, { include: { users: [req.subject.sub.toUpperCase()] } })], req);
        expect(bySub.decision).toBe("deny");
      }),
      OPTS,
    );
  });

  it("10. a policy applies only within [validFrom, validUntil)", () => {
    const bound = fc.option(fc.constantFrom(-DAY, -1000, -1, 0, 1, 1000, DAY), { freq: 3 });
    fc.assert(
      fc.property(requestArb({ named: true }), bound, bound, fc.constantFrom(-1, 0, 1, 5000), (r, from, until, shift) => {
        const req = { ...r, now: NOW + shift, scopes: ["read"] };
        const p = matching("window", req, { validFrom: from === null ? null : iso(from), validUntil: until === null ? null : iso(until) });
        const inside = (from === null || NOW + from <= req.now) && (until === null || req.now < NOW + until);
        const d = evaluate([p], req);
        expect(d.explanation[0].matched).toBe(inside);
        expect(d.decision === "allow").toBe(inside);
      }),
      OPTS,
    );
  });

  it("10. a policy naming environments applies only to an agent in one of them", () => {
    fc.assert(
      fc.property(requestArb({ named: true }), fc.subarray(ENVIRONMENTS), fc.constantFrom(null, undefined, ...ENVIRONMENTS), (r, environments, environment) => {
        const req = { ...r, environment, scopes: ["read"] };
        const d = evaluate([matching("envs", req, { environments })], req);
        expect(d.explanation[0].matched).toBe(environments.length === 0 || (!!environment && environments.includes(environment)));
      }),
      OPTS,
    );
  });

  it("11. every candidate appears exactly once in the explanation, in order, matched iff it applied", () => {
    fc.assert(
      fc.property(scenarioArb(), ([candidates, req]) => {
        const d = evaluate(candidates, req);
        expect(d.explanation.map((e) => `${e.policyId}:${e.version}`)).toEqual(candidates.map((p) => `${p.id}:${p.version}`));
        candidates.forEach((p, i) => {
          const e = d.explanation[i];
          expect(e.matched).toBe(applies(p, req));
          expect(e.name).toBe(p.doc.name);
          expect(e.effect).toBe(p.doc.effect);
          if (!e.matched) {
            expect(e.why).not.toBe("");
            expect(e.scopes).toEqual([]);
          }
        });
        // The allow entries' scopes are the grant. Not on a step-up refusal: there the entries still
        // list what the policies would grant besides the held-back scope, though the decision grants
        // nothing (see "on a step-up refusal the explanation still lists would-be grants" below).
        if (d.error !== "insufficient_user_authentication") {
          for (const e of d.explanation) if (e.effect === "allow") expect(subset(e.scopes, d.scopes)).toBe(true);
          expect(sorted(uniq(d.explanation.filter((e) => e.effect === "allow").flatMap((e) => e.scopes)))).toEqual(sorted(d.scopes));
        }
      }),
      OPTS,
    );
  });

  it("12. order independence: shuffling the candidates changes neither decision, scopes nor policyIds (no step-up refusal)", () => {
    fc.assert(
      fc.property(
        scenarioArb().chain(([ps, req]) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length }), fc.constant(req))),
        ([candidates, shuffled, req]) => {
          const a = evaluate(candidates, req);
          const b = evaluate(shuffled, req);
          expect(b.decision).toBe(a.decision);
          expect(b.error).toBe(a.error);
          expect(sorted(b.scopes)).toEqual(sorted(a.scopes));
          expect(b.ttl).toBe(a.ttl);
          expect(sorted(b.policyIds)).toEqual(sorted(a.policyIds));
          expect(b.stepUp).toEqual(a.stepUp);
        },
      ),
      OPTS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Examples

describe("evaluate: examples", () => {
  const CLAUDE = "https://claude.ai/oauth/mcp-client";
  const JIRA = { server: "jira", audience: "https://auth.atlassian.example", resource: "https://mcp.atlassian.example/v1/mcp" };
  const engineer: DecisionSubject = { sub: "00u1eng", email: "Ada@Example.com", groups: ["engineering"], acr: null, authTime: NOW_S - 600 };
  const seller: DecisionSubject = { sub: "00u2sal", email: "sam@example.com", groups: ["sales"] };
  const ask = (subject: DecisionSubject, scopes: string[], extra: Partial<DecisionInput> = {}): DecisionInput => ({ clientId: CLAUDE, subject, audience: JIRA.audience, resource: JIRA.resource, scopes, now: NOW, ...extra });
  const readJira = policy("pol_read", {
    name: "Engineering may let Claude read Jira",
    agents: [CLAUDE],
    include: { groups: ["engineering"] },
    target: JIRA,
    scopes: ["read:jira-work", "read:jira-user"],
    ttl: 600,
  });

  it("Engineering may let Claude read Jira", () => {
    const d = evaluate([readJira], ask(engineer, ["read:jira-work"]));
    expect(d).toMatchObject({ decision: "allow", scopes: ["read:jira-work"], policyIds: ["pol_read"], ttl: 600, error: null, stepUp: null });
    expect(d.reasons).toEqual(['Allowed by "Engineering may let Claude read Jira"']);
    expect(d.explanation).toEqual([{ policyId: "pol_read", version: 1, name: "Engineering may let Claude read Jira", effect: "allow", matched: true, why: "grants read:jira-work", scopes: ["read:jira-work"] }]);
  });

  it("asking for no scopes gets everything the matching policies grant", () => {
    expect(evaluate([readJira], ask(engineer, [])).scopes).toEqual(["read:jira-work", "read:jira-user"]);
  });

  it("a scope no policy grants is not granted, and says so", () => {
    const partial = evaluate([readJira], ask(engineer, ["read:jira-work", "write:jira-work"]));
    expect(partial.scopes).toEqual(["read:jira-work"]);
    expect(partial.reasons).toContain("Not granted: write:jira-work");
    const none = evaluate([readJira], ask(engineer, ["write:jira-work"]));
    expect(none).toMatchObject({ decision: "deny", scopes: [], ttl: 0, error: "access_denied" });
    expect(none.reasons).toEqual(["The matching policies grant none of the requested scopes"]);
    expect(none.explanation[0].why).toBe("matched, but grants none of the requested scopes");
  });

  it("sales is not included; another agent is not named; no policy at all", () => {
    const sales = evaluate([readJira], ask(seller, ["read:jira-work"]));
    expect(sales.decision).toBe("deny");
    expect(sales.reasons).toEqual(["No policy matched this agent, subject and target"]);
    expect(sales.explanation[0]).toMatchObject({ matched: false, why: "does not include this user or any of their groups" });
    expect(evaluate([readJira], ask(engineer, ["read:jira-work"], { clientId: "https://other.example/agent" })).explanation[0].why).toBe("does not name this agent");
    expect(evaluate([], ask(engineer, ["read:jira-work"])).reasons).toEqual(["No active policy targets this audience and resource"]);
  });

  it("a deny policy overrides, and the reasons name it", () => {
    const noContractors = policy("pol_deny", { name: "Contractors may not write", effect: "deny", agents: [CLAUDE], include: { groups: ["contractors"] }, target: JIRA, scopes: ["write:jira-work"] });
    const write = policy("pol_write", { name: "Engineering may write", agents: [CLAUDE], include: { groups: ["engineering"] }, target: JIRA, scopes: ["write:jira-work", "read:jira-work"], ttl: 120 });
    const contractor = { ...engineer, groups: ["engineering", "contractors"] };
    const d = evaluate([readJira, write, noContractors], ask(contractor, ["read:jira-work", "write:jira-work"]));
    expect(d.decision).toBe("allow");
    expect(d.scopes).toEqual(["read:jira-work"]);
    expect(d.ttl).toBe(120);
    expect(sorted(d.policyIds)).toEqual(["pol_deny", "pol_read", "pol_write"]);
    expect(d.reasons).toContain('Denied by "Contractors may not write" (denies write:jira-work)');
    expect(d.reasons).toContain('Allowed by "Engineering may let Claude read Jira"');
    expect(d.explanation.find((e) => e.policyId === "pol_deny")).toMatchObject({ matched: true, scopes: ["write:jira-work"] });
  });

  it("excluding a user by e-mail, whatever its case", () => {
    const p = policy("pol_x", { ...specOf(readJira), exclude: { users: ["ada@EXAMPLE.com"] } });
    const d = evaluate([p], ask(engineer, ["read:jira-work"]));
    expect(d.decision).toBe("deny");
    expect(d.explanation[0].why).toBe("excludes this user");
  });

  it("step-up: admin needs MFA within five minutes", () => {
    const admin = policy("pol_admin", {
      name: "Admins need MFA",
      agents: [CLAUDE],
      include: { groups: ["engineering"] },
      target: JIRA,
      scopes: ["read:jira-work", "manage:jira-configuration"],
      stepUp: { scopes: ["manage:jira-configuration"], acr: "mfa", maxAgeSeconds: 300 },
    });
    const refused = evaluate([admin], ask(engineer, ["read:jira-work", "manage:jira-configuration"]));
    expect(refused).toMatchObject({ decision: "deny", scopes: [], ttl: 0, error: "insufficient_user_authentication", stepUp: { acr: "mfa", maxAgeSeconds: 300 }, policyIds: ["pol_admin"] });
    expect(refused.reasons).toContain('"Admins need MFA" needs a step-up authentication (acr mfa) within 300 s for some requested scopes');
    // Exactly maxAgeSeconds old still counts; one second more does not.
    const fresh = evaluate([admin], ask({ ...engineer, acr: "mfa", authTime: NOW_S - 300 }, ["manage:jira-configuration"]));
    expect(fresh).toMatchObject({ decision: "allow", scopes: ["manage:jira-configuration"] });
    expect(evaluate([admin], ask({ ...engineer, acr: "mfa", authTime: NOW_S - 301 }, ["manage:jira-configuration"])).error).toBe("insufficient_user_authentication");
    // The non-step-up scope alone needs no step-up.
    expect(evaluate([admin], ask(engineer, ["read:jira-work"])).scopes).toEqual(["read:jira-work"]);
    // Another policy granting the scope outright makes the step-up moot.
    const outright = policy("pol_outright", { agents: [CLAUDE], include: { groups: ["engineering"] }, target: JIRA, scopes: ["manage:jira-configuration"] });
    expect(evaluate([admin, outright], ask(engineer, ["manage:jira-configuration"])).scopes).toEqual(["manage:jira-configuration"]);
  });

  it("a deny of the step-up scope lifts the refusal (deny beats step-up, so the rest is granted)", () => {
    // Documents why laws 2 and 5 exclude a prior step-up refusal: adding a deny (or removing the
    // step-up policy) can turn "insufficient_user_authentication" into an allow of the other scopes.
    const admin = policy("pol_admin", { agents: [CLAUDE], include: { groups: [EVERYONE] }, target: JIRA, scopes: ["manage"], stepUp: { scopes: ["manage"], acr: "mfa" } });
    const read = policy("pol_read", { agents: [CLAUDE], include: { groups: [EVERYONE] }, target: JIRA, scopes: ["read"] });
    const deny = policy("pol_deny", { effect: "deny", agents: [CLAUDE], include: { groups: [EVERYONE] }, target: JIRA, scopes: ["manage"] });
    const req = ask(engineer, ["read", "manage"]);
    expect(evaluate([read, admin], req).error).toBe("insufficient_user_authentication");
    expect(evaluate([read, admin, deny], req)).toMatchObject({ decision: "allow", scopes: ["read"] });
    expect(evaluate([read], req)).toMatchObject({ decision: "allow", scopes: ["read"] });
  });

  it("on a step-up refusal the explanation still lists would-be grants", () => {
    // Current behaviour, pinned so a change is deliberate: the decision grants nothing, yet the
    // entry of the policy that holds back "admin" reports that it "grants read".
    const admin = policy("pol_admin", { agents: [CLAUDE], include: { groups: [EVERYONE] }, target: JIRA, scopes: ["read", "admin"], stepUp: { scopes: ["admin"], acr: "mfa" } });
    const d = evaluate([admin], ask(engineer, ["read", "admin"]));
    expect(d).toMatchObject({ decision: "deny", scopes: [], error: "insufficient_user_authentication" });
    expect(d.explanation[0]).toMatchObject({ matched: true, why: "grants read", scopes: ["read"] });
  });

  it("a suspended allow policy grants nothing and says why; outside its window or environment likewise", () => {
    const drifted = { ...readJira, suspended: "the server drifted" };
    const d = evaluate([drifted], ask(engineer, ["read:jira-work"]));
    expect(d.decision).toBe("deny");
    expect(d.explanation[0]).toMatchObject({ matched: false, why: "is suspended: the server drifted" });
    const later = policy("pol_later", { ...specOf(readJira), validFrom: iso(DAY) });
    expect(evaluate([later], ask(engineer, ["read:jira-work"])).explanation[0].why).toBe(`is not valid before ${iso(DAY)}`);
    const over = policy("pol_over", { ...specOf(readJira), validUntil: iso(0) });
    expect(evaluate([over], ask(engineer, ["read:jira-work"])).explanation[0].why).toBe(`expired at ${iso(0)}`);
    const prod = policy("pol_prod", { ...specOf(readJira), environments: ["production"] });
    expect(evaluate([prod], ask(engineer, ["read:jira-work"])).explanation[0].why).toBe("applies only to production and the agent's environment is unknown");
    expect(evaluate([prod], ask(engineer, ["read:jira-work"], { environment: "staging" })).explanation[0].why).toBe("does not apply to the staging environment");
    expect(evaluate([prod], ask(engineer, ["read:jira-work"], { environment: "production" })).decision).toBe("allow");
  });
});

function specOf(p: CandidatePolicy): Spec {
  const d = p.doc;
  return { name: d.name, effect: d.effect, agents: d.agents, include: d.subjects.include, exclude: d.subjects.exclude, target: d.target, scopes: d.scopes, ttl: d.conditions.maxTokenLifetimeSeconds };
}

describe("evaluate: order", () => {
  // Law 12 on a step-up refusal: every blocking policy is named, and the requirement reported is
  // the lowest policy id's, whatever the candidates' order (found by the property above).
  it("shuffling candidates does not change policyIds or the requirement on a step-up refusal", () => {
    const target = TARGETS[0];
    const a = policy("pol_a", { include: { groups: [EVERYONE] }, target, scopes: ["admin"], stepUp: { scopes: ["admin"], acr: "mfa" } });
    const b = policy("pol_b", { include: { groups: [EVERYONE] }, target, scopes: ["admin"], stepUp: { scopes: ["admin"], acr: "phr" } });
    const req: DecisionInput = { clientId: AGENTS[0], subject: { sub: "u-alice", groups: [] }, audience: target.audience, scopes: ["admin"], now: NOW };
    const ab = evaluate([a, b], req);
    const ba = evaluate([b, a], req);
    expect(ab.error).toBe("insufficient_user_authentication");
    expect(sorted(ba.policyIds)).toEqual(["pol_a", "pol_b"]);
    expect(sorted(ab.policyIds)).toEqual(["pol_a", "pol_b"]);
    expect(ba.stepUp).toEqual({ acr: "mfa", maxAgeSeconds: null });
    expect(ab.stepUp).toEqual(ba.stepUp);
  });
});

describe("evaluate: missing information never widens a grant", () => {
  const target = { server: "com.example/jira", audience: "https://auth.example.com", resource: "https://mcp.example.com/mcp" };
  const doc = (over: Partial<CandidatePolicy["doc"]>): CandidatePolicy["doc"] => ({
    name: "p",
    effect: "allow",
    agents: ["https://agent.example.com"],
    subjects: { include: { groups: ["eng"], users: [] }, exclude: { groups: [], users: [] } },
    target,
    scopes: ["read"],
    conditions: { validFrom: null, validUntil: null, environments: [], maxTokenLifetimeSeconds: 300, stepUp: { scopes: [], acr: null, maxAgeSeconds: null } },
    ...over,
  });
  const base = { clientId: "https://agent.example.com", audience: target.audience, resource: target.resource, scopes: ["read"], now: Date.parse("2027-01-01T00:00:00Z") };

  it("an exclusion by e-mail applies to a subject whose e-mail is unknown", () => {
    const p: CandidatePolicy = { id: "a", versionId: "a1", version: 1, suspended: null, doc: doc({ subjects: { include: { groups: ["eng"], users: [] }, exclude: { groups: [], users: ["Mallory@example.com"] } } }) };
    expect(evaluate([p], { ...base, subject: { sub: "m", groups: ["eng"] } }).decision).toBe("deny");
    expect(evaluate([p], { ...base, subject: { sub: "m", email: "mallory@EXAMPLE.com", groups: ["eng"] } }).decision).toBe("deny");
    expect(evaluate([p], { ...base, subject: { sub: "a", email: "alice@example.com", groups: ["eng"] } }).decision).toBe("allow");
  });

  it("a deny policy limited to environments applies when the environment is unknown; an allow policy does not", () => {
    const allow: CandidatePolicy = { id: "a", versionId: "a1", version: 1, suspended: null, doc: doc({}) };
    const deny: CandidatePolicy = { id: "d", versionId: "d1", version: 1, suspended: null, doc: doc({ effect: "deny", scopes: [], conditions: { ...doc({}).conditions, environments: ["production"] } }) };
    const subject = { sub: "a", groups: ["eng"] };
    expect(evaluate([allow, deny], { ...base, subject }).decision).toBe("deny");
    expect(evaluate([allow, deny], { ...base, subject, environment: "staging" }).decision).toBe("allow");
    expect(evaluate([allow, deny], { ...base, subject, environment: "production" }).decision).toBe("deny");
  });
});
