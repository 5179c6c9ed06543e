import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { lockedAgent } from "@/lib/cimd/data";
import { env } from "@/lib/env";

// An agent's token-exchange client secret (docs/xaa-token-exchange.md): for agents that cannot
// sign a client assertion, e.g. the MCP SDK's cross-app access client, which sends client_secret
// in the form body. `pcxs_` + 32 random bytes; only its SHA-256 and a prefix are stored; it is
// shown once. It is valid only at /oauth/token (client_secret_post and client_secret_basic) and
// never part of the client metadata document. Issuing again replaces it (rotation); whoever may
// change the agent may issue or remove it; both are audited, never with the secret.

export const EXCHANGE_SECRET_PREFIX = "pcxs_";

export function hashExchangeSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export async function issueExchangeSecret(actor: Actor, agentId: string) {
  const secret = EXCHANGE_SECRET_PREFIX + randomBytes(32).toString("base64url");
  const prefix = secret.slice(0, 12);
  const issuedAt = new Date();
  const agent = await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId);
    await tx.agent.update({ where: { id: agent.id }, data: { exchangeSecretHash: hashExchangeSecret(secret), exchangeSecretPrefix: prefix, exchangeSecretIssuedAt: issuedAt } });
    const previous = agent.exchangeSecretPrefix ? { prefix: agent.exchangeSecretPrefix, issuedAt: agent.exchangeSecretIssuedAt?.toISOString() ?? null } : null;
    await recordAudit(tx, actor, {
      action: previous ? "agent.exchange_secret.rotate" : "agent.exchange_secret.issue",
      target: { type: "agent", id: agent.id, label: agent.slug },
      before: previous,
      after: { prefix, issuedAt: issuedAt.toISOString() },
    });
    return agent;
  });
  return {
    clientId: agent.clientId,
    secret,
    prefix,
    issuedAt: issuedAt.toISOString(),
    tokenEndpoint: `${env().PUBLIC_BASE_URL}/oauth/token`,
    authMethods: ["client_secret_post", "client_secret_basic"],
  };
}

/** Removes the agent's secret; 404 when it has none. */
export async function removeExchangeSecret(actor: Actor, agentId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const agent = await lockedAgent(tx, actor, agentId, { allowInactive: true });
    if (!agent.exchangeSecretPrefix) throw new ApiError("not_found", `${agent.slug} has no exchange secret`);
    await tx.agent.update({ where: { id: agent.id }, data: { exchangeSecretHash: null, exchangeSecretPrefix: null, exchangeSecretIssuedAt: null } });
    await recordAudit(tx, actor, {
      action: "agent.exchange_secret.remove",
      target: { type: "agent", id: agent.id, label: agent.slug },
      before: { prefix: agent.exchangeSecretPrefix, issuedAt: agent.exchangeSecretIssuedAt?.toISOString() ?? null },
    });
  });
}
