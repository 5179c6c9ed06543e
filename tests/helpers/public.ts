import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { handlePublic } from "@/lib/public/router";
import { resetSnapshot, startRegistryFollower } from "@/lib/public/store";
import { answerCimdHit, resetCimd, startCimdFollower } from "@/lib/public/cimd";
import { resetPolicyIndex, startPolicyIndexFollower } from "@/lib/xaa/index";
import { resetTokenCache, startTokenCacheFollower } from "@/lib/auth/token-cache";

// The public fast path on a real node:http server (as server.ts mounts it), for tests that
// speak HTTP to it. The followers (registry, hosted documents, policy index, token cache) run, so in-process writes and the generation poll apply.

export interface PublicServer {
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape
}

export function usePublicServer(pollMs = 200): PublicServer {
  let server: Server;
  let stop: () => void;
  const out = { url: "" } as PublicServer;
  beforeAll(async () => {
    resetSnapshot();
    resetCimd();
    resetPolicyIndex();
    resetTokenCache();
    const stopRegistry = startRegistryFollower(pollMs);
    const stopCimd = startCimdFollower(pollMs);
    const stopPolicies = startPolicyIndexFollower(pollMs);
    const stopTokens = startTokenCacheFollower(pollMs);
    stop = () => {
      stopRegistry();
      stopCimd();
      stopPolicies();
      stopTokens();
    };
    server = createServer((req, res) => {
      // as lib/server/listener.ts does: a hosted document from memory first, then the router
      if (answerCimdHit(req, res)) return;
      void handlePublic(req, res).then((done) => {
        if (!done) {
          res.writeHead(404);
          res.end("not public");
        }
      });
    });
    // fetch reuses idle keep-alive sockets; a test that pauses (a long transaction) past the
    // server's 5 s keep-alive timeout would race the close and see ECONNRESET
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    out.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    stop?.();
    resetSnapshot();
    resetCimd();
    resetPolicyIndex();
    resetTokenCache();
    await new Promise((r) => server?.close(r));
  });
  const parse = async (res: Response) => {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
  out.get = async (path, headers = {}) => parse(await fetch(out.url + path, { headers }));
  out.send = async (method, path, body, headers = {}) =>
    parse(
      await fetch(out.url + path, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
  return out;
}
