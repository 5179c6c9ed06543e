import type { IncomingMessage, ServerResponse } from "node:http";
import { classifyDatabaseError } from "@/lib/api/errors";
import { ALLOWLIST_PATHS, handleAllowlists } from "@/lib/public/allowlists";
import { handleCimd, isCimdPath } from "@/lib/public/cimd";
import { handleRegistry, isRegistryPath } from "@/lib/public/registry";
import { handleWellKnown, PROTECTED_RESOURCE_PATHS } from "@/lib/public/well-known";
import { handleOAuthServer, OAUTH_SERVER_PATHS } from "@/lib/public/oauth-server";
import { DECISIONS_PATH, handleDecisions } from "@/lib/public/xaa";
import { sendError } from "@/lib/public/http";

// The public fast path: machine-facing reads (and the registry's token-authenticated writes)
// answered by server.ts before Next, React or next-auth run. Each handler is a plain function of
// (req, res) that says whether it answered. Hosted client metadata documents
// (lib/public/cimd.ts) sit beside the registry; the XAA decision point (lib/public/xaa.ts) too.

export function isPublicPath(path: string): boolean {
  return isRegistryPath(path) || isCimdPath(path) || PROTECTED_RESOURCE_PATHS.has(path) || ALLOWLIST_PATHS.has(path) || path === DECISIONS_PATH || OAUTH_SERVER_PATHS.has(path);
}

/** Answers a public request; false when the path belongs to Next. Never throws. */
export async function handlePublic(req: IncomingMessage, res: ServerResponse, onError?: (err: unknown) => void): Promise<boolean> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!isPublicPath(path)) return false;
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  try {
    if (await handleDecisions(req, res, path)) return true;
    if (await handleCimd(req, res, path, rawQuery)) return true;
    if (handleWellKnown(req, res, path)) return true;
    if (await handleOAuthServer(req, res, path)) return true;
    if (await handleAllowlists(req, res, path, rawQuery)) return true;
    return await handleRegistry(req, res, path, rawQuery);
  } catch (err) {
    if (!res.headersSent) {
      if (classifyDatabaseError(err) === "unavailable") sendError(req, res, 503, "The registry is temporarily unavailable", { "retry-after": "5", "access-control-allow-origin": "*" });
      else {
        onError?.(err);
        sendError(req, res, 500, "Internal error", { "access-control-allow-origin": "*" });
      }
    } else res.destroy();
    return true;
  }
}
