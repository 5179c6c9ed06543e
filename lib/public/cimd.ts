import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { CLIENTS_PATH, jwksUriFor, keysOf, type JsonObject } from "@/lib/cimd/documents";
import { follower } from "@/lib/public/follower";
import { CIMD_SIGNAL } from "@/lib/public/signal";
import { CORS, sendError, sendPrecomputed } from "@/lib/public/http";
import { precompute, type Precomputed } from "@/lib/public/snapshot";

// Hosted Client ID Metadata Documents: GET/HEAD /oauth/clients/<slug> answers exactly the
// approved canonical bytes of each active agent's published version, and
// /oauth/clients/<slug>/jwks.json its hosted key set when the document names it. The bytes and
// strong ETags are built once per change (the CIMD change signal), keyed by the exact path: any
// other spelling (a trailing slash, case, %-escapes, a query) is simply not a key, so it is a
// 404, never a redirect. Authorization servers must not follow redirects and treat any other
// status as an error.

export type CimdSnapshot = Map<string, Precomputed>;

export async function buildCimdSnapshot(): Promise<CimdSnapshot> {
  const agents = await db().agent.findMany({ where: { status: "active", currentVersionId: { not: null } }, select: { slug: true, clientId: true, currentVersionId: true } });
  const versions = await db().agentVersion.findMany({
    where: { id: { in: agents.map((a) => a.currentVersionId!) }, state: "approved" },
    select: { id: true, canonical: true, document: true, hostedJwks: true },
  });
  const byId = new Map(versions.map((v) => [v.id, v]));
  const out: CimdSnapshot = new Map();
  for (const a of agents) {
    const v = byId.get(a.currentVersionId!);
    if (!v) continue;
    const path = `${CLIENTS_PATH}${a.slug}`;
    out.set(path, precompute(v.canonical));
    const doc = v.document as JsonObject;
    if (doc.jwks_uri === jwksUriFor(a.clientId)) out.set(`${path}/jwks.json`, precompute(JSON.stringify({ keys: keysOf(doc, v.hostedJwks, a.clientId) })));
  }
  return out;
}

const documents = follower<CimdSnapshot>(CIMD_SIGNAL, buildCimdSnapshot);

export const cimdSnapshot = (): Promise<CimdSnapshot> => documents.get();
export const rebuildCimd = (): Promise<CimdSnapshot> => documents.rebuild();
export const resetCimd = (): void => documents.reset();
export const startCimdFollower = (pollMs = 500): (() => void) => documents.start(pollMs);

/** Every spelling of the hosted prefix, whatever its case, so none reaches Next (which redirects a trailing slash). */
export function isCimdPath(path: string): boolean {
  if (path.length < 14) return false;
  const head = path.slice(0, 15).toLowerCase();
  return head === CLIENTS_PATH || head === "/oauth/clients";
}

const NOT_FOUND_HEADERS = { ...CORS, "cache-control": "no-store" };
const ALLOW = "GET, HEAD, OPTIONS";

export async function handleCimd(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<boolean> {
  if (!isCimdPath(path)) return false;
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...CORS, allow: ALLOW, "access-control-allow-methods": ALLOW });
    res.end();
    return true;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(req, res, 405, `${req.method} is not allowed here`, { ...NOT_FOUND_HEADERS, allow: ALLOW });
    return true;
  }
  // A client_id with a query is another URL; `?` alone is still part of the request target.
  const hit = rawQuery || (req.url ?? "").includes("?") ? undefined : (await cimdSnapshot()).get(path);
  if (!hit) {
    sendError(req, res, 404, "No client metadata document here", NOT_FOUND_HEADERS);
    return true;
  }
  sendPrecomputed(req, res, hit, { ...CORS, "cache-control": `public, max-age=${env().CIMD_MAX_AGE_SECONDS}` });
  return true;
}
