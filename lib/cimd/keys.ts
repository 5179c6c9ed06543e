import { createHash } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, importJWK } from "jose";
import { db, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { createVersion, json, lockedAgent, publishedDocument } from "@/lib/cimd/data";
import { jwksUriFor, keysOf, prepareDocument, type Jwk, type JsonObject } from "@/lib/cimd/documents";
import type { AddKeyInput } from "@/lib/cimd/schema";

// Keys for private_key_jwt. A generated pair's private half is answered once and never stored;
// a registered key is public only. Every key change is a new document version (four-eyes): the
// key goes into the document's `jwks`, or into the hosted set at <client_id>/jwks.json when the
// document names that as its `jwks_uri`. Adding keeps the other keys listed (rotation); retiring
// removes one. AgentKey rows remember where a key came from and when it stopped being served.

const REQUIRED = new Map<string, string[]>([
  ["EC", ["crv", "kty", "x", "y"]],
  ["RSA", ["e", "kty", "n"]],
  ["OKP", ["crv", "kty", "x"]],
]);
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public EC, RSA or OKP key. */
export function jwkThumbprint(jwk: Jwk): string {
  const members = REQUIRED.get(jwk.kty);
  if (!members) return createHash("sha256").update(JSON.stringify(jwk)).digest("base64url");
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m] ?? "")}`).join(",")}}`;
  return createHash("sha256").update(canonical).digest("base64url");
}

/** A public JWK reduced to what a key set publishes: its required members, kid, alg, use. */
function publicPart(jwk: Jwk): Jwk {
  const out: Jwk = { kty: jwk.kty };
  for (const m of REQUIRED.get(jwk.kty) ?? []) out[m] = jwk[m];
  for (const m of ["kid", "alg", "use"]) if (typeof jwk[m] === "string") out[m] = jwk[m];
  return out;
}

/** Checks a key someone registers: a well-formed public signing key (EC P-256/384/521, RSA >= 2048, Ed25519). */
export async function parsePublicJwk(input: Record<string, unknown>): Promise<Jwk> {
  const bad = (message: string, member = ""): never => {
    const field = `jwk${member ? `.${member}` : ""}`;
    throw new ApiError("validation_failed", `${field}: ${message}`, [{ field, message }]);
  };
  const kty = input.kty;
  const required = typeof kty === "string" ? REQUIRED.get(kty) : undefined;
  if (!required) return bad("kty must be EC, RSA or OKP", "kty");
  for (const m of PRIVATE_MEMBERS) if (Object.hasOwn(input, m)) bad(`is a private key member: register the public key only`, m);
  for (const m of required) if (typeof input[m] !== "string" || !input[m]) bad("is required", m);
  if (input.kid !== undefined && (typeof input.kid !== "string" || !/^[\x21-\x7e]{1,200}$/.test(input.kid))) bad("must be printable ASCII, at most 200 characters", "kid");
  if (input.use !== undefined && input.use !== "sig") bad('must be "sig" (these keys sign client assertions)', "use");
  const jwk = publicPart(input as Jwk);
  const alg = typeof input.alg === "string" ? input.alg : kty === "RSA" ? "RS256" : kty === "OKP" ? "EdDSA" : ({ "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" } as Record<string, string>)[String(input.crv)];
  if (!alg) bad("crv must be P-256, P-384 or P-521", "crv");
  try {
    await importJWK({ ...jwk, alg }, alg);
  } catch {
    bad("is not a valid public key for its kty and alg");
  }
  if (kty === "RSA" && Buffer.from(String(jwk.n), "base64url").length < 256) bad("an RSA key must be at least 2048 bits", "n");
  jwk.alg = alg;
  jwk.kid ??= jwkThumbprint(jwk);
  return jwk;
}

export async function generateKey(alg: "ES256" | "RS256") {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "RS256" ? { modulusLength: 2048 } : {}) });
  const pub = (await exportJWK(publicKey)) as Jwk;
  const kid = jwkThumbprint(pub);
  const publicJwk: Jwk = { ...publicPart(pub), kid, alg, use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: "sig" };
  return { publicJwk, privateKey: { pem: await exportPKCS8(privateKey), jwk: privateJwk } };
}

/** The version a key change builds on: the published one, else the newest submitted. */
async function baseVersion(tx: Tx, agent: { id: string; slug: string; currentVersionId: string | null }) {
  const where = agent.currentVersionId ? { id: agent.currentVersionId } : { agentId: agent.id };
  const base = await tx.agentVersion.findFirst({ where, orderBy: { number: "desc" } });
  if (!base) throw new ApiError("conflict", `${agent.slug} has no document yet: submit one first, then manage its keys`);
  return base;
}

/** Writes a key list into a copy of the document, where the document keeps its keys. */
function withKeys(document: JsonObject, keys: Jwk[], placement: "jwks" | "jwks_uri", clientId: string): { document: JsonObject; hostedJwks: { keys: Jwk[] } | null } {
  const next: JsonObject = { ...document };
  if (placement === "jwks") {
    delete next.jwks_uri;
    next.jwks = { keys };
    return { document: next, hostedJwks: null };
  }
  delete next.jwks;
  next.jwks_uri = jwksUriFor(clientId);
  return { document: next, hostedJwks: { keys } };
}

function placementOf(document: JsonObject, clientId: string, asked?: "jwks" | "jwks_uri"): "jwks" | "jwks_uri" {
  if (typeof document.jwks_uri === "string" && document.jwks_uri !== jwksUriFor(clientId)) {
    throw new ApiError("conflict", "The document names an external jwks_uri: its keys are managed there (edit the document to use jwks or the hosted key set)");
  }
  return asked ?? (document.jwks_uri === jwksUriFor(clientId) ? "jwks_uri" : "jwks");
}

/** Generates or registers a key; the document change goes to review as a new version. */
export async function addKey(actor: Actor, agentId: string, input: AddKeyInput) {
  const made = input.action === "generate" ? await generateKey(input.alg ?? "ES256") : { publicJwk: await parsePublicJwk(input.jwk), privateKey: undefined };
  const key = made.publicJwk;
  const result = await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const base = await baseVersion(tx, agent);
    const document = base.document as JsonObject;
    const current = keysOf(document, base.hostedJwks, agent.clientId);
    const thumbprint = jwkThumbprint(key);
    if (current.some((k) => k.kid === key.kid || jwkThumbprint(k) === thumbprint)) throw new ApiError("conflict", `${agent.slug} already lists this key (kid ${key.kid})`);
    const placement = placementOf(document, agent.clientId, input.placement);
    const changed = withKeys(document, [...current, key], placement, agent.clientId);
    if (changed.document.token_endpoint_auth_method === undefined) changed.document.token_endpoint_auth_method = "private_key_jwt";
    const prepared = prepareDocument(changed.document, agent, await publishedDocument(tx, agent), "document");
    const submitted = await createVersion(tx, actor, agent, prepared, "keys", changed.hostedJwks);
    // The key's record: made once; a retired key registered again keeps its history (approval
    // revives it), and a kid once used for other key material is refused.
    const known = await tx.agentKey.findUnique({ where: { agentId_kid: { agentId, kid: key.kid! } } });
    if (known && known.thumbprint !== thumbprint) throw new ApiError("conflict", `kid ${key.kid} was used for another key of ${agent.slug}: choose another kid`);
    if (!known) {
      await tx.agentKey.create({
        data: { agentId, kid: key.kid!, kty: key.kty, alg: (key.alg as string) ?? null, thumbprint, publicJwk: json(key), source: input.action === "generate" ? "generated" : "registered", createdById: actor.id },
      });
    }
    await recordAudit(tx, actor, {
      action: input.action === "generate" ? "agent.key.generate" : "agent.key.register",
      target: { type: "agent", id: agent.id, label: agent.slug },
      after: { kid: key.kid, alg: key.alg, thumbprint, placement, versionId: submitted.version.id, number: submitted.version.number },
    });
    return { key: { kid: key.kid!, kty: key.kty, alg: key.alg as string, thumbprint, publicJwk: key }, ...submitted };
  });
  return made.privateKey ? { ...result, privateKey: made.privateKey } : result;
}

/** Removes a key from the document (a new version in review); served until that is approved. */
export async function retireKey(actor: Actor, agentId: string, kid: string) {
  return db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    const base = await baseVersion(tx, agent);
    const document = base.document as JsonObject;
    const current = keysOf(document, base.hostedJwks, agent.clientId);
    const key = current.find((k) => k.kid === kid);
    if (!key) throw new ApiError("not_found", `${agent.slug} lists no key ${kid}`);
    const rest = current.filter((k) => k !== key);
    if (!rest.length && document.token_endpoint_auth_method === "private_key_jwt") {
      throw new ApiError("conflict", `${kid} is ${agent.slug}'s only key and it authenticates with private_key_jwt: add the new key first, then retire this one`);
    }
    const changed = withKeys(document, rest, placementOf(document, agent.clientId), agent.clientId);
    const prepared = prepareDocument(changed.document, agent, await publishedDocument(tx, agent), "document");
    const submitted = await createVersion(tx, actor, agent, prepared, "keys", changed.hostedJwks);
    await recordAudit(tx, actor, {
      action: "agent.key.retire",
      target: { type: "agent", id: agent.id, label: agent.slug },
      after: { kid, thumbprint: jwkThumbprint(key), versionId: submitted.version.id, number: submitted.version.number },
    });
    return submitted;
  });
}

export type KeyState = "active" | "pending" | "retiring" | "retired";

/** Every key the agent lists or listed: published, in review, retired. */
export async function listKeys(agentId: string) {
  const agent = await db().agent.findUnique({ where: { id: agentId }, select: { id: true, clientId: true, currentVersionId: true } });
  if (!agent) throw new ApiError("not_found", `Agent ${agentId} not found`);
  const [published, pending, rows] = await Promise.all([
    agent.currentVersionId ? db().agentVersion.findUnique({ where: { id: agent.currentVersionId } }) : null,
    db().agentVersion.findFirst({ where: { agentId, state: "pending" } }),
    db().agentKey.findMany({ where: { agentId }, orderBy: { createdAt: "asc" } }),
  ]);
  const users = await db().user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const live = published ? keysOf(published.document as JsonObject, published.hostedJwks, agent.clientId) : [];
  const next = pending ? keysOf(pending.document as JsonObject, pending.hostedJwks, agent.clientId) : null;
  const liveSet = new Set(live.map(jwkThumbprint));
  const nextSet = next ? new Set(next.map(jwkThumbprint)) : null;
  const meta = new Map(rows.map((r) => [r.thumbprint, r]));
  const seen = new Set<string>();
  const items: {
    kid: string | null; kty: string; alg: string | null; crv: string | null; thumbprint: string; source: string; state: KeyState;
    createdAt: string | null; createdBy: { id: string; name: string } | null; retiredAt: string | null;
  }[] = [];
  const push = (k: Jwk, state: KeyState) => {
    const t = jwkThumbprint(k);
    if (seen.has(t)) return;
    seen.add(t);
    const m = meta.get(t);
    items.push({
      kid: typeof k.kid === "string" ? k.kid : null,
      kty: k.kty,
      alg: typeof k.alg === "string" ? k.alg : (m?.alg ?? null),
      crv: typeof k.crv === "string" ? k.crv : null,
      thumbprint: t,
      source: m?.source ?? "document",
      state,
      createdAt: m?.createdAt.toISOString() ?? null,
      createdBy: m ? { id: m.createdById, name: names.get(m.createdById) ?? "" } : null,
      retiredAt: m?.retiredAt?.toISOString() ?? null,
    });
  };
  for (const k of live) push(k, nextSet && !nextSet.has(jwkThumbprint(k)) ? "retiring" : "active");
  for (const k of next ?? []) if (!liveSet.has(jwkThumbprint(k))) push(k, "pending");
  for (const r of rows) if (r.retiredAt) push(r.publicJwk as Jwk, "retired");
  const doc = (published ?? pending)?.document as JsonObject | undefined;
  const placement = doc?.jwks ? "jwks" : doc?.jwks_uri === jwksUriFor(agent.clientId) ? "jwks_uri" : doc?.jwks_uri ? "external" : null;
  return { placement, jwksUri: jwksUriFor(agent.clientId), items };
}
