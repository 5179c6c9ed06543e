import { errors, jwtVerify, type JWTPayload } from "jose";
import { OAuthError } from "@/lib/api/oauth-errors";
import { env } from "@/lib/env";
import { getSettings } from "@/lib/settings/data";
import { textProblem } from "@/lib/validation/strings";
import type { DecisionSubject } from "@/lib/xaa/evaluate";
import { KeySetUnavailable, remoteKeySet } from "@/lib/xaa/remote-jwks";

// The subject token of a token exchange: an ID token from the enterprise IdP (XAA_IDP_ISSUER, or
// the xaaIdp* settings), verified against its key set (XAA_IDP_JWKS_URI, fetched through the SSRF guard and cached,
// lib/xaa/remote-jwks.ts): signature, issuer, expiry, and that it was issued to the client asking
// (aud, and azp when present). What the decision reads from it: sub, email (unless the IdP says
// it is unverified), groups (claim XAA_IDP_GROUPS_CLAIM), acr and auth_time.

export const SUBJECT_TOKEN_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
export const MAX_GROUPS = 2000;
const CLOCK_SKEW_SECONDS = 60;

export interface VerifiedSubject extends DecisionSubject {
  groups: string[];
  /** The subject token's own expiry and issuer (for the audit record). */
  exp: number;
  iss: string;
}

const refuse = (description: string): never => {
  throw new OAuthError("invalid_grant", description);
};

/** The groups a claim value holds: an array of strings, or one string; unusable entries are
 * left out (no policy can name them). */
export function groupsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const groups = list.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 200 && !textProblem(g, false));
  if (groups.length > MAX_GROUPS) refuse(`The subject token lists more than ${MAX_GROUPS} groups`);
  return [...new Set(groups)];
}

/** The IdP token exchange trusts: the settings when an admin set them (issuer and key set go
 * together), else the XAA_IDP_* environment variables. */
export async function identityProvider(): Promise<{ issuer: string | null; jwksUri: string | null; groupsClaim: string }> {
  const s = await getSettings();
  const e = env();
  const fromSettings = s.xaaIdpIssuer !== null && s.xaaIdpJwksUri !== null;
  return {
    issuer: fromSettings ? s.xaaIdpIssuer : (e.XAA_IDP_ISSUER ?? null),
    jwksUri: fromSettings ? s.xaaIdpJwksUri : (e.XAA_IDP_JWKS_URI ?? null),
    groupsClaim: s.xaaIdpGroupsClaim ?? e.XAA_IDP_GROUPS_CLAIM,
  };
}

export async function verifySubjectToken(token: string, clientId: string): Promise<VerifiedSubject> {
  const { issuer, jwksUri, groupsClaim } = await identityProvider();
  if (!issuer || !jwksUri) throw new OAuthError("invalid_grant", "This server does not accept subject tokens: no identity provider is configured (XAA_IDP_ISSUER, XAA_IDP_JWKS_URI, or the settings)");
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, remoteKeySet(jwksUri), {
      algorithms: SUBJECT_TOKEN_ALGS,
      issuer,
      audience: clientId,
      requiredClaims: ["sub", "exp", "iat"],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (err) {
    if (err instanceof KeySetUnavailable) throw new OAuthError("temporarily_unavailable", "The identity provider's keys cannot be fetched right now; try again shortly", { status: 503, headers: { "retry-after": "5" } });
    return refuse(`The subject token ${subjectProblem(err)}`);
  }
  if (claims.azp !== undefined && claims.azp !== clientId) refuse("The subject token was issued to another client (azp)");
  // An ID token, not another JWT the IdP signs for this client (a back-channel logout token has
  // `events`), and not issued in the future (jose checks iat only with a maximum age).
  if (claims.events !== undefined) refuse("The subject token is not an ID token (it carries events: a logout token)");
  if (typeof claims.iat === "number" && claims.iat > Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS) refuse("The subject token was issued in the future (iat)");
  if (typeof claims.sub !== "string" || !claims.sub || claims.sub.length > 320 || textProblem(claims.sub, false)) refuse("The subject token's sub is not a usable subject identifier");
  // Only an e-mail the IdP vouches for: some IdPs omit email_verified and let users set any
  // address, and policies (and resource servers, from the ID-JAG) match people by it.
  const verified = claims.email_verified === true || claims.email_verified === "true";
  const email = typeof claims.email === "string" && verified && claims.email.length <= 320 && !textProblem(claims.email, false) ? claims.email : null;
  const acr = typeof claims.acr === "string" && claims.acr.length <= 200 && !textProblem(claims.acr, false) ? claims.acr : null;
  const authTime = typeof claims.auth_time === "number" && Number.isInteger(claims.auth_time) && claims.auth_time >= 0 ? claims.auth_time : null;
  return { sub: claims.sub!, email, groups: groupsOf(claims[groupsClaim]), acr, authTime, exp: claims.exp!, iss: issuer };
}

function subjectProblem(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "has expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "aud") return "was not issued to this client (aud)";
    if (err.claim === "iss") return "was not issued by the trusted identity provider (iss)";
    if (err.claim === "nbf") return "is not valid yet (nbf)";
    if (err.claim === "iat") return "has an invalid issue time (iat)";
    return `has an invalid or missing ${err.claim} claim`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return "is not signed by a key of the identity provider";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "signature does not verify with the identity provider's keys";
  if (err instanceof errors.JOSEAlgNotAllowed) return "is signed with an algorithm that is not accepted";
  return "is not a valid signed JWT";
}
