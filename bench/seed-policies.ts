// Seeds a database for bench/xaa-decide.mjs, and generates what it sends: N delegation policies
// (default 10,000) over S approved catalog servers (default 200, each with a streamable-http
// remote and its authorization server's issuer recorded), a gateway service account with an API
// token, and the request mix. Everything is generated from a fixed seed, so the benchmark's
// in-process worker builds the very same policies (same ids, same documents) as this script
// writes, and knows what each request should be answered.
//
// The rows are written straight with createMany (the benchmark measures deciding, not reviewing
// 10,000 submissions); each document is what createPolicy stores: the input through
// policyInputSchema (every default filled) with the target normalised to {server, audience,
// resource}. To keep that honest, the first policy also goes through the real lifecycle
// (createPolicy, then decideReview by another person) and its stored document must equal the
// generated one (keys sorted) before the rows are written; that check policy is then removed.
//   DATABASE_URL=… DATA_DIR=… BENCH_TOKEN=pcl_… tsx bench/seed-policies.ts <policies> <servers>
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CandidatePolicy } from "../lib/xaa/evaluate";
import type { DecideInput } from "../lib/xaa/decide";
import { decisionRequestSchema, EVERYONE, policyInputSchema, type PolicyDocument } from "../lib/xaa/schema";

const WORDS = ["jira", "github", "slack", "drive", "salesforce", "zendesk", "postgres", "snowflake", "confluence", "calendar"];
const ACTIONS = ["read", "write", "admin", "delete", "export"];
const DEPTS = ["engineering", "support", "sales", "finance", "hr", "legal", "ops", "data", "security", "marketing"];
/** The enterprise's authorization servers (one per business unit). */
export const ISSUERS = Array.from({ length: 5 }, (_, j) => `https://login.example.com/oauth2/aus${j}`);
export const GROUPS = DEPTS.flatMap((d) => Array.from({ length: 12 }, (_, n) => `${d}-${n}`));
/** External client_ids: half URL-shaped (CIMD-style), half opaque (IdP-registered). */
export const AGENTS = Array.from({ length: 400 }, (_, n) => (n % 2 ? `https://agents.example.net/${DEPTS[n % DEPTS.length]}/assistant-${n}` : `0oa${(n * 2654435761 % 4294967296).toString(16).padStart(8, "0")}agent${n}`));
const ENVIRONMENTS = ["production", "staging", "development"];
const STEP_UP_ACR = "phr";

export interface BenchServer {
  id: string;
  versionId: string;
  name: string;
  url: string;
  issuer: string;
  scopes: string[];
}

export interface BenchPolicy {
  id: string;
  versionId: string;
  server: BenchServer;
  /** What a caller would send (optional parts sometimes left out). */
  input: Record<string, unknown>;
  /** The normalised document, as stored. */
  doc: PolicyDocument;
}

/** mulberry32: a small seeded PRNG, so every process generates the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const some = <T>(xs: readonly T[], min: number, max: number): T[] => {
    const n = Math.min(xs.length, min + int(max - min + 1));
    const out = new Set<T>();
    while (out.size < n) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, some };
}

export function generateServers(count: number): BenchServer[] {
  return Array.from({ length: count }, (_, k) => {
    const word = WORDS[k % WORDS.length];
    return {
      id: `xs${k}`,
      versionId: `xs${k}v1`,
      name: `com.example.xaa${Math.floor(k / 20)}/${word}-${k}`,
      url: `https://${word}-${k}.mcp.example.com/mcp`,
      issuer: ISSUERS[k % ISSUERS.length],
      scopes: ACTIONS.map((a) => `${word}:${a}`),
    };
  });
}

/** The normalised document createPolicy would store for this input and server. */
export function normalised(input: Record<string, unknown>, server: BenchServer): PolicyDocument {
  const parsed = policyInputSchema.parse(input);
  return { ...parsed, target: { server: server.name, audience: parsed.target.audience, resource: parsed.target.resource ?? server.url } };
}

/** The policies, spread evenly over the servers (so each (audience, resource) pair has N/S). */
export function generatePolicies(count: number, servers: BenchServer[]): BenchPolicy[] {
  const r = prng(9);
  return Array.from({ length: count }, (_, i) => {
    const server = servers[i % servers.length];
    const [read, write, admin, del, exp] = server.scopes;
    const deny = r.next() < 0.1;
    const include = { groups: r.next() < 0.05 ? [EVERYONE] : r.some(GROUPS, 1, 3), users: r.next() < 0.1 ? [`user${r.int(5000)}@example.com`] : [] };
    const input: Record<string, unknown> = {
      name: `${server.name.split("/")[1]} ${deny ? "deny" : "access"} ${i}`,
      ...(r.next() < 0.3 ? { description: `Delegated access for policy ${i}` } : {}),
      effect: deny ? "deny" : "allow",
      agents: r.some(AGENTS, 1, 4),
      subjects: { include, ...(r.next() < 0.15 ? { exclude: { groups: [r.pick(GROUPS)] } } : {}) },
      target: { server: server.name, audience: server.issuer, ...(r.next() < 0.5 ? { resource: server.url } : {}) },
      scopes: deny ? (r.next() < 0.4 ? [] : [r.pick([admin, del, exp])]) : r.some([read, read, read, write, write, admin, exp], 1, 3),
    };
    const conditions: Record<string, unknown> = {};
    const c = r.next();
    if (c < 0.1) conditions.environments = r.next() < 0.5 ? ["production"] : ["production", "staging"];
    else if (c < 0.14) conditions.validUntil = "2025-06-30T00:00:00Z";
    else if (c < 0.16) conditions.validFrom = "2099-01-01T00:00:00Z";
    if (r.next() < 0.5) conditions.maxTokenLifetimeSeconds = r.pick([120, 600, 900, 3600]);
    const scopes = input.scopes as string[];
    if (!deny && scopes.includes(admin) && r.next() < 0.5) conditions.stepUp = { scopes: [admin], acr: STEP_UP_ACR, ...(r.next() < 0.5 ? { maxAgeSeconds: 900 } : {}) };
    if (Object.keys(conditions).length) input.conditions = conditions;
    return { id: `xp${i}`, versionId: `xp${i}v1`, server, input, doc: normalised(input, server) };
  });
}

/** The candidates the console's index would hold for these policies (none suspended). */
export function candidatesOf(policies: BenchPolicy[]): CandidatePolicy[] {
  return policies.map((p) => ({ id: p.id, versionId: p.versionId, version: 1, doc: JSON.parse(JSON.stringify(p.doc)) as PolicyDocument, suspended: null }));
}

/**
 * Decision request bodies as an IdP or gateway sends them: most aimed at one policy's target
 * with that policy's agent, a group it includes and some of its scopes (so many are allowed),
 * some with another agent, group or scope, some naming only the resource, a few an unknown target.
 */
export function requestMix(count: number, policies: BenchPolicy[], servers: BenchServer[], now = Date.now()): Record<string, unknown>[] {
  const r = prng(17);
  const recent = Math.floor(now / 1000) - 120;
  const old = Math.floor(now / 1000) - 7 * 86_400;
  return Array.from({ length: count }, (_, j) => {
    const kind = r.next();
    const p = r.pick(policies);
    const server = kind < 0.9 ? p.server : r.pick(servers);
    const aimed = kind < 0.85;
    const doc = p.doc;
    const user = r.int(5000);
    const email = aimed && doc.subjects.include.users.length && r.next() < 0.5 ? doc.subjects.include.users[0] : `user${user}@example.com`;
    const own = doc.subjects.include.groups.filter((g) => g !== EVERYONE);
    const groups = new Set(aimed && own.length && r.next() < 0.85 ? [r.pick(own)] : []);
    for (const g of r.some(GROUPS, 0, 3)) groups.add(g);
    let scopes: string[];
    const s = r.next();
    if (s < 0.15) scopes = [];
    else if (aimed && s < 0.85) scopes = [...new Set([...r.some(doc.scopes.length ? doc.scopes : server.scopes, 1, 2), ...(r.next() < 0.2 ? [r.pick(server.scopes)] : [])])];
    else scopes = r.some(server.scopes, 1, 3);
    const e = r.next();
    const body: Record<string, unknown> = {
      client_id: aimed && r.next() < 0.85 ? r.pick(doc.agents) : r.pick(AGENTS),
      subject: { sub: `00u${user.toString(36)}${j}`, email, groups: [...groups], ...(r.next() < 0.3 ? { acr: STEP_UP_ACR } : {}), auth_time: r.next() < 0.7 ? recent : old },
      scopes,
      ...(e < 0.5 ? { environment: "production" } : e < 0.8 ? { environment: r.pick(ENVIRONMENTS) } : {}),
    };
    if (kind >= 0.95) Object.assign(body, { audience: server.issuer, resource: `https://unknown-${j}.mcp.example.com/mcp` });
    else if (r.next() < 0.05) body.resource = server.url;
    else Object.assign(body, { audience: server.issuer, resource: server.url });
    return body;
  });
}

/** A request body as the decision point maps it (lib/public/xaa.ts), after its schema. */
export function decideInputOf(body: unknown): DecideInput {
  const r = decisionRequestSchema.parse(body);
  return {
    clientId: r.client_id,
    subject: { sub: r.subject.sub, email: r.subject.email ?? null, groups: r.subject.groups, acr: r.subject.acr ?? null, authTime: r.subject.auth_time ?? null },
    audience: r.audience ?? null,
    resource: r.resource ?? null,
    scopes: r.scopes,
    environment: r.environment ?? null,
  };
}

/** JSON with object keys sorted (arrays keep their order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

async function seed(policyCount: number, serverCount: number) {
  const { db } = await import("../lib/db");
  const { migrate } = await import("../lib/db/migrate");
  const { hashToken, prefixOf } = await import("../lib/auth/tokens");
  const { createPolicy } = await import("../lib/xaa/data");
  const { decideReview } = await import("../lib/reviews/data");
  await import("../lib/reviews/handlers");
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const token = process.env.BENCH_TOKEN;
  if (!token) throw new Error("BENCH_TOKEN is not set");
  await migrate(url);
  const client = db();
  const t0 = Date.now();
  const owner = "xaa-publisher";
  await client.user.createMany({
    data: [
      { id: owner, kind: "human", email: "publisher@bench.example.com", name: "Bench publisher", role: "publisher" },
      { id: "xaa-approver", kind: "human", email: "approver@bench.example.com", name: "Bench approver", role: "approver" },
      { id: "xaa-gateway", kind: "service", name: "Bench gateway", role: "gateway", createdById: owner },
    ],
  });
  await client.apiToken.create({ data: { userId: "xaa-gateway", name: "bench decisions", prefix: prefixOf(token), tokenHash: hashToken(token), createdById: owner } });

  const servers = generateServers(serverCount);
  const at = new Date(Date.UTC(2026, 0, 1));
  await client.server.createMany({ data: servers.map((s) => ({ id: s.id, name: s.name, authIssuer: s.issuer, tags: `,${s.name.split("/")[1].split("-")[0]},`, createdById: owner })) });
  await client.serverVersion.createMany({
    data: servers.map((s) => {
      const document = { $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json", name: s.name, description: `MCP server ${s.name}`, version: "1.0.0", remotes: [{ type: "streamable-http", url: s.url }] };
      return { id: s.versionId, serverId: s.id, version: "1.0.0", document, description: document.description, transports: "streamable-http", warnings: [], state: "approved" as const, status: "active" as const, statusChangedAt: at, publishedAt: at, isLatest: true, source: "import", submittedById: owner };
    }),
  });

  const policies = generatePolicies(policyCount, servers);
  // The lifecycle check: the product's own createPolicy and approval store this very document.
  const publisher = { id: owner, kind: "human" as const, name: "Bench publisher", email: "publisher@bench.example.com", role: "publisher" as const, via: "cli" as const };
  const approver = { id: "xaa-approver", kind: "human" as const, name: "Bench approver", email: "approver@bench.example.com", role: "approver" as const, via: "cli" as const };
  const made = await createPolicy(publisher, policyInputSchema.parse(policies[0].input));
  await decideReview(approver, made.review.id, { decision: "approve" });
  const stored = await client.policyVersion.findUniqueOrThrow({ where: { id: made.version.id }, include: { policy: true } });
  // Compared with keys sorted: PostgreSQL's jsonb keeps its own key order.
  const want = canonical(policies[0].doc);
  if (canonical(stored.document) !== want || stored.state !== "approved" || stored.policy.activeVersionId !== stored.id) {
    throw new Error(`createPolicy stores another document than the seed writes:\n  stored    ${canonical(stored.document)}\n  generated ${want}`);
  }
  await client.review.deleteMany({ where: { subjectId: made.version.id } });
  await client.policy.delete({ where: { id: made.id } });

  for (let start = 0; start < policies.length; start += 500) {
    const batch = policies.slice(start, start + 500);
    await client.policy.createMany({ data: batch.map((p) => ({ id: p.id, name: p.doc.name, enabled: true, activeVersionId: p.versionId, createdById: owner, createdAt: at })) });
    await client.policyVersion.createMany({
      data: batch.map((p) => ({
        id: p.versionId,
        policyId: p.id,
        number: 1,
        name: p.doc.name,
        document: JSON.parse(JSON.stringify(p.doc)),
        effect: p.doc.effect,
        serverId: p.server.id,
        audience: p.doc.target.audience,
        resource: p.doc.target.resource,
        state: "approved" as const,
        submittedById: owner,
        approvedAt: at,
        createdAt: at,
      })),
    });
  }
  await client.$disconnect();
  const denies = policies.filter((p) => p.doc.effect === "deny").length;
  console.log(`seeded ${policies.length} policies (${denies} deny) over ${servers.length} approved servers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await seed(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 200));
}
