import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { OFFICIAL_META, PORTCULLIS_META } from "@/lib/registry/meta";
import { tagList } from "@/lib/registry/tags";
import { pickLatest } from "@/lib/registry/semver";
import { getSetting } from "@/lib/settings/data";
import { toolsMeta } from "@/lib/registry/tools-meta";

// The in-memory snapshot of the approved catalog the public registry serves. Built from the
// database in one read; each entry's ServerResponse JSON is serialised once, and per-server
// responses (a version, the versions list) carry their bytes and a strong ETag precomputed.

export interface Entry {
  /** The ServerVersion row. */
  id: string;
  name: string;
  version: string;
  status: "active" | "deprecated" | "deleted";
  isLatest: boolean;
  updatedAt: number;
  publishedAt: number;
  /** Lower-cased name, title and description, for `search`. */
  haystack: string;
  /** The ServerResponse, serialised. */
  json: string;
}

export interface Precomputed {
  body: Buffer;
  etag: string;
}

export interface ServerEntry {
  /** Newest first by publication. */
  versions: Entry[];
  latest?: Entry;
}

export interface Snapshot {
  /** Every approved version, ordered by (name, version) for stable cursors. */
  entries: Entry[];
  servers: Map<string, ServerEntry>;
  /** Cache of precomputed bodies, keyed by route and options. */
  bodies: Map<string, Precomputed>;
}

export function etagOf(body: Buffer | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

export function precompute(json: string): Precomputed {
  const body = Buffer.from(json);
  return { body, etag: etagOf(body) };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** Builds a snapshot from the database (approved versions only). */
export async function buildSnapshot(): Promise<Snapshot> {
  const rows = await db().serverVersion.findMany({
    where: { state: "approved" },
    select: {
      id: true,
      version: true,
      document: true,
      status: true,
      statusMessage: true,
      statusChangedAt: true,
      publishedAt: true,
      updatedAt: true,
      isLatest: true,
      title: true,
      description: true,
      serverId: true,
      driftSince: true,
      pinnedSnapshotId: true,
      latestSnapshotId: true,
      lastCheckedAt: true,
      server: { select: { name: true, tags: true, riskLevel: true, ownerTeam: true } },
    },
  });
  // A drifted version is left out while driftAction says "withdraw" (until its new snapshot is
  // approved); when that removes a server's latest version, the next one in semver order serves.
  const withdraw = (await getSetting("driftAction")) === "withdraw";
  const served = withdraw ? rows.filter((r) => !r.driftSince) : rows;
  if (served.length !== rows.length) {
    const byServer = new Map<string, typeof served>();
    for (const r of served) byServer.set(r.serverId, [...(byServer.get(r.serverId) ?? []), r]);
    for (const list of byServer.values()) {
      if (list.some((r) => r.isLatest)) continue;
      const next = pickLatest(list.filter((r) => r.status !== "deleted").map((r) => ({ ...r, publishedAt: r.publishedAt ?? new Date(0) })));
      if (next) list.find((r) => r.id === next.id)!.isLatest = true;
    }
  }
  const tools = await toolsMeta(served);
  const entries: Entry[] = served.map((r) => {
    const official: Record<string, unknown> = { status: r.status };
    if (r.statusMessage) official.statusMessage = r.statusMessage;
    official.statusChangedAt = iso(r.statusChangedAt ?? r.publishedAt);
    official.publishedAt = iso(r.publishedAt);
    official.updatedAt = iso(r.updatedAt);
    official.isLatest = r.isLatest;
    const ours: Record<string, unknown> = { reviewState: "approved" };
    if (r.server.riskLevel) ours.riskLevel = r.server.riskLevel;
    const tags = tagList(r.server.tags);
    if (tags.length) ours.tags = tags;
    if (r.server.ownerTeam) ours.ownerTeam = r.server.ownerTeam;
    const t = tools.get(r.id);
    if (t) ours.tools = t;
    const response = { server: r.document, _meta: { [OFFICIAL_META]: official, [PORTCULLIS_META]: ours } };
    return {
      id: r.id,
      name: r.server.name,
      version: r.version,
      status: r.status,
      isLatest: r.isLatest,
      updatedAt: r.updatedAt.getTime(),
      haystack: `${r.server.name}\n${r.title ?? ""}\n${r.description}`.toLowerCase(),
      json: JSON.stringify(response),
      publishedAt: r.publishedAt?.getTime() ?? 0,
    };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const servers = new Map<string, ServerEntry>();
  for (const e of entries) {
    let s = servers.get(e.name);
    if (!s) servers.set(e.name, (s = { versions: [] }));
    s.versions.push(e);
    if (e.isLatest) s.latest = e;
  }
  for (const s of servers.values()) {
    s.versions.sort((a, b) => b.publishedAt - a.publishedAt);
  }
  return { entries, servers, bodies: new Map() };
}

/** The precomputed body for a key, made once per snapshot. */
export function cached(snapshot: Snapshot, key: string, make: () => string): Precomputed {
  let p = snapshot.bodies.get(key);
  if (!p) {
    p = precompute(make());
    // Bounded: list pages are many; single-server bodies are few per server.
    if (snapshot.bodies.size > 50_000) snapshot.bodies.clear();
    snapshot.bodies.set(key, p);
  }
  return p;
}
