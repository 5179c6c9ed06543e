import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";

// MCP servers the tests start on loopback: one built here with the SDK v2 (2026-07-28 era, and
// legacy requests statelessly) whose tools the test changes between two checks, and the npm
// server-everything (2025-11-25 era) as a child process.

export interface ToolSpec {
  name: string;
  description: string;
  title?: string;
  /** Property names of a string-only input schema. */
  params?: string[];
  annotations?: Record<string, boolean>;
  meta?: Record<string, unknown>;
}

export interface ModernServer {
  url: string;
  /** Replaces what the next request sees. */
  setTools(tools: ToolSpec[]): void;
  close(): Promise<void>;
}

export interface ModernOptions {
  instructions?: string;
  extensions?: Record<string, Record<string, string>>;
  /** Answers 401 unless this header has this value. */
  requireHeader?: { name: string; value: string };
  /** Waits this long before answering each request (to make two checks overlap). */
  delayMs?: number;
  /** Protects /mcp with OAuth: serves its protected resource metadata, an authorization server
   * (metadata and a client_credentials token endpoint for this client) on the same origin. */
  oauth?: { clientId: string; clientSecret: string };
}

export async function startModernServer(initial: ToolSpec[], opts: ModernOptions = {}): Promise<ModernServer> {
  let tools = initial;
  const handler = createMcpHandler(() => {
    const server = new McpServer(
      { name: "portcullis-test-modern", version: "1.0.0" },
      { capabilities: { tools: {}, ...(opts.extensions ? { extensions: opts.extensions } : {}) }, ...(opts.instructions ? { instructions: opts.instructions } : {}) },
    );
    for (const t of tools) {
      const shape = Object.fromEntries((t.params ?? []).map((p) => [p, z.string().describe(`the ${p}`)]));
      server.registerTool(
        t.name,
        { description: t.description, ...(t.title ? { title: t.title } : {}), inputSchema: z.object(shape), ...(t.annotations ? { annotations: t.annotations } : {}), ...(t.meta ? { _meta: t.meta } : {}) },
        async () => ({ content: [{ type: "text", text: "ok" }] }),
      );
    }
    return server;
  });
  const node = toNodeHandler(handler);
  const issued = "at-" + Math.random().toString(36).slice(2);
  let origin = "";
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  const http: Server = createServer(async (req, res) => {
    if (opts.oauth) {
      const path = (req.url ?? "").split("?")[0];
      if (path === "/.well-known/oauth-protected-resource/mcp" || path === "/.well-known/oauth-protected-resource") {
        return json(res, 200, { resource: `${origin}/mcp`, authorization_servers: [origin] });
      }
      if (path === "/.well-known/oauth-authorization-server") {
        return json(res, 200, { issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/token`, grant_types_supported: ["client_credentials"], token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"], response_types_supported: ["token"] });
      }
      if (path === "/token") {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString().split(":").map(decodeURIComponent) : [form.get("client_id"), form.get("client_secret")];
        if (form.get("grant_type") !== "client_credentials" || basic[0] !== opts.oauth.clientId || basic[1] !== opts.oauth.clientSecret) return json(res, 401, { error: "invalid_client" });
        return json(res, 200, { access_token: issued, token_type: "Bearer", expires_in: 3600 });
      }
      if (req.headers.authorization !== `Bearer ${issued}`) {
        return json(res, 401, { error: "invalid_token" }, { "www-authenticate": `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` });
      }
    }
    if (opts.requireHeader && req.headers[opts.requireHeader.name.toLowerCase()] !== opts.requireHeader.value) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "unauthorized" }));
      return;
    }
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    void node(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    setTools: (next) => (tools = next),
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

export interface ChildServer {
  url: string;
  close(): Promise<void>;
}

/** server-everything over Streamable HTTP, forced onto loopback by a preload. */
export async function startEverything(port: number): Promise<ChildServer> {
  const root = path.resolve(__dirname, "../..");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", pathToFileURL(path.join(root, "tests/helpers/loopback-preload.mjs")).href, path.join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "streamableHttp"],
    { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start within 20 s: ${output.slice(-500)}`)), 20_000);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (/listening/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.once("exit", (code) => reject(new Error(`server-everything exited (${code}): ${output.slice(-500)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
