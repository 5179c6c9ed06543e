import pg from "pg";
import { databaseUrl } from "@/lib/db";
import { logger } from "@/lib/log";

// On PostgreSQL, other processes' changes arrive as notifications: every signal bump
// (lib/public/signal.ts) also does pg_notify(<channel>, <generation>), delivered when its
// transaction commits. One dedicated connection per channel LISTENs; if it drops, it reconnects
// after a pause (the generation poll covers the gap).

export function listenForChanges(channel: string, onChange: (generation?: string) => void, retryMs = 1000): () => void {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    timer.unref();
  };

  async function connect() {
    const c = new pg.Client({ connectionString: databaseUrl() });
    client = c;
    c.on("notification", (n) => {
      if (n.channel === channel) onChange(n.payload);
    });
    c.on("error", (err) => {
      logger().warn({ err: err.message }, `${channel} listener lost its connection; retrying`);
      void c.end().catch(() => {});
      if (client === c) client = null;
      retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (stopped) await c.end();
      // Anything committed while we were not listening: rebuild once to catch up.
      else onChange();
    } catch (err) {
      logger().warn({ err: err instanceof Error ? err.message : String(err) }, `${channel} listener could not connect; retrying`);
      void c.end().catch(() => {});
      if (client === c) client = null;
      retry();
    }
  }

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    void client?.end().catch(() => {});
    client = null;
  };
}
