import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { CORS, sendError, sendJson, sendPrecomputed } from "@/lib/public/http";
import { JWKS_MAX_AGE_SECONDS, publishedKeys } from "@/lib/xaa/signing-keys";
import { CLIENT_ASSERTION_ALGS, ID_JAG_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_ENDPOINT_AUTH_METHODS, TOKEN_EXCHANGE_GRANT } from "@/lib/xaa/protocol";

// Portcullis as the IdP side of enterprise-managed authorization (docs/xaa-token-exchange.md):
// RFC 8414 authorization server metadata naming the token endpoint (/oauth/token, a Next route)
// and the key set ID-JAGs are verified with. Both are public, cacheable reads from memory.
//
// There is no authorization code flow here, but RFC 8414 metadata readers such as the MCP SDK
// require `authorization_endpoint` and `response_types_supported`: the metadata lists no
// response types, and the authorization endpoint refuses every request with
// `unsupported_response_type` (RFC 6749 §4.1.2.1, answered directly: there is no client whose
// redirect URI could be trusted).

export const JWKS_PATH = "/.well-known/jwks.json";
export const AS_METADATA_PATH = "/.well-known/oauth-authorization-server";
export const AUTHORIZE_PATH = "/oauth/authorize";
export const OAUTH_SERVER_PATHS: ReadonlySet<string> = new Set([JWKS_PATH, AS_METADATA_PATH, AUTHORIZE_PATH]);

export const tokenEndpoint = (): string => `${env().PUBLIC_BASE_URL}/oauth/token`;

export function authorizationServerMetadata() {
  const base = env().PUBLIC_BASE_URL;
  return {
    issuer: base,
    authorization_endpoint: `${base}${AUTHORIZE_PATH}`,
    token_endpoint: tokenEndpoint(),
    jwks_uri: `${base}${JWKS_PATH}`,
    response_types_supported: [],
    grant_types_supported: [TOKEN_EXCHANGE_GRANT],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    identity_chaining_requested_token_types_supported: [ID_JAG_TOKEN_TYPE],
    requested_token_types_supported: [ID_JAG_TOKEN_TYPE],
    subject_token_types_supported: [ID_TOKEN_TYPE],
    client_id_metadata_document_supported: true,
  };
}

const ALLOW = "GET, HEAD, OPTIONS";

// The key set's body and ETag, made once per distinct set.
let jwksCache: { signature: string; body: Buffer; etag: string } | null = null;

function jwksBody(keys: Record<string, unknown>[]) {
  const signature = keys.map((k) => String(k.kid)).join(",");
  if (jwksCache?.signature !== signature) {
    const body = Buffer.from(JSON.stringify({ keys }));
    jwksCache = { signature, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
  }
  return jwksCache;
}

export async function handleOAuthServer(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (!OAUTH_SERVER_PATHS.has(path)) return false;
  if (path === AUTHORIZE_PATH) {
    const body = { error: "unsupported_response_type", error_description: "This server issues tokens only by token exchange at its token endpoint" };
    sendJson(req, res, 400, body, { "cache-control": "no-store" });
  } else if (req.method === "OPTIONS") {
    res.writeHead(204, { ...CORS, allow: ALLOW, "access-control-allow-methods": ALLOW });
    res.end();
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(req, res, 405, `${req.method} is not allowed here`, { ...CORS, allow: ALLOW });
  } else if (path === JWKS_PATH) {
    const p = jwksBody(await publishedKeys());
    sendPrecomputed(req, res, p, { ...CORS, "cache-control": `public, max-age=${JWKS_MAX_AGE_SECONDS}` });
  } else {
    sendJson(req, res, 200, authorizationServerMetadata(), { ...CORS, "cache-control": "public, max-age=300" });
  }
  return true;
}
