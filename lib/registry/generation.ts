import { randomBytes } from "node:crypto";
import { databaseEngine, type Tx } from "@/lib/db";

// The registry's change signal. Every write that changes what the public registry serves
// (approval, status change, revocation, catalog metadata) writes a new random value here in its
// own transaction; lib/public polls it (cheap on both engines) and rebuilds its snapshot when it
// changes, so other processes follow within a second. On PostgreSQL the bump also notifies
// (LISTEN/NOTIFY, lib/public/listen.ts), so they follow at once. A random value rather than a counter: two
// concurrent writers can never write the same value and hide the second change.

export const GENERATION_KEY = "registry.generation";

export async function bumpGeneration(tx: Tx): Promise<void> {
  const value = `${Date.now().toString(36)}-${randomBytes(6).toString("base64url")}`;
  await tx.setting.upsert({ where: { key: GENERATION_KEY }, create: { key: GENERATION_KEY, value }, update: { value } });
  // PostgreSQL delivers this to every listening process when the transaction commits.
  if (databaseEngine() === "postgresql") await tx.$executeRaw`SELECT pg_notify('portcullis_registry', ${value})`;
}

type Hook = () => void;
const holder = globalThis as unknown as { __portcullisRegistryChanged?: Set<Hook> };

/** Called after a registry write commits: the snapshot in this process rebuilds at once. The set
 * lives on globalThis because server.ts and Next's bundle load separate copies of lib/. */
export function registryChanged(): void {
  for (const hook of holder.__portcullisRegistryChanged ?? []) hook();
}

export function onRegistryChanged(hook: Hook): () => void {
  const hooks = (holder.__portcullisRegistryChanged ??= new Set());
  hooks.add(hook);
  return () => hooks.delete(hook);
}
