import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/chain";
import type { Capture, JsonObject } from "@/lib/registry/tools-capture";

// The pure side of tool snapshots: the canonical form a capture is stored and hashed in, the
// hash of each item, what changed between the pinned snapshot and a new one (drift), and the
// scopes each tool requires by default.

export type ItemKind = "tool" | "prompt" | "resource" | "resourceTemplate";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const byKey = (key: string) => (a: JsonObject, b: JsonObject) => {
  const x = String(a[key] ?? "");
  const y = String(b[key] ?? "");
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The capture with every list in a stable order: what is stored, hashed and compared. */
export function normalizeCapture(c: Capture): Capture {
  return {
    era: c.era,
    protocolVersion: c.protocolVersion,
    serverInfo: c.serverInfo,
    capabilities: c.capabilities,
    instructions: c.instructions,
    tools: [...c.tools].sort(byKey("name")),
    prompts: [...c.prompts].sort(byKey("name")),
    resources: [...c.resources].sort(byKey("uri")),
    resourceTemplates: [...c.resourceTemplates].sort(byKey("uriTemplate")),
  };
}

export interface ItemHash {
  kind: ItemKind;
  name: string;
  hash: string;
}

export interface CanonicalSnapshot {
  canonical: string;
  hash: string;
  items: ItemHash[];
}

export function canonicalSnapshot(capture: Capture): CanonicalSnapshot {
  const c = normalizeCapture(capture);
  const canonical = canonicalJson(c);
  const items: ItemHash[] = [
    ...c.tools.map((t) => ({ kind: "tool" as const, name: String(t.name ?? ""), hash: sha256(canonicalJson(t)) })),
    ...c.prompts.map((p) => ({ kind: "prompt" as const, name: String(p.name ?? ""), hash: sha256(canonicalJson(p)) })),
    ...c.resources.map((r) => ({ kind: "resource" as const, name: String(r.uri ?? r.name ?? ""), hash: sha256(canonicalJson(r)) })),
    ...c.resourceTemplates.map((r) => ({ kind: "resourceTemplate" as const, name: String(r.uriTemplate ?? r.name ?? ""), hash: sha256(canonicalJson(r)) })),
  ];
  return { canonical, hash: sha256(canonical), items };
}

/** The fields of a tool whose change is drift (names are compared by presence). */
export const TOOL_FIELDS = ["title", "description", "inputSchema", "outputSchema", "annotations", "execution", "_meta"] as const;
const PROMPT_FIELDS = ["title", "description", "arguments", "_meta"] as const;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ItemChange {
  name: string;
  fields: FieldChange[];
}

export interface ListDiff {
  added: string[];
  removed: string[];
  changed: ItemChange[];
}

export interface SnapshotDiff {
  /** True when tools, prompts or the server's instructions changed: the version has drifted. */
  detected: boolean;
  tools: ListDiff;
  prompts: ListDiff;
  instructions: { before: string | null; after: string | null } | null;
  /** Resources and templates change often by design (listings of data); shown, not drift. */
  resources: ListDiff;
  resourceTemplates: ListDiff;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function diffList(before: JsonObject[], after: JsonObject[], key: string, fields: readonly string[] | null): ListDiff {
  const old = new Map(before.map((i) => [String(i[key] ?? ""), i]));
  const now = new Map(after.map((i) => [String(i[key] ?? ""), i]));
  const added = [...now.keys()].filter((k) => !old.has(k)).sort();
  const removed = [...old.keys()].filter((k) => !now.has(k)).sort();
  const changed: ItemChange[] = [];
  for (const [name, item] of [...now.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const prev = old.get(name);
    if (!prev) continue;
    const names = fields ?? [...new Set([...Object.keys(prev), ...Object.keys(item)])].sort();
    const changes = names.filter((f) => !same(prev[f], item[f])).map((f) => ({ field: f, before: prev[f] ?? null, after: item[f] ?? null }));
    if (changes.length) changed.push({ name, fields: changes });
  }
  return { added, removed, changed };
}

const empty = (d: ListDiff) => !d.added.length && !d.removed.length && !d.changed.length;

/** What changed from `pinned` to `current`. */
export function diffSnapshots(pinned: Capture, current: Capture): SnapshotDiff {
  const tools = diffList(pinned.tools, current.tools, "name", TOOL_FIELDS);
  const prompts = diffList(pinned.prompts, current.prompts, "name", PROMPT_FIELDS);
  const instructions = (pinned.instructions ?? null) === (current.instructions ?? null) ? null : { before: pinned.instructions ?? null, after: current.instructions ?? null };
  return {
    detected: !empty(tools) || !empty(prompts) || instructions !== null,
    tools,
    prompts,
    instructions,
    resources: diffList(pinned.resources, current.resources, "uri", null),
    resourceTemplates: diffList(pinned.resourceTemplates, current.resourceTemplates, "uriTemplate", null),
  };
}

/** A one-line account of a diff, for audit events and lists. */
export function diffSummary(d: SnapshotDiff): string {
  const parts: string[] = [];
  const list = (what: string, l: ListDiff) => {
    if (l.added.length) parts.push(`${what} added: ${l.added.join(", ")}`);
    if (l.removed.length) parts.push(`${what} removed: ${l.removed.join(", ")}`);
    for (const c of l.changed) parts.push(`${what} ${c.name} changed (${c.fields.map((f) => f.field).join(", ")})`);
  };
  list("tool", d.tools);
  list("prompt", d.prompts);
  if (d.instructions) parts.push("server instructions changed");
  return parts.join("; ") || "no change";
}

export type ScopeSource = "declared" | "default" | "edited";

export interface ToolScopes {
  scopes: string[];
  source: ScopeSource;
}

const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/; // RFC 6749 scope-token characters

function scopesIn(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((s): s is string => typeof s === "string" && SCOPE.test(s));
}

/**
 * The scopes a tool declares: OAuth `securitySchemes` on the tool or in its `_meta` (as MCP
 * Apps servers and SEP-1488 declare them), or our own `_meta["io.portcullis/scopes"]`; else a
 * default from its annotations (read-only tools need `tools:read`, anything else `tools:write`).
 */
export function declaredScopes(tool: JsonObject): ToolScopes {
  const meta = (tool._meta && typeof tool._meta === "object" ? tool._meta : {}) as JsonObject;
  const found = new Set<string>(scopesIn(meta["io.portcullis/scopes"]));
  for (const schemes of [tool.securitySchemes, meta.securitySchemes]) {
    if (!Array.isArray(schemes)) continue;
    for (const s of schemes) if (s && typeof s === "object" && (s as JsonObject).type === "oauth2") for (const x of scopesIn((s as JsonObject).scopes)) found.add(x);
  }
  if (found.size) return { scopes: [...found].sort(), source: "declared" };
  const annotations = (tool.annotations && typeof tool.annotations === "object" ? tool.annotations : {}) as JsonObject;
  return { scopes: [annotations.readOnlyHint === true ? "tools:read" : "tools:write"], source: "default" };
}

export const isScope = (s: string) => SCOPE.test(s);

/** Parses stored canonical JSON back into a capture. */
export function parseCanonical(text: string): Capture {
  return JSON.parse(text) as Capture;
}
