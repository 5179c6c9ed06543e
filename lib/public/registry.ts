import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { env } from "@/lib/env";
import { actorFromBearer, bearerFrom, can, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { ApiError } from "@/lib/api/errors";
import { jsonValueIssues, nestsDeeperThan, MAX_JSON_DEPTH } from "@/lib/api/handler";
import { nodeClientInfo } from "@/lib/server/client";
import { PORTCULLIS_META } from "@/lib/registry/meta";
import { setServerStatus, setVersionStatus, submitServerVersion } from "@/lib/registry/data";
import { CORS, queryParams, readBody, sendError, sendJson, sendPrecomputed } from "@/lib/public/http";
import { cached, type Entry, type Snapshot } from "@/lib/public/snapshot";
import { rebuild, snapshot } from "@/lib/public/store";

// The MCP Registry API v0.1 (and /v0, which serves the same), answered from the snapshot:
//   GET /v0.1/servers, /v0.1/servers/{name}/versions, /v0.1/servers/{name}/versions/{version}
//   POST /v0.1/publish, PATCH …/versions/{version}/status, PATCH /v0.1/servers/{name}/status
// Errors are `{"error": "…"}` as the official registry answers. With REGISTRY_PRIVATE=true every
// call needs a Portcullis token with registry.read.

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;
const MAX_BODY = 1_048_576;
const READ_HEADERS = { ...CORS, "cache-control": "no-cache" };
const WRITE_HEADERS = { ...CORS, "cache-control": "no-store" };

export class RegistryError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Route match on the raw path; `name` and `version` still %-encoded. */
function match(path: string): { route: "list" | "versions" | "version" | "server-status" | "version-status" | "publish"; name?: string; version?: string } | null {
  if (/^\/v0(?:\.1)?\/publish$/.test(path)) return { route: "publish" };
  if (/^\/v0(?:\.1)?\/servers$/.test(path)) return { route: "list" };
  let m = /^\/v0(?:\.1)?\/servers\/(.+)\/versions\/([^/]+)\/status$/.exec(path);
  if (m) return { route: "version-status", name: m[1], version: m[2] };
  m = /^\/v0(?:\.1)?\/servers\/(.+)\/versions\/([^/]+)$/.exec(path);
  if (m) return { route: "version", name: m[1], version: m[2] };
  m = /^\/v0(?:\.1)?\/servers\/(.+)\/versions$/.exec(path);
  if (m) return { route: "versions", name: m[1] };
  m = /^\/v0(?:\.1)?\/servers\/(.+)\/status$/.exec(path);
  if (m) return { route: "server-status", name: m[1] };
  return null;
}

export function isRegistryPath(path: string): boolean {
  return path === "/v0.1" || path === "/v0" || path.startsWith("/v0.1/") || path.startsWith("/v0/");
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RegistryError(400, `${what} has invalid %-encoding`);
  }
}

function resourceMetadataUrl(): string {
  return `${env().PUBLIC_BASE_URL}/.well-known/oauth-protected-resource`;
}

async function caller(req: IncomingMessage): Promise<Actor | null> {
  const creds = bearerFrom(typeof req.headers.authorization === "string" ? req.headers.authorization : null);
  if (creds.kind === "malformed") throw new RegistryError(401, "Authorization must be a Bearer token", challenge("invalid_token"));
  if (creds.kind === "none") return null;
  const actor = await actorFromBearer(creds.token, nodeClientInfo(req));
  if (!actor) throw new RegistryError(401, "Invalid, expired or revoked token", challenge("invalid_token"));
  return actor;
}

function challenge(error?: string): Record<string, string> {
  return { "www-authenticate": `Bearer resource_metadata="${resourceMetadataUrl()}"${error ? `, error="${error}"` : ""}` };
}

export async function requirePermission(req: IncomingMessage, permission: Permission): Promise<Actor> {
  const actor = await caller(req);
  if (!actor) throw new RegistryError(401, "Authentication required: send a Portcullis API token as a Bearer token", challenge());
  if (!can(actor, permission)) throw new RegistryError(403, `This needs the ${permission} permission`);
  return actor;
}

// ---- reads ----

interface ListQuery {
  cursor?: string;
  limit: number;
  search?: string;
  updatedSince?: number;
  version?: string;
  includeDeleted: boolean;
}

function bool(v: string | undefined, name: string): boolean {
  if (v === undefined || v === "false") return false;
  if (v === "true") return true;
  throw new RegistryError(400, `${name} must be true or false`);
}

function parseListQuery(raw: string): ListQuery {
  const q = queryParams(raw);
  if (!q) throw new RegistryError(400, "The query string has invalid %-encoding");
  if ("duplicate" in q) throw new RegistryError(400, `${q.duplicate} is given more than once`);
  for (const [k, v] of q) {
    if (/[\u0000-\u001f\u007f]/.test(v) || !v.isWellFormed()) throw new RegistryError(400, `${k} contains characters that are not allowed`);
  }
  const limitRaw = q.get("limit");
  let limit = DEFAULT_LIMIT;
  if (limitRaw !== undefined) {
    if (!/^[1-9]\d{0,2}$/.test(limitRaw) || Number(limitRaw) > MAX_LIMIT) throw new RegistryError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
    limit = Number(limitRaw);
  }
  const search = q.get("search");
  if (search !== undefined && search.length > 200) throw new RegistryError(400, "search must be at most 200 characters");
  const since = q.get("updated_since");
  let updatedSince: number | undefined;
  if (since !== undefined) {
    const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(since);
    updatedSince = ok ? Date.parse(since) : NaN;
    if (!Number.isFinite(updatedSince)) throw new RegistryError(400, "updated_since must be an RFC 3339 date-time, e.g. 2025-08-07T13:15:04.280Z");
  }
  const version = q.get("version");
  if (version !== undefined && (version.length === 0 || version.length > 255)) throw new RegistryError(400, "version must be 'latest' or an exact version (at most 255 characters)");
  const cursor = q.get("cursor");
  if (cursor !== undefined && (cursor.length === 0 || cursor.length > 600)) throw new RegistryError(400, "cursor is not a cursor from this registry");
  return { cursor, limit, search: search || undefined, updatedSince, version, includeDeleted: bool(q.get("include_deleted"), "include_deleted") || updatedSince !== undefined };
}

function encodeCursor(e: Entry): string {
  return Buffer.from(`${e.name}\u0000${e.version}`).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  const raw = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const i = raw.indexOf("\u0000");
  if (i < 1) throw new RegistryError(400, "cursor is not a cursor from this registry");
  return [raw.slice(0, i), raw.slice(i + 1)];
}

/** The first entry after (name, version) in the snapshot's order. */
function startAfter(entries: Entry[], name: string, version: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = entries[mid];
    const after = e.name > name || (e.name === name && e.version > version);
    if (after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function listBody(snap: Snapshot, q: ListQuery): string {
  const needle = q.search?.toLowerCase();
  let i = 0;
  if (q.cursor) {
    const [name, version] = decodeCursor(q.cursor);
    i = startAfter(snap.entries, name, version);
  }
  const page: Entry[] = [];
  let more = false;
  for (; i < snap.entries.length; i++) {
    const e = snap.entries[i];
    if (!q.includeDeleted && e.status === "deleted") continue;
    if (q.updatedSince !== undefined && e.updatedAt <= q.updatedSince) continue;
    if (q.version !== undefined && (q.version === "latest" ? !e.isLatest : e.version !== q.version)) continue;
    if (needle && !e.haystack.includes(needle)) continue;
    if (page.length === q.limit) {
      more = true;
      break;
    }
    page.push(e);
  }
  const metadata = more ? `{"nextCursor":${JSON.stringify(encodeCursor(page[page.length - 1]))},"count":${page.length}}` : `{"count":${page.length}}`;
  return `{"servers":[${page.map((e) => e.json).join(",")}],"metadata":${metadata}}`;
}

function listKey(q: ListQuery): string {
  return `list\u0000${q.cursor ?? ""}\u0000${q.limit}\u0000${q.search?.toLowerCase() ?? ""}\u0000${q.updatedSince ?? ""}\u0000${q.version ?? ""}\u0000${q.includeDeleted}`;
}

function serverOf(snap: Snapshot, rawName: string) {
  const name = decode(rawName, "serverName");
  const server = snap.servers.get(name);
  if (!server) throw new RegistryError(404, "Server not found");
  return { name, server };
}

function readIncludeDeleted(rawQuery: string): boolean {
  const q = queryParams(rawQuery);
  if (!q) throw new RegistryError(400, "The query string has invalid %-encoding");
  if ("duplicate" in q) throw new RegistryError(400, `${q.duplicate} is given more than once`);
  return bool(q.get("include_deleted"), "include_deleted");
}

// ---- writes ----

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) throw new RegistryError(415, "Content-Type must be application/json");
  const r = await readBody(req, MAX_BODY);
  if ("error" in r) throw new RegistryError(r.error === "too_large" ? 413 : 400, r.error === "too_large" ? `Request body exceeds ${MAX_BODY} bytes` : "Request body is not valid UTF-8");
  if (nestsDeeperThan(r.text, MAX_JSON_DEPTH)) throw new RegistryError(400, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(r.text);
  } catch {
    throw new RegistryError(400, "Request body is not valid JSON");
  }
  const issues = jsonValueIssues(value);
  if (issues.length) throw new RegistryError(422, `Invalid ${issues[0].field === "(body)" ? "body" : `/${issues[0].field.replaceAll(".", "/")}`}: ${issues[0].message}`);
  return value;
}

const statusSchema = z.strictObject({
  status: z.enum(["active", "deprecated", "deleted"]),
  statusMessage: z.string().max(500).optional(),
});

function parseStatus(value: unknown) {
  const r = statusSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const pointer = `/${issue.path.map(String).join("/")}`;
    const message =
      issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.join(", ")}` : issue.path[0] === "status" ? "must be one of active, deprecated, deleted" : issue.message;
    throw new RegistryError(422, `Invalid ${pointer === "/" ? "body" : pointer}: ${message}`);
  }
  return r.data;
}

function apiErrorToRegistry(err: ApiError): RegistryError {
  const first = Array.isArray(err.details) ? err.details[0] : undefined;
  const where = first && "field" in first ? String(first.field).replace(/^body/, "") : "";
  return new RegistryError(err.status, where && !err.message.includes(where) ? `${err.message} (${where})` : err.message);
}

// ---- the handler ----

/** Answers a /v0.1 or /v0 request; returns false when the path is not one of ours. */
export async function handleRegistry(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<boolean> {
  if (!isRegistryPath(path)) return false;
  const method = req.method ?? "GET";
  const m = match(path);
  try {
    if (!m) throw new RegistryError(404, "Not found");
    const reads = m.route === "list" || m.route === "versions" || m.route === "version";
    const allowed = reads ? "GET, HEAD, OPTIONS" : m.route === "publish" ? "POST, OPTIONS" : "PATCH, OPTIONS";
    if (method === "OPTIONS") {
      res.writeHead(204, {
        ...CORS,
        allow: allowed,
        "access-control-allow-methods": allowed,
        "access-control-allow-headers": "Authorization, Content-Type, If-None-Match",
        "access-control-max-age": "86400",
      });
      res.end();
      return true;
    }
    if (reads ? method !== "GET" && method !== "HEAD" : method !== (m.route === "publish" ? "POST" : "PATCH")) {
      throw new RegistryError(405, `${method} is not allowed here`, { allow: allowed });
    }
    if (!reads) return await write(req, res, m);
    if (env().REGISTRY_PRIVATE) await requirePermission(req, "registry.read");
    const snap = await snapshot();
    const headers = env().REGISTRY_PRIVATE ? { ...READ_HEADERS, "cache-control": "private, no-cache", vary: "Authorization" } : READ_HEADERS;
    if (m.route === "list") {
      const q = parseListQuery(rawQuery);
      sendPrecomputed(req, res, cached(snap, listKey(q), () => listBody(snap, q)), headers);
      return true;
    }
    const includeDeleted = readIncludeDeleted(rawQuery);
    const { name, server } = serverOf(snap, m.name!);
    if (m.route === "versions") {
      const versions = includeDeleted ? server.versions : server.versions.filter((v) => v.status !== "deleted");
      if (!versions.length) throw new RegistryError(404, "Server not found");
      const key = `versions\u0000${name}\u0000${includeDeleted}`;
      sendPrecomputed(req, res, cached(snap, key, () => `{"servers":[${versions.map((v) => v.json).join(",")}],"metadata":{"count":${versions.length}}}`), headers);
      return true;
    }
    const version = decode(m.version!, "version");
    const entry = version === "latest" ? server.latest : server.versions.find((v) => v.version === version);
    if (!entry || (entry.status === "deleted" && !includeDeleted)) throw new RegistryError(404, "Server version not found");
    sendPrecomputed(req, res, cached(snap, `version\u0000${name}\u0000${entry.version}`, () => entry.json), headers);
    return true;
  } catch (err) {
    if (err instanceof RegistryError) {
      sendError(req, res, err.status, err.message, { ...CORS, ...err.headers });
      return true;
    }
    if (err instanceof ApiError) {
      const r = apiErrorToRegistry(err);
      sendError(req, res, r.status, r.message, CORS);
      return true;
    }
    throw err;
  }
}

async function write(req: IncomingMessage, res: ServerResponse, m: NonNullable<ReturnType<typeof match>>): Promise<boolean> {
  if (m.route === "publish") {
    const actor = await requirePermission(req, "servers.submit");
    const body = await jsonBody(req);
    const r = await submitServerVersion(actor, body, "api");
    sendJson(req, res, 200, { server: r.document, _meta: { [PORTCULLIS_META]: { reviewState: r.version.state, reviewId: r.review?.id ?? null, warnings: r.warnings } } }, WRITE_HEADERS);
    return true;
  }
  const actor = await requirePermission(req, "reviews.decide");
  const input = parseStatus(await jsonBody(req));
  const name = decode(m.name!, "serverName");
  if (m.route === "version-status") {
    const version = decode(m.version!, "version");
    const id = await setVersionStatus(actor, name, version, input);
    const entry = (await rebuild()).servers.get(name)?.versions.find((v) => v.id === id);
    sendJson(req, res, 200, JSON.parse(entry!.json), WRITE_HEADERS);
    return true;
  }
  const ids = await setServerStatus(actor, name, input);
  const versions = (await rebuild()).servers.get(name)?.versions ?? [];
  sendJson(req, res, 200, { updatedCount: ids.length, servers: versions.map((v) => JSON.parse(v.json)) }, WRITE_HEADERS);
  return true;
}
