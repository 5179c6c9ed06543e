import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { actorFromSessionCookie, can } from "@/lib/auth/actor";
import { nodeClientInfo } from "@/lib/server/client";
import { buildManagedSettings, MANAGED_SETTINGS_PATH, serializeManagedSettings, type AllowlistVersion } from "@/lib/registry/allowlists";
import { CORS, queryParams, sendError, sendPrecomputed } from "@/lib/public/http";
import { RegistryError, requirePermission } from "@/lib/public/registry";
import { precompute, type Precomputed, type Snapshot } from "@/lib/public/snapshot";
import { snapshot } from "@/lib/public/store";

// GET /allowlists/managed-settings.json — the approved catalog as Claude Code / Copilot
// `allowedMcpServers` / `deniedMcpServers` (lib/registry/allowlists.ts). The bytes and ETag are
// made once per registry snapshot (a WeakMap keyed on it, so a rebuild is a new document and the
// old one goes with its snapshot). REGISTRY_PRIVATE=true asks what /v0.1 asks (a token with
// registry.read); a signed-in console session is also accepted so the console's download works.

export const ALLOWLIST_PATHS = new Set([MANAGED_SETTINGS_PATH]);

const ALLOWED_METHODS = "GET, HEAD, OPTIONS";
const documents = new WeakMap<Snapshot, Precomputed>();

/** The document for a snapshot, built on first use. */
export function managedSettingsOf(snap: Snapshot): Precomputed {
  let p = documents.get(snap);
  if (!p) {
    const versions: AllowlistVersion[] = snap.entries.map((e) => ({ name: e.name, status: e.status, server: (JSON.parse(e.json) as { server: unknown }).server }));
    p = precompute(serializeManagedSettings(buildManagedSettings(versions)));
    documents.set(snap, p);
  }
  return p;
}

async function requireReader(req: IncomingMessage): Promise<void> {
  if (req.headers.authorization === undefined) {
    const cookie = typeof req.headers.cookie === "string" ? req.headers.cookie : null;
    const person = cookie ? await actorFromSessionCookie(cookie, nodeClientInfo(req)) : null;
    if (person && !person.mustChangePassword) {
      if (!can(person, "registry.read")) throw new RegistryError(403, "This needs the registry.read permission");
      return;
    }
  }
  await requirePermission(req, "registry.read");
}

function wantsDownload(rawQuery: string): boolean {
  const q = queryParams(rawQuery);
  if (!q) throw new RegistryError(400, "The query string has invalid %-encoding");
  if ("duplicate" in q) throw new RegistryError(400, `${q.duplicate} is given more than once`);
  const d = q.get("download");
  if (d === undefined || d === "0" || d === "false") return false;
  if (d === "1" || d === "true") return true;
  throw new RegistryError(400, "download must be 1 or 0");
}

/** Answers an allowlist path; false when the path is not one. */
export async function handleAllowlists(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<boolean> {
  if (!ALLOWLIST_PATHS.has(path)) return false;
  try {
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...CORS,
        allow: ALLOWED_METHODS,
        "access-control-allow-methods": ALLOWED_METHODS,
        "access-control-allow-headers": "Authorization, If-None-Match",
        "access-control-max-age": "86400",
      });
      res.end();
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") throw new RegistryError(405, `${req.method} is not allowed here`, { allow: ALLOWED_METHODS });
    const download = wantsDownload(rawQuery);
    const priv = env().REGISTRY_PRIVATE;
    if (priv) await requireReader(req);
    const headers: Record<string, string> = { ...CORS, "cache-control": priv ? "private, no-cache" : "no-cache" };
    if (priv) headers.vary = "Authorization, Cookie";
    if (download) headers["content-disposition"] = 'attachment; filename="managed-settings.json"';
    sendPrecomputed(req, res, managedSettingsOf(await snapshot()), headers);
    return true;
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    sendError(req, res, err.status, err.message, { ...CORS, ...err.headers });
    return true;
  }
}
