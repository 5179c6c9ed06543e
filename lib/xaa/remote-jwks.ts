import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTHeaderParameters, type FlattenedJWSInput } from "jose";
import { outboundFetch } from "@/lib/net/outbound";

// A key set someone else publishes (the enterprise IdP's JWKS, an agent's external jwks_uri),
// fetched through the SSRF guard and held as a jose local key set. A token naming a kid the set
// does not have triggers a refetch, at most once per REFETCH_COOLDOWN_MS (a flood of forged kids
// cannot turn into a flood of fetches); the set is also refreshed after MAX_AGE_MS.

export const REFETCH_COOLDOWN_MS = 30_000;
export const MAX_AGE_MS = 600_000;
/** After a failed first fetch, requests are refused for this long before the next attempt. */
export const FAILED_FETCH_COOLDOWN_MS = 5_000;
const MAX_JWKS_BYTES = 256 * 1024;

/** The key set could not be fetched (the remote is down or answers nonsense). */
export class KeySetUnavailable extends Error {}

type KeyGetter = ReturnType<typeof createLocalJWKSet>;

interface Entry {
  keys: KeyGetter | null;
  fetchedAt: number;
  inflight: Promise<void> | null;
}

export interface RemoteKeySet {
  /** A jose key getter for jwtVerify. */
  (header: JWTHeaderParameters, token: FlattenedJWSInput): ReturnType<KeyGetter>;
  /** How many times the set was fetched (tests). */
  readonly fetches: number;
}

const sets = new Map<string, { entry: Entry; getter: RemoteKeySet }>();

async function load(uri: string, entry: Entry): Promise<void> {
  entry.inflight ??= (async () => {
    try {
      entry.fetchedAt = Date.now();
      fetches.set(uri, (fetches.get(uri) ?? 0) + 1);
      const res = await outboundFetch(uri, { accept: "application/json", maxBytes: MAX_JWKS_BYTES, timeoutMs: 5000 }).catch((err: unknown) => {
        throw new KeySetUnavailable(`the key set at ${uri} could not be fetched: ${err instanceof Error ? err.message : String(err)}`);
      });
      if (res.status !== 200) throw new KeySetUnavailable(`the key set at ${uri} answered ${res.status}`);
      let body: unknown;
      try {
        body = res.json();
      } catch {
        throw new KeySetUnavailable(`the key set at ${uri} is not JSON`);
      }
      const keys = (body as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys)) throw new KeySetUnavailable(`the key set at ${uri} has no "keys" array`);
      entry.keys = createLocalJWKSet({ keys: keys.filter((k) => typeof k === "object" && k !== null) } as JSONWebKeySet);
    } finally {
      entry.inflight = null;
    }
  })();
  return entry.inflight;
}

const fetches = new Map<string, number>();

/** The key set at `uri` (one per URI per process). */
export function remoteKeySet(uri: string): RemoteKeySet {
  const known = sets.get(uri);
  if (known) return known.getter;
  const entry: Entry = { keys: null, fetchedAt: 0, inflight: null };
  const getter = (async (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
    if (!entry.keys) {
      // never fetched, or the first fetch failed: try again, but not for every request (a flood
      // of tokens naming an unreachable key set must not become a flood of outbound fetches)
      if (entry.fetchedAt && Date.now() - entry.fetchedAt < FAILED_FETCH_COOLDOWN_MS) throw new KeySetUnavailable(`the key set at ${uri} could not be fetched a moment ago`);
      await load(uri, entry);
    }
    else if (Date.now() - entry.fetchedAt > MAX_AGE_MS) {
      // Stale: refresh, but keep verifying with the keys we have when the remote is down.
      await load(uri, entry).catch((err: unknown) => {
        if (!(err instanceof KeySetUnavailable)) throw err;
      });
    }
    try {
      return await entry.keys!(header, token);
    } catch (err) {
      // An unknown kid may be a key the remote added since we fetched: look again, not too often.
      if (err instanceof errors.JWKSNoMatchingKey && Date.now() - entry.fetchedAt >= REFETCH_COOLDOWN_MS) {
        // a remote that is down now does not turn a token with a made-up kid into a 503
        const reloaded = await load(uri, entry).then(
          () => true,
          (loadErr: unknown) => {
            if (loadErr instanceof KeySetUnavailable) return false;
            throw loadErr;
          },
        );
        if (!reloaded) throw err;
        return entry.keys!(header, token);
      }
      throw err;
    }
  }) as RemoteKeySet;
  Object.defineProperty(getter, "fetches", { get: () => fetches.get(uri) ?? 0 });
  sets.set(uri, { entry, getter });
  return getter;
}

/** Forgets every fetched key set (tests). */
export function resetRemoteKeySets(): void {
  sets.clear();
  fetches.clear();
}
