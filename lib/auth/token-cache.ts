import { createHash } from "node:crypto";
import type { Tx } from "@/lib/db";
import { actorFromBearer, type Actor } from "@/lib/auth/actor";
import { follower } from "@/lib/public/follower";
import { bumpSignal, onSignal, signalChanged, TOKENS_SIGNAL } from "@/lib/public/signal";
import type { ClientInfo } from "@/lib/server/client";

// Bearer tokens as the public fast path checks them (the decision point is called thousands of
// times a second by a handful of service accounts): the actor a token resolved to, kept in
// memory for at most ENTRY_TTL_MS. Revoking a token, disabling an account or changing its role
// bumps the tokens signal in the same transaction; every process forgets its whole cache when
// the signal moves (at once in this process and, on PostgreSQL, through LISTEN/NOTIFY; within
// the 500 ms poll otherwise), so a revoked token stops working within a second everywhere.
// Only successful lookups are cached, keyed by the token's SHA-256, never the token.

const ENTRY_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  actor: Actor;
  until: number;
  expiresAt: number | null;
}

const cache = follower<Map<string, Entry>>(TOKENS_SIGNAL, async () => new Map());
// A change in this process empties the map at once, before the follower's rebuild (which reads the
// generation from the database first) has run.
onSignal(TOKENS_SIGNAL, () => cache.last()?.clear());

export const bumpTokens = (tx: Tx): Promise<void> => bumpSignal(tx, TOKENS_SIGNAL);
export const tokensChanged = (): void => signalChanged(TOKENS_SIGNAL);
export const startTokenCacheFollower = (pollMs = 500): (() => void) => cache.start(pollMs);
export const resetTokenCache = (): void => cache.reset();

const keyOf = (token: string) => createHash("sha256").update(token).digest("base64url");

/** The actor a bearer token stands for, from memory when it was looked up lately. */
export async function cachedBearerActor(token: string, client: ClientInfo): Promise<Actor | null> {
  const entries = cache.peek() ?? (await cache.get());
  const key = keyOf(token);
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.until > now && (hit.expiresAt === null || hit.expiresAt > now)) {
    return { ...hit.actor, clientAddress: client.address, userAgent: client.userAgent };
  }
  const actor = await actorFromBearer(token, client);
  if (!actor) {
    entries.delete(key);
    return null;
  }
  // A change that landed while we looked the token up has replaced the map: store nothing stale.
  if (cache.peek() !== entries) return actor;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { actor, until: now + ENTRY_TTL_MS, expiresAt: actor.tokenExpiresAt ?? null });
  return actor;
}
