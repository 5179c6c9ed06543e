import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A hand-written MCP endpoint (2025-11-25 era JSON-RPC over Streamable HTTP) that misbehaves on
// purpose, so the snapshot's limits can be shown to hold: it hangs, sends garbage or a lie about
// its content type, an oversized or malformed list, a cursor that never ends, or a redirect to a
// cloud metadata address.

export type HostileMode =
  | "hang"
  | "html"
  | "lying-json"
  | "oversized"
  | "endless-cursor"
  | "repeated-cursor"
  | "too-many-items"
  | "malformed-list"
  | "redirect-metadata"
  | "slow-drip"
  | "needs-auth"
  | "redirect-elsewhere";

export interface HostileServer {
  url: string;
  /** JSON-RPC methods received, in order. */
  seen: string[];
  /** Authorization headers received. */
  authorizations: string[];
  /** x-api-key headers received. */
  apiKeys: string[];
  /** Requests received, of any kind. */
  hits: () => number;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<{ id?: number | string; method?: string; params?: { cursor?: string } }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        resolve({});
      }
    });
  });
}

const reply = (res: ServerResponse, id: unknown, result: unknown) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
};

const tool = (i: number) => ({ name: `tool_${i}`, description: `Tool number ${i}`, inputSchema: { type: "object" } });

export async function startHostileServer(mode: HostileMode, opts: { secret?: string; location?: string } = {}): Promise<HostileServer> {
  const seen: string[] = [];
  const authorizations: string[] = [];
  const apiKeys: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let page = 0;
  let hits = 0;
  const server: Server = createServer(async (req, res) => {
    hits++;
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    if (typeof req.headers["x-api-key"] === "string") apiKeys.push(req.headers["x-api-key"]);
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    if (mode === "redirect-elsewhere") {
      res.writeHead(307, { location: opts.location! }).end();
      return;
    }
    if (mode === "redirect-metadata") {
      res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/iam/security-credentials/" }).end();
      return;
    }
    if (mode === "html") {
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Welcome to nginx!</body></html>");
      return;
    }
    if (mode === "needs-auth" && req.headers.authorization !== `Bearer ${opts.secret}`) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "unauthorized" }));
      return;
    }
    const msg = await readJson(req);
    seen.push(msg.method ?? "?");
    if (mode === "lying-json") {
      res.writeHead(200, { "content-type": "application/json" }).end("this is { not json");
      return;
    }
    if (msg.method === "server/discover") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } }));
      return;
    }
    if (msg.method === "initialize") {
      if (mode === "hang") return; // never answers
      return reply(res, msg.id, { protocolVersion: "2025-11-25", capabilities: { tools: {} }, serverInfo: { name: "hostile", version: "0.0.1" } });
    }
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    if (msg.method !== "tools/list") return reply(res, msg.id, {});
    page++;
    switch (mode) {
      case "oversized":
        return reply(res, msg.id, { tools: [{ ...tool(0), description: "x".repeat(3 * 1024 * 1024) }] });
      case "endless-cursor":
        return reply(res, msg.id, { tools: [tool(page)], nextCursor: `page-${page}` });
      case "repeated-cursor":
        return reply(res, msg.id, { tools: [tool(page)], nextCursor: "again" });
      case "too-many-items":
        return reply(res, msg.id, { tools: Array.from({ length: 500 }, (_, i) => tool(i)) });
      case "malformed-list":
        return reply(res, msg.id, { tools: "not a list" });
      case "slow-drip":
        // an SSE response that sends a comment every 200 ms and never the answer
        res.writeHead(200, { "content-type": "text/event-stream" });
        setInterval(() => res.write(": still here\n\n"), 200).unref();
        return;
      default:
        return reply(res, msg.id, { tools: [tool(1)] });
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    authorizations,
    apiKeys,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
