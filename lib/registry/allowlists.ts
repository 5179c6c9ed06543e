// Client allowlists from the approved catalog: the `allowedMcpServers` / `deniedMcpServers`
// managed-settings document that Claude Code, GitHub Copilot (VS Code, Copilot CLI) and VS Code's
// own enterprise policies read (docs/allowlists.md has the format and its sources). Pure: it takes
// the approved versions and returns the document; lib/public/allowlists.ts serves it.
//
// An entry names a server in exactly one way. We emit only the two that bind to what actually
// runs: `serverUrl` (remote servers; `*` is a wildcard, so a URL template's `{variable}` becomes
// `*`) and `serverCommand` (stdio servers, matched as the exact argument list). `serverName` is a
// label the user chooses, so it is never an allow entry; a server revoked as a whole is also
// denied by its registry name, which is what a VS Code gallery install is labelled with.

/** Where the public fast path serves the document (a stable URL for clients and fleet tooling). */
export const MANAGED_SETTINGS_PATH = "/allowlists/managed-settings.json";

export type McpServerMatcher = { serverName: string } | { serverUrl: string } | { serverCommand: string[] };

export interface ManagedSettings {
  allowedMcpServers: McpServerMatcher[];
  deniedMcpServers: McpServerMatcher[];
}

/** One approved version of a server, as the snapshot serves it. */
export interface AllowlistVersion {
  name: string;
  status: "active" | "deprecated" | "deleted";
  /** The version's server.json (already validated at submission; read defensively). */
  server: unknown;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The command a client runs for each registry type, as VS Code installs from a registry. */
const LAUNCHERS: Record<string, { command: string; ref: (id: string, version?: string) => string }> = {
  npm: { command: "npx", ref: (id, v) => (v ? `${id}@${v}` : id) },
  pypi: { command: "uvx", ref: (id, v) => (v ? `${id}==${v}` : id) },
  // An OCI identifier may already carry its tag or digest.
  oci: { command: "docker", ref: (id, v) => (v && !/(:[\w.-]+|@sha256:[a-f0-9]+)$/.test(id.slice(id.lastIndexOf("/") + 1)) ? `${id}:${v}` : id) },
  nuget: { command: "dnx", ref: (id, v) => (v ? `${id}@${v}` : id) },
};

/** Claude Code expands `${VAR}` inside policy entries, so a part containing one is not literal. */
const EXPANDS = /\$\{/;

/**
 * The argument list when every argument is fixed (a value with no `{variable}` to fill in, or a
 * flag); null when launching needs the user's input, so no exact command can be listed.
 */
function fixedArguments(list: unknown): string[] | null {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return null;
  const out: string[] = [];
  for (const a of list) {
    if (!isRecord(a)) return null;
    const value = a.value;
    if (value !== undefined) {
      if (typeof value !== "string") return null;
      const vars = isRecord(a.variables) ? Object.keys(a.variables) : [];
      if (vars.some((k) => value.includes(`{${k}}`))) return null;
    }
    if (a.type === "named") {
      if (typeof a.name !== "string" || !a.name) return null;
      out.push(a.name);
      if (value !== undefined) out.push(value);
      else if (a.description !== undefined || a.default !== undefined) return null; // prompts for a value
    } else if (a.type === "positional") {
      if (value === undefined) return null;
      out.push(value);
    } else return null;
  }
  return out;
}

/**
 * The exact commands that start a stdio package: the form VS Code writes when it installs from a
 * registry (`npx pkg@1.2.3`, `uvx pkg==1.2.3`, `docker run -i --rm img:1.2.3`, `dnx pkg@1.2.3 --yes`),
 * the `npx -y` form Claude Code's own examples use, the publisher's `runtimeHint` when it names
 * another launcher, and each of these behind `cmd /c` (how stdio servers start on native Windows).
 * Empty when the registry type has no launcher (mcpb) or an argument needs the user's input.
 */
export function launchCommands(pkg: unknown): string[][] {
  if (!isRecord(pkg) || typeof pkg.registryType !== "string" || typeof pkg.identifier !== "string" || !pkg.identifier) return [];
  const launcher = LAUNCHERS[pkg.registryType];
  if (!launcher) return [];
  const runtime = fixedArguments(pkg.runtimeArguments);
  const packageArgs = fixedArguments(pkg.packageArguments);
  if (!runtime || !packageArgs) return [];
  const version = typeof pkg.version === "string" && pkg.version ? pkg.version : undefined;
  const args: string[] = [];
  if (pkg.registryType === "oci") args.push("run", "-i", "--rm");
  args.push(...runtime);
  if (pkg.registryType === "oci" && Array.isArray(pkg.environmentVariables)) {
    for (const e of pkg.environmentVariables) if (isRecord(e) && typeof e.name === "string" && e.name) args.push("-e", e.name);
  }
  args.push(launcher.ref(pkg.identifier, version));
  if (pkg.registryType === "nuget") {
    args.push("--yes");
    if (packageArgs.length) args.push("--");
  }
  args.push(...packageArgs);

  const commands = [launcher.command];
  if (typeof pkg.runtimeHint === "string" && /^[\w.-]+$/.test(pkg.runtimeHint) && pkg.runtimeHint !== launcher.command) commands.push(pkg.runtimeHint);
  const forms: string[][] = [];
  for (const command of commands) {
    forms.push([command, ...args]);
    if (command === "npx" && args[0] !== "-y" && args[0] !== "--yes") forms.push([command, "-y", ...args]);
  }
  const all = [...forms, ...(pkg.registryType === "oci" ? [] : forms.map((f) => ["cmd", "/c", ...f]))];
  return all.filter((c) => c.every((part) => part.length > 0 && !EXPANDS.test(part)));
}

/**
 * A `serverUrl` pattern for a URL (template): a `{variable}` in the path becomes `*`; null when
 * not http(s), or when a variable sits in the host or port. Clients match `*` against any run of
 * characters, so `https://*.example/sse` would also allow `https://attacker.test/x.example/sse`:
 * such a server is left out of the file (add it by hand in a fragment, docs/allowlists.md).
 */
export function urlPattern(url: unknown): string | null {
  if (typeof url !== "string" || url.includes("*") || EXPANDS.test(url)) return null;
  const parts = /^(https?:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!parts || !parts[2] || /[{}@]/.test(parts[2])) return null;
  const pattern = parts[1] + parts[2] + parts[3].replace(/\{[^{}/]*\}/g, "*");
  return /^https?:\/\/[^\s{}]+$/i.test(pattern) ? pattern : null;
}

/** What one version connects to or runs: its remotes' URLs, its packages' URLs and commands. */
export function matchersOf(server: unknown): McpServerMatcher[] {
  if (!isRecord(server)) return [];
  const out: McpServerMatcher[] = [];
  if (Array.isArray(server.remotes)) {
    for (const r of server.remotes) {
      const u = isRecord(r) ? urlPattern(r.url) : null;
      if (u) out.push({ serverUrl: u });
    }
  }
  if (Array.isArray(server.packages)) {
    for (const p of server.packages) {
      if (!isRecord(p) || !isRecord(p.transport)) continue;
      if (p.transport.type === "stdio") {
        for (const c of launchCommands(p)) out.push({ serverCommand: c });
      } else {
        // streamable-http / sse: the client connects to the URL the running package serves
        const u = urlPattern(p.transport.url);
        if (u) out.push({ serverUrl: u });
      }
    }
  }
  return out;
}

const key = (m: McpServerMatcher) => JSON.stringify(m);
const RANK = { serverName: 0, serverUrl: 1, serverCommand: 2 };
const kindOf = (m: McpServerMatcher) => Object.keys(m)[0] as keyof typeof RANK;

/** Name entries, then URL patterns, then commands; each by code units (never locale-dependent). */
function sorted(set: Map<string, McpServerMatcher>): McpServerMatcher[] {
  return [...set.entries()]
    .sort(([ka, a], [kb, b]) => RANK[kindOf(a)] - RANK[kindOf(b)] || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, m]) => m);
}

/**
 * The managed-settings document. Allowed: what every active or deprecated approved version runs or
 * connects to. Denied: what revoked (deleted) versions ran or connected to, plus the registry name
 * of a server none of whose approved versions is left; an entry an allowed version still uses is
 * never denied (clients let deny win, which would block the approved server too).
 */
export function buildManagedSettings(versions: Iterable<AllowlistVersion>): ManagedSettings {
  const allowed = new Map<string, McpServerMatcher>();
  const revoked = new Map<string, McpServerMatcher>();
  const live = new Map<string, boolean>();
  for (const v of versions) {
    const isLive = v.status !== "deleted";
    live.set(v.name, (live.get(v.name) ?? false) || isLive);
    for (const m of matchersOf(v.server)) (isLive ? allowed : revoked).set(key(m), m);
  }
  for (const [name, isLive] of live) {
    if (!isLive) revoked.set(key({ serverName: name }), { serverName: name });
  }
  for (const k of allowed.keys()) revoked.delete(k);
  return { allowedMcpServers: sorted(allowed), deniedMcpServers: sorted(revoked) };
}

/** Stable bytes: one entry a line (readable diffs between generations), trailing newline. */
export function serializeManagedSettings(s: ManagedSettings): string {
  const list = (ms: McpServerMatcher[]) => (ms.length ? `[\n${ms.map((m) => `    ${JSON.stringify(m)}`).join(",\n")}\n  ]` : "[]");
  return `{\n  "allowedMcpServers": ${list(s.allowedMcpServers)},\n  "deniedMcpServers": ${list(s.deniedMcpServers)}\n}\n`;
}
