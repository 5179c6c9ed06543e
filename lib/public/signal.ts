import { randomBytes } from "node:crypto";
import { databaseEngine, type Tx } from "@/lib/db";

// A change signal for something the public fast path serves from memory (the registry snapshot,
// the hosted client metadata documents). Every write that changes what is served writes a new
// random value to the signal's setting row in its own transaction; followers poll it (cheap on
// both engines) and rebuild when it changes, so other processes follow within a second. On
// PostgreSQL the write also notifies the signal's channel (LISTEN/NOTIFY, lib/public/listen.ts),
// so they follow at once. A random value rather than a counter: two concurrent writers can never
// write the same value and hide the second change. After commit, `changed(signal)` runs this
// process's hooks, which live on globalThis because server.ts and Next's bundle load separate
// copies of lib/.

export interface ChangeSignal {
  /** The Setting row holding the current generation. */
  key: string;
  /** The PostgreSQL NOTIFY channel (a plain identifier). */
  channel: string;
}

export const REGISTRY_SIGNAL: ChangeSignal = { key: "registry.generation", channel: "portcullis_registry" };
export const CIMD_SIGNAL: ChangeSignal = { key: "cimd.generation", channel: "portcullis_cimd" };
/** The delegation policy index (lib/xaa/index.ts): policy approvals, enable/disable. Registry
 * and CIMD changes bump it too (a drifted server or a revoked agent changes decisions). */
export const XAA_SIGNAL: ChangeSignal = { key: "xaa.generation", channel: "portcullis_xaa" };
/** Bearer tokens the fast path caches (lib/auth/token-cache.ts): revocation, disabling, role changes. */
export const TOKENS_SIGNAL: ChangeSignal = { key: "tokens.generation", channel: "portcullis_tokens" };

export async function bumpSignal(tx: Tx, signal: ChangeSignal): Promise<void> {
  const value = `${Date.now().toString(36)}-${randomBytes(6).toString("base64url")}`;
  await tx.setting.upsert({ where: { key: signal.key }, create: { key: signal.key, value }, update: { value } });
  // PostgreSQL delivers this to every listening process when the transaction commits.
  if (databaseEngine() === "postgresql") await tx.$executeRaw`SELECT pg_notify(${signal.channel}, ${value})`;
}

type Hook = () => void;
const holder = globalThis as unknown as { __portcullisSignalHooks?: Map<string, Set<Hook>> };
const hooksOf = (signal: ChangeSignal): Set<Hook> => {
  const all = (holder.__portcullisSignalHooks ??= new Map());
  let set = all.get(signal.key);
  if (!set) all.set(signal.key, (set = new Set()));
  return set;
};

/** Called after a write commits: this process's followers rebuild at once. */
export function signalChanged(signal: ChangeSignal): void {
  for (const hook of hooksOf(signal)) hook();
}

export function onSignal(signal: ChangeSignal, hook: Hook): () => void {
  const hooks = hooksOf(signal);
  hooks.add(hook);
  return () => hooks.delete(hook);
}
