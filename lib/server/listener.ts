import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { handleEdges, type EdgeOptions } from "@/lib/server/edges";
import { handlePublic, isPublicPath } from "@/lib/public/router";
import { answerCimdHit } from "@/lib/public/cimd";

// server.ts's request listener: one JSON log line per request, the edges (lib/server/edges.ts),
// the public fast path (lib/public/router.ts), then Next. Successful public reads are logged one
// in PUBLIC_LOG_SAMPLE (machines call them often; a line per call would halve their throughput),
// their errors always. A handler that throws gets a JSON 500 (with the security headers, set by the edges).

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export const PUBLIC_LOG_SAMPLE = 100;

export function requestListener(handle: NextHandler, opts: EdgeOptions, log: Logger) {
  let publicAnswered = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    // Hosted client metadata documents: answered at once from memory, headers and all.
    if (answerCimdHit(req, res)) {
      if (++publicAnswered % PUBLIC_LOG_SAMPLE === 1) log.info({ method: req.method, path: req.url, status: res.statusCode, ms: 0 }, "request");
      return;
    }
    const start = performance.now();
    const path = (req.url ?? "").split("?")[0];
    const isPublic = isPublicPath(path);
    res.on("finish", () => {
      if (isPublic && res.statusCode < 400 && ++publicAnswered % PUBLIC_LOG_SAMPLE !== 1) return;
      log.info(
        {
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round((performance.now() - start) * 10) / 10,
        },
        "request",
      );
    });
    if (handleEdges(req, res, opts)) return;
    if (isPublic) {
      void handlePublic(req, res, (err) => log.error({ err, method: req.method, path }, "public request failed"));
      return;
    }
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
