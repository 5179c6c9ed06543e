import { follower } from "@/lib/public/follower";
import { REGISTRY_SIGNAL } from "@/lib/public/signal";
import { buildSnapshot, type Snapshot } from "@/lib/public/snapshot";

// The registry snapshot the public registry API serves, following the registry's change signal
// (lib/public/follower.ts).

const registry = follower<Snapshot>(REGISTRY_SIGNAL, buildSnapshot);

export const rebuild = (): Promise<Snapshot> => registry.rebuild();
export const snapshot = (): Promise<Snapshot> => registry.get();
export const resetSnapshot = (): void => registry.reset();
export const startRegistryFollower = (pollMs = 500): (() => void) => registry.start(pollMs);
