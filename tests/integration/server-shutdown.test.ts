import { createServer, request, type Agent, type ServerResponse } from "node:http";
import { Agent as HttpAgent } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { shutdown, trackRequests } from "@/lib/server/shutdown";

// Graceful shutdown (server.ts on SIGTERM/SIGINT): in-flight requests finish, new connections
// are refused, and only then the jobs stop and the database closes.

const agents: HttpAgent[] = [];
afterEach(() => agents.splice(0).forEach((a) => a.destroy()));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A server whose handler waits until `release()`; `entered` resolves once a request is in it. */
async function slowServer() {
  const gate = deferred();
  const entered = deferred();
  const server = createServer(async (_req, res: ServerResponse) => {
    entered.resolve();
    await gate.promise;
    res.end("done");
  });
  const drainer = trackRequests(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, drainer, port: (server.address() as AddressInfo).port, release: gate.resolve, entered: entered.promise };
}

function get(port: number, agent?: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ port, host: "127.0.0.1", path: "/", agent }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
    });
    r.on("error", reject);
    r.end();
  });
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve("connected")));
    s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });

describe("draining", () => {
  it("finishes the request in flight, refuses new connections, then resolves", async () => {
    const { drainer, port, release, entered } = await slowServer();
    const agent = new HttpAgent({ keepAlive: true });
    agents.push(agent);
    const inFlight = get(port, agent);
    await entered;
    expect(drainer.inFlight()).toBe(1);

    let drained = false;
    const drain = drainer.drain(60_000).then((r) => ((drained = true), r));
    expect(await refused(port)).toBe("ECONNREFUSED");
    expect(drained).toBe(false);

    release();
    expect(await inFlight).toEqual({ status: 200, body: "done", connection: "close" });
    expect(await drain).toEqual({ forced: false });
    expect(drainer.inFlight()).toBe(0);
  });

  it("closes idle kept-alive connections at once instead of waiting for their timeout", async () => {
    const { drainer, port, release } = await slowServer();
    release();
    const agent = new HttpAgent({ keepAlive: true });
    agents.push(agent);
    expect((await get(port, agent)).status).toBe(200); // leaves an idle kept-alive socket
    expect(await drainer.drain(60_000)).toEqual({ forced: false });
  });

  it("cuts off what is still running at the timeout", async () => {
    const { drainer, port, entered } = await slowServer(); // never released
    const inFlight = get(port).catch((e: NodeJS.ErrnoException) => e.code);
    await entered;
    expect(await drainer.drain(50)).toEqual({ forced: true });
    expect(await inFlight).toBe("ECONNRESET");
  });
});

describe("shutdown order", () => {
  const quiet = { info: () => {}, warn: () => {} };

  it("drains, then stops the jobs, then closes the database", async () => {
    const order: string[] = [];
    const gate = deferred();
    const done = shutdown("SIGTERM", {
      drain: async () => {
        order.push("drain started");
        await gate.promise;
        order.push("drained");
        return { forced: false };
      },
      stopJobs: async () => void order.push("jobs stopped"),
      closeDatabase: async () => void order.push("database closed"),
      log: quiet,
    });
    await Promise.resolve();
    expect(order).toEqual(["drain started"]);
    gate.resolve();
    await done;
    expect(order).toEqual(["drain started", "drained", "jobs stopped", "database closed"]);
  });

  it("a failing step is logged and the later ones still run", async () => {
    const order: string[] = [];
    const warnings: string[] = [];
    await shutdown("SIGINT", {
      drain: async () => ({ forced: true }),
      stopJobs: async () => {
        throw new Error("lease gone");
      },
      closeDatabase: async () => void order.push("database closed"),
      log: { info: () => {}, warn: (o: object, msg: string) => void warnings.push(`${msg}${"step" in o ? `: ${o.step}` : ""}`) },
    });
    expect(order).toEqual(["database closed"]);
    expect(warnings).toEqual(["shutdown: requests still running at the timeout were cut off", "shutdown step failed: stop jobs"]);
  });
});
