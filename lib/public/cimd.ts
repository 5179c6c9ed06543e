import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { CLIENTS_PATH, jwksUriFor, keysOf, type JsonObject } from "@/lib/cimd/documents";
import { follower } from "@/lib/public/follower";
import { CIMD_SIGNAL } from "@/lib/public/signal";
import { CORS, notModified, sendError, sendPrecomputed } from "@/lib/public/http";
import { precompute, type Precomputed } from "@/lib/public/snapshot";
import { responseHeaders } from "@/lib/server/security-headers";

// Hosted Client ID Metadata Documents: GET/HEAD /oauth/clients/<slug> answers exactly the
// approved canonical bytes of each active agent's published version, and
// /oauth/clients/<slug>/jwks.json its hosted key set when the document names it. The bytes and
// strong ETags are built once per change (the CIMD change signal), keyed by the exact path: any
// other spelling (a trailing slash, case, %-escapes, a query) is simply not a key, so it is a
// 404, never a redirect. Authorization servers must not follow redirects and treat any other
// status as an error.
//
// A hit is answered synchronously (answerCimdHit, called first thing by server.ts's listener):
// the whole header list, security headers included, is built once per snapshot, so serving a
// document costs one map lookup and one writeHead, and no promise is made.

export interface CimdEntry extends Precomputed {
  ok: string[];
  notModified: string[];
}

export type CimdSnapshot = Map<string, CimdEntry>;

/** SQLite allows about a thousand bound parameters per statement: read long id lists in slices. */
const ID_SLICE = 500;

function entry(p: Precomputed, hsts: boolean): CimdEntry {
  const common = [...responseHeaders(hsts).flat(), "access-control-allow-origin", "*", "access-control-expose-headers", "ETag", "cache-control", `public, max-age=${env().CIMD_MAX_AGE_SECONDS}`, "etag", p.etag];
  return { ...p, ok: [...common, "content-type", "application/json", "content-length", String(p.body.length)], notModified: common };
}

export async function buildCimdSnapshot(): Promise<CimdSnapshot> {
  const agents = await db().agent.findMany({ where: { status: "active", currentVersionId: { not: null } }, select: { slug: true, clientId: true, currentVersionId: true } });
  const ids = agents.map((a) => a.currentVersionId!);
  const byId = new Map<string, { canonical: string; document: unknown; hostedJwks: unknown; state: string }>();
  for (let i = 0; i < ids.length; i += ID_SLICE) {
    const versions = await db().agentVersion.findMany({ where: { id: { in: ids.slice(i, i + ID_SLICE) } }, select: { id: true, canonical: true, document: true, hostedJwks: true, state: true } });
    for (const v of versions) byId.set(v.id, v);
  }
  const hsts = env().PUBLIC_BASE_URL.startsWith("https:");
  const out: CimdSnapshot = new Map();
  for (const a of agents) {
    const v = byId.get(a.currentVersionId!);
    if (!v || v.state !== "approved") continue;
    const path = `${CLIENTS_PATH}${a.slug}`;
    out.set(path, entry(precompute(v.canonical), hsts));
    const doc = v.document as JsonObject;
    if (doc.jwks_uri === jwksUriFor(a.clientId)) out.set(`${path}/jwks.json`, entry(precompute(JSON.stringify({ keys: keysOf(doc, v.hostedJwks, a.clientId) })), hsts));
  }
  return out;
}

/**
 * Answers a request for a hosted document from the current snapshot without waiting for
 * anything, before the edges (an exact key is a valid plain path, GET or HEAD); false for
 * anything else (other paths and spellings, other methods, a rebuild in flight), which then
 * takes the ordinary way through the edges and handleCimd.
 */
export function answerCimdHit(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method;
  if (method !== "GET" && method !== "HEAD") return false;
  const hit = documents.peek()?.get(req.url ?? "");
  if (!hit) return false;
  if (req.headers["if-none-match"] !== undefined && notModified(req, hit.etag)) {
    res.writeHead(304, hit.notModified);
    res.end();
  } else {
    res.writeHead(200, hit.ok);
    res.end(method === "HEAD" ? undefined : hit.body);
  }
  return true;
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
