import type { Server, ServerResponse } from "node:http";

// Graceful shutdown: stop accepting connections, let the requests in flight finish (up to a
// timeout, then cut the rest), and only then stop the background jobs and close the database.

export interface Drainer {
  /** Stops accepting, waits for in-flight requests; `forced` when the timeout cut some off. */
  drain(timeoutMs: number): Promise<{ forced: boolean }>;
  /** Requests being answered right now. */
  inFlight(): number;
}

/** Install on a server when it is created, so it knows which responses are still open. */
export function trackRequests(server: Server): Drainer {
  const open = new Set<ServerResponse>();
  let draining = false;
  const closeIfIdle = () => setImmediate(() => server.closeIdleConnections());

  server.on("request", (_req, res: ServerResponse) => {
    open.add(res);
    // A request arriving on a kept-alive connection while draining is answered, then the
    // connection closes.
    if (draining) res.setHeader("connection", "close");
    res.on("close", () => {
      open.delete(res);
      if (draining) closeIfIdle();
    });
  });

  return {
    inFlight: () => open.size,
    drain(timeoutMs) {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader("connection", "close");
      return new Promise((resolve) => {
        let forced = false;
        const timer = setTimeout(() => {
          forced = true;
          server.closeAllConnections();
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve({ forced });
        });
        server.closeIdleConnections();
      });
    },
  };
}

export interface ShutdownSteps {
  drain: () => Promise<{ forced: boolean }>;
  stopJobs: () => Promise<void>;
  closeDatabase: () => Promise<void>;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
}

/** Runs the steps in order; a failing step is logged and the next one still runs. */
export async function shutdown(signal: string, steps: ShutdownSteps): Promise<void> {
  steps.log.info({ signal }, "shutting down: draining requests in flight");
  const step = async (name: string, fn: () => Promise<unknown>) => {
    try {
      return await fn();
    } catch (err) {
      steps.log.warn({ err, step: name }, "shutdown step failed");
      return undefined;
    }
  };
  const drained = (await step("drain", steps.drain)) as { forced: boolean } | undefined;
  if (drained?.forced) steps.log.warn({}, "shutdown: requests still running at the timeout were cut off");
  await step("stop jobs", steps.stopJobs);
  await step("close database", steps.closeDatabase);
  steps.log.info({}, "shut down");
}
