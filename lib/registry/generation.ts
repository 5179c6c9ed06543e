import type { Tx } from "@/lib/db";
import { bumpSignal, onSignal, REGISTRY_SIGNAL, signalChanged } from "@/lib/public/signal";

// The registry's change signal (lib/public/signal.ts): every write that changes what the public
// registry serves (approval, status change, revocation, catalog metadata) bumps it in its own
// transaction and calls registryChanged() after commit.

export const GENERATION_KEY = REGISTRY_SIGNAL.key;

export const bumpGeneration = (tx: Tx): Promise<void> => bumpSignal(tx, REGISTRY_SIGNAL);

export const registryChanged = (): void => signalChanged(REGISTRY_SIGNAL);

export const onRegistryChanged = (hook: () => void): (() => void) => onSignal(REGISTRY_SIGNAL, hook);
