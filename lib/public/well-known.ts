import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { CORS, sendError, sendJson } from "@/lib/public/http";

// RFC 9728 protected resource metadata for the registry API: what a client reads after a 401's
// `WWW-Authenticate: Bearer resource_metadata="…"` when REGISTRY_PRIVATE=true.

export const PROTECTED_RESOURCE_PATHS = new Set(["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/v0.1"]);

export function protectedResourceMetadata() {
  const base = env().PUBLIC_BASE_URL;
  return {
    resource: `${base}/v0.1`,
    resource_name: "Portcullis MCP registry",
    bearer_methods_supported: ["header"],
    scopes_supported: ["registry.read"],
    resource_documentation: `${base}/docs/registry`,
  };
}

export function handleWellKnown(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!PROTECTED_RESOURCE_PATHS.has(path)) return false;
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...CORS, allow: "GET, HEAD, OPTIONS", "access-control-allow-methods": "GET, HEAD, OPTIONS" });
    res.end();
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(req, res, 405, `${req.method} is not allowed here`, { ...CORS, allow: "GET, HEAD, OPTIONS" });
  } else {
    sendJson(req, res, 200, protectedResourceMetadata(), { ...CORS, "cache-control": "public, max-age=300" });
  }
  return true;
}
