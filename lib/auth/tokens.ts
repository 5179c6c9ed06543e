import { createHash, randomBytes } from "node:crypto";

// API tokens: `pcl_` + 32 random bytes (base64url). Only the SHA-256 is stored: the token has
// 256 bits of entropy, so a slow KDF adds nothing and would slow every API call.

export const TOKEN_PREFIX = "pcl_";

export function newToken(): { token: string; prefix: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, 12), hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function prefixOf(token: string): string {
  return token.slice(0, 12);
}
