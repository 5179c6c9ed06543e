// The identifiers token exchange speaks (RFC 8693, RFC 7523, the ID-JAG draft), shared by the
// token endpoint and the authorization server metadata the fast path serves.

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_JAG_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id-jag";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const ID_JAG_JWT_TYPE = "oauth-id-jag+jwt";
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Algorithms accepted on client assertions (the agents' keys: EC, RSA, Ed25519). */
export const CLIENT_ASSERTION_ALGS = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA"] as const;
export const TOKEN_ENDPOINT_AUTH_METHODS = ["private_key_jwt", "client_secret_post", "client_secret_basic"] as const;
