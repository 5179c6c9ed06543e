import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { OAuthError } from "@/lib/api/oauth-errors";
import { applyApiHeaders } from "@/lib/api/headers";
import { recordAudit } from "@/lib/audit/record";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { textProblem } from "@/lib/validation/strings";
import { clientInfo, type ClientInfo } from "@/lib/server/client";
import { ID_JAG_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "@/lib/xaa/protocol";
import { authenticateClient, type AuthenticatedClient, type ClientTrace } from "@/lib/xaa/client-auth";
import { decide, isKnownTarget, type DecideResult } from "@/lib/xaa/decide";
import { verifySubjectToken, type VerifiedSubject } from "@/lib/xaa/idp";
import { scopeString } from "@/lib/xaa/schema";
import { signIdJag } from "@/lib/xaa/signing-keys";

// POST /oauth/token (docs/xaa-token-exchange.md): RFC 8693 token exchange in which Portcullis is
// the enterprise IdP's side of enterprise-managed authorization and issues ID-JAGs
// (draft-ietf-oauth-identity-assertion-authz-grant). The order: grant type, client
// authentication, the request's shape, the subject token, the (audience, resource) pair, the
// policy decision (lib/xaa/decide.ts), then the ID-JAG, signed with the console's key
// (lib/xaa/signing-keys.ts). The ID-JAG is never logged or stored: the audit event
// `xaa.token_exchange` keeps its jti and claims; refusals are audited with their error code.

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).optional();

/** The form parameters read (RFC 6749 §3.2: others are ignored). Presence and values are
 * checked by the handler, so each gets its standard error code. */
export const tokenRequestSchema = z.object({
  grant_type: text(200),
  requested_token_type: text(200),
  subject_token: text(16_384),
  subject_token_type: text(200),
  actor_token: text(16_384),
  audience: text(2000),
  resource: text(2000),
  scope: text(8000),
  client_id: text(2000),
  client_secret: text(200),
  client_assertion: text(16_384),
  client_assertion_type: text(200),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

const invalidRequest = (description: string) => new OAuthError("invalid_request", description);

function parseScopes(scope: string | undefined): string[] {
  const scopes = (scope ?? "").split(" ").filter(Boolean);
  if (scopes.length > 200) throw new OAuthError("invalid_scope", "At most 200 scopes may be requested");
  const bad = scopes.find((s) => !scopeString.safeParse(s).success);
  if (bad !== undefined) throw new OAuthError("invalid_scope", "scope must be space-separated OAuth scope tokens (RFC 6749 §3.3)");
  return [...new Set(scopes)];
}

function absoluteUri(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.hash) throw new Error("fragment");
    return value;
  } catch {
    throw invalidRequest(`${name} must be an absolute URI without a fragment`);
  }
}

/** Why a policy refused, as the standard error (nothing of the policies themselves). */
function refusal(d: DecideResult): OAuthError {
  if (d.error === "insufficient_user_authentication") {
    const extra: Record<string, string | number> = {};
    if (d.stepUp?.acr) extra.acr_values = d.stepUp.acr;
    if (typeof d.stepUp?.maxAgeSeconds === "number") extra.max_age = d.stepUp.maxAgeSeconds;
    return new OAuthError("insufficient_user_authentication", "The requested scopes need a stronger or more recent authentication of the user: authenticate again and retry", { extra });
  }
  if (d.error === "invalid_target") return new OAuthError("invalid_target", "This audience fronts several MCP endpoints: name the resource");
  const allowMatched = d.explanation.some((e) => e.matched && e.effect === "allow");
  const denyMatched = d.explanation.some((e) => e.matched && e.effect === "deny");
  if (allowMatched && !denyMatched) return new OAuthError("invalid_scope", "None of the requested scopes may be granted to this client for this user");
  return new OAuthError("invalid_grant", "Policy does not allow this client to act for this user toward this audience");
}

interface Trace extends ClientTrace {
  client: ClientInfo;
  subject?: VerifiedSubject;
  decision?: DecideResult;
}

function subjectRecord(s: VerifiedSubject) {
  return { sub: s.sub, email: s.email ?? null, groups: s.groups, acr: s.acr ?? null, auth_time: s.authTime ?? null, iss: s.iss };
}

function requestRecord(p: TokenRequest) {
  return { audience: p.audience ?? null, resource: p.resource ?? null, scope: p.scope ?? null, requested_token_type: p.requested_token_type ?? null, subject_token_type: p.subject_token_type ?? null };
}

function decisionRecord(d: DecideResult) {
  return { decision: d.decision, scopes: d.scopes, policyIds: d.policyIds, reasons: d.reasons, ttl: d.ttl };
}

/** What an unauthenticated caller claimed, fit to store (text the database refuses is replaced). */
const storable = (v: string | undefined): string | null => (v === undefined ? null : v.length > 2000 || textProblem(v, false) ? "(not printable text)" : v);

async function audit(trace: Trace, data: Record<string, unknown>) {
  await recordAudit(db(), trace.agent ? { kind: "system", label: trace.agent.clientId } : { kind: "system", label: "token endpoint" }, {
    action: "xaa.token_exchange",
    target: trace.agent ? { type: "agent", id: trace.agent.id, label: trace.agent.slug } : undefined,
    data: { ...data, clientAuth: trace.method ?? null, claimedClientId: trace.agent ? undefined : storable(trace.claimedClientId), client: trace.client },
  });
}

export async function exchangeToken(req: Request, p: TokenRequest): Promise<Response> {
  const trace: Trace = { client: clientInfo(req.headers) };
  try {
    return await exchange(req, p, trace);
  } catch (err) {
    if (err instanceof OAuthError && err.status < 500) {
      // the refusal is what the caller gets, whether or not its record could be written
      await audit(trace, {
        outcome: "refused",
        error: err.code,
        error_description: err.description,
        request: requestRecord(p),
        subject: trace.subject ? subjectRecord(trace.subject) : null,
        decision: trace.decision ? decisionRecord(trace.decision) : null,
      }).catch((auditErr: unknown) => logger().error({ err: auditErr instanceof Error ? auditErr.message : String(auditErr) }, "a token exchange refusal could not be audited"));
    }
    throw err;
  }
}

async function exchange(req: Request, p: TokenRequest, trace: Trace): Promise<Response> {
  if (!p.grant_type) throw invalidRequest("grant_type is required");
  if (p.grant_type !== TOKEN_EXCHANGE_GRANT) throw new OAuthError("unsupported_grant_type", `This endpoint supports only ${TOKEN_EXCHANGE_GRANT}`);
  const client: AuthenticatedClient = await authenticateClient(req.headers.get("authorization"), p, trace);
  if (p.requested_token_type !== ID_JAG_TOKEN_TYPE) throw invalidRequest(`requested_token_type must be ${ID_JAG_TOKEN_TYPE}`);
  if (!p.subject_token) throw invalidRequest("subject_token is required");
  if (p.subject_token_type !== ID_TOKEN_TYPE) throw invalidRequest(`subject_token_type must be ${ID_TOKEN_TYPE}`);
  if (p.actor_token !== undefined) throw invalidRequest("actor_token is not supported");
  if (!p.audience) throw invalidRequest("audience is required: the issuer of the resource's authorization server");
  const audience = absoluteUri("audience", p.audience);
  const resource = p.resource === undefined ? null : absoluteUri("resource", p.resource);
  const scopes = parseScopes(p.scope);

  const subject = await verifySubjectToken(p.subject_token, client.agent.clientId);
  trace.subject = subject;
  if (!(await isKnownTarget(audience, resource))) throw new OAuthError("invalid_target", "No policy here targets this audience and resource");
  const d = await decide({ clientId: client.agent.clientId, subject, audience, resource, scopes });
  trace.decision = d;
  if (d.decision !== "allow" || d.scopes.length === 0) throw refusal(d);

  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    iss: env().PUBLIC_BASE_URL,
    sub: subject.sub,
    aud: d.audience ?? audience,
    client_id: client.agent.clientId,
    jti: randomBytes(16).toString("base64url"),
    iat,
    exp: iat + d.ttl,
    ...((d.resource ?? resource) ? { resource: d.resource ?? resource } : {}),
    scope: d.scopes.join(" "),
    ...(subject.email ? { email: subject.email } : {}),
    ...(typeof subject.authTime === "number" ? { auth_time: subject.authTime } : {}),
    ...(subject.acr ? { acr: subject.acr } : {}),
  };
  const { jwt, kid } = await signIdJag(claims);
  await audit(trace, {
    outcome: "issued",
    jti: claims.jti,
    kid,
    claims,
    request: requestRecord(p),
    subject: subjectRecord(subject),
    decision: decisionRecord(d),
    clientAssertionJti: client.jti ?? null,
  });
  const headers = applyApiHeaders(new Headers({ "cache-control": "no-store", pragma: "no-cache" }), { noStore: true });
  return Response.json({ access_token: jwt, issued_token_type: ID_JAG_TOKEN_TYPE, token_type: "N_A", expires_in: d.ttl, scope: claims.scope }, { headers });
}
