import { timingSafeEqual } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { db } from "@/lib/db";
import { prismaErrorCode } from "@/lib/api/errors";
import { OAuthError } from "@/lib/api/oauth-errors";
import { env } from "@/lib/env";
import { textProblem } from "@/lib/validation/strings";
import { jwksUriFor, keysOf, type JsonObject } from "@/lib/cimd/documents";
import { hashExchangeSecret } from "@/lib/xaa/exchange-secret";
import { CLIENT_ASSERTION_ALGS, CLIENT_ASSERTION_TYPE } from "@/lib/xaa/protocol";
import { KeySetUnavailable, remoteKeySet } from "@/lib/xaa/remote-jwks";

// Who is calling the token endpoint (docs/xaa-token-exchange.md): a Portcullis agent with an
// approved, published version, authenticated by
// - private_key_jwt (RFC 7523 §2.2): a client assertion signed with a key its published version
//   lists (the document's jwks, the hosted key set, or an external jwks_uri fetched through the
//   SSRF guard), iss = sub = client_id, aud this issuer or the token endpoint, a short lifetime,
//   and a jti never seen before (the AssertionJti primary key refuses a replay, even a racing one);
// - or its exchange secret (lib/xaa/exchange-secret.ts), in the body (client_secret_post) or the
//   Authorization header (client_secret_basic), compared by SHA-256 in constant time.
// Every failure is invalid_client (401; with WWW-Authenticate when Basic was tried). An assertion
// that fails any check writes nothing; a valid one records its jti whatever happens next.

/** The longest a client assertion may still be valid for when it arrives. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
export const CLOCK_SKEW_SECONDS = 60;

export type ClientAuthMethod = "private_key_jwt" | "client_secret_post" | "client_secret_basic";

export interface ClientParams {
  client_id?: string;
  client_secret?: string;
  client_assertion?: string;
  client_assertion_type?: string;
}

export interface AuthenticatedClient {
  agent: { id: string; slug: string; clientId: string };
  method: ClientAuthMethod;
  /** The client assertion's jti (private_key_jwt). */
  jti?: string;
}

/** What was learned before authentication failed (for the audit record). */
export interface ClientTrace {
  claimedClientId?: string;
  method?: ClientAuthMethod;
  agent?: { id: string; slug: string; clientId: string };
}

const BASIC_CHALLENGE = { "www-authenticate": 'Basic realm="portcullis", charset="UTF-8"' };

function fail(description: string, basic = false): never {
  throw new OAuthError("invalid_client", description, basic ? { headers: BASIC_CHALLENGE } : {});
}

/** `Authorization: Basic` credentials (RFC 6749 §2.3.1: each part form-encoded); null when absent. */
export function basicCredentials(header: string | null): { clientId: string; secret: string } | null {
  if (!header || !/^basic\s/i.test(header)) return null;
  const m = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!m) fail("The Authorization header is not valid Basic credentials", true);
  const text = Buffer.from(m[1], "base64").toString("utf8");
  // The secret has no colon; an unencoded client_id (a URL) does, so split at the last one.
  const colon = text.lastIndexOf(":");
  if (colon <= 0) fail("The Authorization header is not valid Basic credentials", true);
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { clientId: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
  } catch {
    return fail("The Authorization header is not valid Basic credentials", true);
  }
}

/** The agent behind a client_id, when it may use the token endpoint. The client_id is not yet
 * authenticated (a Basic header, a JWT's unverified iss): text the database cannot hold is an
 * unknown client, not a database error. The audit's actor is set only once authenticated. */
async function agentFor(clientId: string, basic: boolean) {
  if (clientId.length > 2000 || textProblem(clientId, false)) fail("Unknown client: client_id is not an agent registered here", basic);
  const agent = await db().agent.findUnique({
    where: { clientId },
    select: { id: true, slug: true, clientId: true, status: true, currentVersionId: true, exchangeSecretHash: true },
  });
  if (!agent || agent.status === "deleted") fail("Unknown client: client_id is not an agent registered here", basic);
  if (agent.status === "revoked") fail("This client has been revoked", basic);
  const version = agent.currentVersionId ? await db().agentVersion.findUnique({ where: { id: agent.currentVersionId }, select: { state: true, document: true, hostedJwks: true } }) : null;
  if (!version || version.state !== "approved") fail("This client has no approved, published version", basic);
  return { agent, version };
}

function secretMatches(secret: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(hashExchangeSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export async function authenticateClient(authorization: string | null, p: ClientParams, trace: ClientTrace): Promise<AuthenticatedClient> {
  const basic = basicCredentials(authorization);
  const methods = [basic && "client_secret_basic", p.client_secret !== undefined && "client_secret_post", (p.client_assertion !== undefined || p.client_assertion_type !== undefined) && "private_key_jwt"].filter(Boolean);
  if (methods.length > 1) throw new OAuthError("invalid_request", `Use one client authentication method, not ${methods.join(" and ")}`);
  if (basic) {
    trace.method = "client_secret_basic";
    trace.claimedClientId = basic.clientId;
    if (p.client_id !== undefined && p.client_id !== basic.clientId) throw new OAuthError("invalid_request", "client_id differs from the client authenticated by the Authorization header");
    const { agent } = await agentFor(basic.clientId, true);
    if (!secretMatches(basic.secret, agent.exchangeSecretHash)) fail("Client authentication failed: wrong client secret, or none issued", true);
    return authenticated(trace, agent, "client_secret_basic");
  }
  if (p.client_secret !== undefined) {
    trace.method = "client_secret_post";
    if (p.client_id === undefined) fail("client_secret needs client_id");
    trace.claimedClientId = p.client_id;
    const { agent } = await agentFor(p.client_id, false);
    if (!secretMatches(p.client_secret, agent.exchangeSecretHash)) fail("Client authentication failed: wrong client secret, or none issued");
    return authenticated(trace, agent, "client_secret_post");
  }
  if (p.client_assertion !== undefined || p.client_assertion_type !== undefined) {
    trace.method = "private_key_jwt";
    return assertionClient(p, trace);
  }
  if (p.client_id !== undefined) trace.claimedClientId = p.client_id;
  return fail("Client authentication is required: private_key_jwt, client_secret_post or client_secret_basic");
}

async function assertionClient(p: ClientParams, trace: ClientTrace): Promise<AuthenticatedClient> {
  if (p.client_assertion_type !== CLIENT_ASSERTION_TYPE) fail(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
  if (p.client_assertion === undefined) fail("client_assertion is required with client_assertion_type");
  let unverified: JWTPayload;
  let alg: string | undefined;
  try {
    unverified = decodeJwt(p.client_assertion);
    alg = decodeProtectedHeader(p.client_assertion).alg;
  } catch {
    return fail("client_assertion is not a JWT");
  }
  const clientId = typeof unverified.iss === "string" ? unverified.iss : undefined;
  if (!clientId) fail("client_assertion has no iss (it must be the client_id)");
  trace.claimedClientId = clientId;
  if (p.client_id !== undefined && p.client_id !== clientId) fail("client_id differs from the client_assertion's issuer");
  if (!alg || !(CLIENT_ASSERTION_ALGS as readonly string[]).includes(alg)) fail(`client_assertion must be signed with one of ${CLIENT_ASSERTION_ALGS.join(", ")}`);
  const { agent, version } = await agentFor(clientId, false);
  const document = version.document as JsonObject;
  const inline = keysOf(document, version.hostedJwks, clientId);
  const external = typeof document.jwks_uri === "string" && document.jwks_uri !== jwksUriFor(clientId) ? document.jwks_uri : null;
  if (!inline.length && !external) fail("This client publishes no keys to verify a client_assertion with");
  const keys = external ? remoteKeySet(external) : createLocalJWKSet({ keys: inline } as JSONWebKeySet);
  const base = env().PUBLIC_BASE_URL;
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(p.client_assertion, keys, {
      algorithms: [...CLIENT_ASSERTION_ALGS],
      issuer: clientId,
      subject: clientId,
      audience: [base, `${base}/oauth/token`],
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (err) {
    return fail(`client_assertion ${assertionProblem(err)}`);
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.exp! - now > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) fail(`client_assertion lives too long: exp must be at most ${MAX_ASSERTION_LIFETIME_SECONDS} s away`);
  if (typeof claims.iat === "number" && claims.iat > now + CLOCK_SKEW_SECONDS) fail("client_assertion was issued in the future (iat)");
  const jti = claims.jti;
  if (typeof jti !== "string" || jti.length < 1 || jti.length > 256 || textProblem(jti, false)) fail("client_assertion jti must be a string of 1 to 256 printable characters");
  try {
    await db().assertionJti.create({ data: { clientId, jti, expiresAt: new Date((claims.exp! + CLOCK_SKEW_SECONDS) * 1000) } });
  } catch (err) {
    if (prismaErrorCode(err) === "P2002") fail("client_assertion was already used (its jti was seen before)");
    throw err;
  }
  pruneJtis();
  return { ...authenticated(trace, agent, "private_key_jwt"), jti };
}

/** The client is who it says: from here on the audit record names the agent as the actor. */
function authenticated(trace: ClientTrace, agent: { id: string; slug: string; clientId: string }, method: ClientAuthMethod): AuthenticatedClient {
  trace.agent = { id: agent.id, slug: agent.slug, clientId: agent.clientId };
  return { agent: trace.agent, method };
}

function assertionProblem(err: unknown): string {
  // why a key set could not be fetched (an address, an allow-list) is for the log, not the caller
  if (err instanceof KeySetUnavailable) return "cannot be verified: the client's published key set cannot be fetched right now";
  if (err instanceof errors.JWTExpired) return "has expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "aud") return "aud must be this issuer or its token endpoint";
    if (err.claim === "iss" || err.claim === "sub") return "iss and sub must both be the client_id";
    if (err.claim === "nbf") return "is not valid yet (nbf)";
    return `has an invalid or missing ${err.claim} claim`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return "is not signed by a key the client publishes";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "signature does not verify with the client's published keys";
  if (err instanceof errors.JOSEAlgNotAllowed) return "is signed with an algorithm that is not accepted";
  return "is not a valid signed JWT";
}

// Expired jtis are deleted at most once a minute per process (an index on expiresAt).
let lastPrune = 0;
function pruneJtis(): void {
  const now = Date.now();
  if (now - lastPrune < 60_000) return;
  lastPrune = now;
  // a margin, so a replica whose clock runs fast does not forget a jti another still accepts
  void db()
    .assertionJti.deleteMany({ where: { expiresAt: { lt: new Date(now - 5 * 60_000) } } })
    .catch(() => {});
}
