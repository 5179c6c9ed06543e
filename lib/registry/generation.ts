import type { Tx } from "@/lib/db";
import { bumpSignal, onSignal, REGISTRY_SIGNAL, signalChanged, XAA_SIGNAL } from "@/lib/public/signal";

// The registry's change signal (lib/public/signal.ts): every write that changes what the public
// registry serves (approval, status change, revocation, catalog metadata) bumps it in its own
// transaction and calls registryChanged() after commit. The delegation policy index follows too:
// a server's approval, status or drift changes which policies grant.

export const GENERATION_KEY = REGISTRY_SIGNAL.key;

export const bumpGeneration = async (tx: Tx): Promise<void> => {
  await bumpSignal(tx, REGISTRY_SIGNAL);
  await bumpSignal(tx, XAA_SIGNAL);
};

export const registryChanged = (): void => {
  signalChanged(REGISTRY_SIGNAL);
  signalChanged(XAA_SIGNAL);
};

export const onRegistryChanged = (hook: () => void): (() => void) => onSignal(REGISTRY_SIGNAL, hook);
