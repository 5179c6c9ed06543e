import { databaseEngine, db } from "@/lib/db";
import { listenForRegistryChanges } from "@/lib/public/listen";
import { GENERATION_KEY, onRegistryChanged } from "@/lib/registry/generation";
import { buildSnapshot, type Snapshot } from "@/lib/public/snapshot";

// Holds the current registry snapshot on globalThis (server.ts and Next's bundle load separate
// copies of lib/; both must see one snapshot and one invalidation). Rebuilds are single-flight:
// a change during a rebuild schedules exactly one more. Other processes' changes arrive through
// PostgreSQL LISTEN/NOTIFY at once, and through the generation poll (lib/registry/generation.ts)
// within `pollMs` on either engine.

interface Store {
  current: Snapshot | null;
  building: Promise<Snapshot> | null;
  dirty: boolean;
  generation: string | null;
  stop?: () => void;
}

const holder = globalThis as unknown as { __portcullisRegistryStore?: Store };
const store = (): Store => (holder.__portcullisRegistryStore ??= { current: null, building: null, dirty: false, generation: null });

async function readGeneration(): Promise<string | null> {
  const row = await db().setting.findUnique({ where: { key: GENERATION_KEY } });
  return row ? String(row.value) : null;
}

/** Rebuilds now (or after the rebuild in progress); resolves with the snapshot that includes
 * every change committed before the call. */
export function rebuild(): Promise<Snapshot> {
  const s = store();
  if (s.building) {
    // the loop below builds once more before it resolves
    s.dirty = true;
    return s.building;
  }
  s.building = (async () => {
    try {
      for (;;) {
        s.dirty = false;
        const generation = await readGeneration();
        const snap = await buildSnapshot();
        s.current = snap;
        s.generation = generation;
        if (!s.dirty) return snap;
      }
    } finally {
      s.building = null;
    }
  })();
  return s.building;
}

/** The snapshot to serve: the one being built when a change is in flight (so a write made in
 * this process is read back at once), else the current one, else the first build. */
export async function snapshot(): Promise<Snapshot> {
  const s = store();
  if (s.building) return s.building;
  return s.current ?? (await rebuild());
}

/** For tests and the console: forget the snapshot (the next read builds a new one). */
export function resetSnapshot(): void {
  const s = store();
  s.stop?.();
  holder.__portcullisRegistryStore = undefined;
}

/**
 * Starts following changes: in-process writes rebuild at once; the generation is polled every
 * `pollMs` for writes made by other processes. Returns a stop function.
 */
export function startRegistryFollower(pollMs = 500): () => void {
  const s = store();
  s.stop?.();
  const off = onRegistryChanged(() => void rebuild().catch(() => {}));
  const unlisten = databaseEngine() === "postgresql" ? listenForRegistryChanges((g) => {
          // our own write's notification after its in-process rebuild: nothing new
          if (g && g === store().generation && !store().building) return;
          void rebuild().catch(() => {});
        }) : () => {};
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const g = await readGeneration();
      if (g !== store().generation) await rebuild();
    } catch {
      // database briefly unavailable: keep serving the last snapshot
    } finally {
      busy = false;
    }
  }, pollMs);
  timer.unref();
  s.stop = () => {
    off();
    unlisten();
    clearInterval(timer);
  };
  return s.stop;
}
