import type { TokenJson } from "@/lib/client/types";

export type TokenStatus = "active" | "expired" | "revoked";

export function tokenStatus(t: Pick<TokenJson, "revokedAt" | "expiresAt">, now = Date.now()): TokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= now) return "expired";
  return "active";
}
