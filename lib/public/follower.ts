import { databaseEngine, db } from "@/lib/db";
import { listenForChanges } from "@/lib/public/listen";
import { onSignal, type ChangeSignal } from "@/lib/public/signal";

// An in-memory copy of something the public fast path serves (the registry snapshot, the hosted
// client metadata documents), held on globalThis (server.ts and Next's bundle load separate
// copies of lib/; both must see one copy and one invalidation), following a change signal.
// Rebuilds are single-flight: a change during a rebuild schedules exactly one more. Other
// processes' changes arrive through PostgreSQL LISTEN/NOTIFY at once, and through the generation
// poll within `pollMs` on either engine.

interface State<T> {
  current: T | null;
  building: Promise<T> | null;
  dirty: boolean;
  generation: string | null;
  stop?: () => void;
}

export interface Follower<T> {
  /** What to serve: the copy being built when a change is in flight (so a write made in this
   * process is read back at once), else the current one, else the first build. */
  get(): Promise<T>;
  /** Rebuilds now (or after the rebuild in progress); resolves with a copy that includes every
   * change committed before the call. */
  rebuild(): Promise<T>;
  /** The current copy when no rebuild is in flight, else null: for answers that must not wait. */
  peek(): T | null;
  /** The last copy built, even while a rebuild is in flight (for when a rebuild fails). */
  last(): T | null;
  /** Forgets the copy and stops following (tests). */
  reset(): void;
  /** Starts following the signal; returns a stop function. */
  start(pollMs?: number): () => void;
}

const holder = globalThis as unknown as { __portcullisFollowers?: Map<string, State<unknown>> };

export function follower<T>(signal: ChangeSignal, build: () => Promise<T>): Follower<T> {
  const all = (holder.__portcullisFollowers ??= new Map());
  const state = (): State<T> => {
    let s = all.get(signal.key) as State<T> | undefined;
    if (!s) all.set(signal.key, (s = { current: null, building: null, dirty: false, generation: null }));
    return s;
  };
  const readGeneration = async (): Promise<string | null> => {
    const row = await db().setting.findUnique({ where: { key: signal.key } });
    return row ? String(row.value) : null;
  };

  function rebuild(): Promise<T> {
    const s = state();
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
          const built = await build();
          s.current = built;
          s.generation = generation;
          if (!s.dirty) return built;
        }
      } finally {
        s.building = null;
      }
    })();
    return s.building;
  }

  return {
    rebuild,
    async get() {
      const s = state();
      if (s.building) return s.building;
      return s.current ?? (await rebuild());
    },
    peek() {
      const s = state();
      return s.building ? null : s.current;
    },
    last() {
      return state().current;
    },
    reset() {
      state().stop?.();
      all.delete(signal.key);
    },
    start(pollMs = 500) {
      const s = state();
      s.stop?.();
      const off = onSignal(signal, () => void rebuild().catch(() => {}));
      const unlisten =
        databaseEngine() === "postgresql"
          ? listenForChanges(signal.channel, (g) => {
              // our own write's notification after its in-process rebuild: nothing new
              if (g && g === state().generation && !state().building) return;
              void rebuild().catch(() => {});
            })
          : () => {};
      let busy = false;
      const timer = setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          const g = await readGeneration();
          if (g !== state().generation) await rebuild();
        } catch {
          // database briefly unavailable: keep serving the last copy
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
    },
  };
}
