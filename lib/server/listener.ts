import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { handleEdges, type EdgeOptions } from "@/lib/server/edges";

// server.ts's request listener: one JSON log line per request, the edges (lib/server/edges.ts),
// then Next. A handler that throws gets a JSON 500 (with the security headers, set by the edges).

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function requestListener(handle: NextHandler, opts: EdgeOptions, log: Logger) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    res.on("finish", () => {
      log.info(
        {
          method: req.method,
          path: (req.url ?? "").split("?")[0],
          status: res.statusCode,
          ms: Math.round((performance.now() - start) * 10) / 10,
        },
        "request",
      );
    });
    if (handleEdges(req, res, opts)) return;
    handle(req, res).catch((err) => {
      log.error({ err, method: req.method, path: (req.url ?? "").split("?")[0] }, "request failed");
      if (!res.headersSent) {
        const body = JSON.stringify({ error: { code: "internal", message: "Internal error" } });
        res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(body);
      } else {
        res.destroy();
      }
    });
  };
}
