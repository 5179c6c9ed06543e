// Install snippets for one server.json: for each package and each remote, what to paste into
// VS Code (.vscode/mcp.json: "servers" plus "inputs"), Claude Desktop (claude_desktop_config.json:
// "mcpServers", stdio only, so remotes go through the mcp-remote stdio bridge) and the Claude Code
// CLI (`claude mcp add`). Pure and deterministic: same document, same text; JSON uses 2 spaces.
//
// Secret values are never written. VS Code gets a promptString input (password for secrets) and a
// `${input:<id>}` reference; the other clients get a `<YOUR_NAME>` placeholder. Values the user must
// supply that are not secret become inputs in VS Code and `<NAME>` placeholders elsewhere.
// `claude mcp add` puts the server name right after `add`: --env and --header take several values,
// so a name written after them would be read as one more value.
// Sources checked and the clients covered: docs/install-snippets.md.

import type { Argument, Input, KeyValueInput, Package, RemoteTransport, ServerJson } from "@/lib/registry/server-json";

export type SnippetClient = "vscode" | "claude-desktop" | "claude-code";
export interface Snippet {
  client: SnippetClient;
  title: string;
  language: "json" | "shell";
  text: string;
  note?: string;
}
export interface InstallTarget {
  kind: "package" | "remote";
  index: number;
  label: string;
  snippets: Snippet[];
}
export interface InstallSnippetsResult {
  targets: InstallTarget[];
}

const TITLES: Record<SnippetClient, string> = {
  vscode: "VS Code (.vscode/mcp.json)",
  "claude-desktop": "Claude Desktop (claude_desktop_config.json)",
  "claude-code": "Claude Code (CLI)",
};
const CLIENTS = Object.keys(TITLES) as SnippetClient[];
const DEFAULT_RUNTIME: Record<string, string> = { npm: "npx", pypi: "uvx", oci: "docker", nuget: "dnx" };
const TEMPLATE = /\{([^{}\s]+)\}/g;

// ---------------------------------------------------------------- names and quoting

/** The client-side server key: the name after "/", as letters, digits, "-" and "_", starting with a letter. */
export function serverId(name: string): string {
  const id = name
    .slice(name.indexOf("/") + 1)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  return /^[a-z]/.test(id) ? id : id ? `mcp-${id}` : "mcp";
}

/** A POSIX shell word: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const snake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase() || "VALUE";
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "value";
const json = (v: unknown) => JSON.stringify(v, null, 2);

// ---------------------------------------------------------------- values the user supplies

interface VsCodeInput {
  type: "promptString";
  id: string;
  description: string;
  password: boolean;
}
type Templated = Input & { variables?: Record<string, Input> };

/** Turns inputs into text for one snippet: VS Code inputs (mode "vscode") or placeholders. */
class Values {
  readonly inputs: VsCodeInput[] = [];
  private readonly asked = new Map<string, string>();
  constructor(
    private readonly mode: "vscode" | "placeholder",
    private readonly id: string,
  ) {}

  of(name: string, input: Templated): string {
    if (input.value !== undefined) {
      let templated = false;
      const vars = input.variables ?? {};
      const text = input.value.replace(TEMPLATE, (whole, v: string) => {
        if (!Object.prototype.hasOwnProperty.call(vars, v)) return whole;
        templated = true;
        return this.of(v, vars[v]);
      });
      // a secret's literal value is never copied; a template's non-secret text is
      if (templated || !input.isSecret) return text;
    } else if (!input.isSecret && input.default !== undefined) {
      return input.default;
    }
    return this.ask(name, input);
  }

  private ask(name: string, input: Input): string {
    const known = this.asked.get(name);
    if (known !== undefined) return known;
    let text: string;
    if (this.mode === "placeholder") text = `<${input.isSecret ? "YOUR_" : ""}${snake(name)}>`;
    else {
      const base = `${this.id}-${slug(name)}`;
      let id = base;
      for (let n = 2; this.inputs.some((i) => i.id === id); n++) id = `${base}-${n}`;
      this.inputs.push({ type: "promptString", id, description: input.description ?? name, password: input.isSecret === true });
      text = `\${input:${id}}`;
    }
    this.asked.set(name, text);
    return text;
  }
}

/** Optional inputs with nothing to write are left out (and named in the note). */
const wanted = (i: Input) => i.isRequired === true || i.isSecret === true || i.value !== undefined || i.default !== undefined;

// ---------------------------------------------------------------- packages

interface Launch {
  command: string;
  args: string[];
  env: [string, string][];
  omitted: string[];
}

function packageSpec(p: Package): string {
  const v = p.version;
  if (!v) return p.identifier;
  if (p.registryType === "pypi") return `${p.identifier}==${v}`;
  // an OCI reference may already carry its tag or digest
  if (p.registryType === "oci") return /@sha256:|:[^/]*$/.test(p.identifier) ? p.identifier : `${p.identifier}:${v}`;
  return `${p.identifier}@${v}`;
}

function launch(p: Package, values: Values): Launch | undefined {
  const runtime = p.runtimeHint ?? DEFAULT_RUNTIME[p.registryType];
  if (!runtime || p.registryType === "mcpb") return undefined;
  const omitted: string[] = [];
  const env: [string, string][] = [];
  for (const e of p.environmentVariables ?? []) {
    if (wanted(e)) env.push([e.name, values.of(e.name, e)]);
    else omitted.push(e.name);
  }
  const argv = (list: Argument[] | undefined) =>
    (list ?? []).flatMap((a): string[] => {
      if (a.type === "positional") return [values.of(a.valueHint ?? "value", a)];
      if (!wanted(a)) {
        omitted.push(a.name);
        return [];
      }
      return [a.name.startsWith("-") ? a.name : `--${a.name}`, values.of(a.name.replace(/^-+/, ""), a)];
    });
  const runtimeArgs = argv(p.runtimeArguments);
  const spec = packageSpec(p);
  const packageArgs = argv(p.packageArguments);
  let args: string[];
  if (runtime === "npx") args = ["-y", ...runtimeArgs, spec, ...packageArgs];
  else if (runtime === "docker" || runtime === "podman") {
    // `-e NAME` hands the container the variable from the client's environment, where env puts it
    args = ["run", "-i", "--rm", ...env.flatMap(([name]) => ["-e", name]), ...runtimeArgs, spec, ...packageArgs];
  } else if (runtime === "dnx") args = [...runtimeArgs, spec, "--yes", ...(packageArgs.length ? ["--", ...packageArgs] : [])];
  else args = [...runtimeArgs, spec, ...packageArgs];
  return { command: runtime, args, env, omitted };
}

const commandLine = (l: Launch) => [...l.env.map(([k, v]) => `${k}=${shellQuote(v)}`), l.command, ...l.args.map(shellQuote)].join(" ");

function notes(...parts: (string | false | undefined)[]): { note?: string } {
  const text = parts.filter(Boolean).join(" ");
  return text ? { note: text } : {};
}
const optionalNote = (omitted: string[]) => omitted.length > 0 && `Optional, not set: ${omitted.join(", ")}.`;
const placeholderNote = (text: string) => /<[A-Z0-9_]+>/.test(text) && "Replace each <…> placeholder with your own value.";
const inputsNote = (v: Values) => v.inputs.length > 0 && "VS Code asks for each input when the server first starts.";

function stdioSnippets(id: string, p: Package): Snippet[] | undefined {
  const vs = new Values("vscode", id);
  const vl = launch(p, vs);
  const ph = new Values("placeholder", id);
  const pl = launch(p, ph);
  if (!vl || !pl) return undefined;
  const env = (l: Launch) => (l.env.length ? { env: Object.fromEntries(l.env) } : {});
  const vscode = json({
    servers: { [id]: { type: "stdio", command: vl.command, args: vl.args, ...env(vl) } },
    ...(vs.inputs.length ? { inputs: vs.inputs } : {}),
  });
  const desktop = json({ mcpServers: { [id]: { command: pl.command, args: pl.args, ...env(pl) } } });
  const code = [
    "claude mcp add",
    shellQuote(id),
    ...pl.env.map(([k, v]) => `--env ${shellQuote(`${k}=${v}`)}`),
    "--",
    shellQuote(pl.command),
    ...pl.args.map(shellQuote),
  ].join(" ");
  const omitted = optionalNote(pl.omitted);
  return [
    { client: "vscode", title: TITLES.vscode, language: "json", text: vscode, ...notes("Merge into .vscode/mcp.json or your user mcp.json.", inputsNote(vs), omitted) },
    {
      client: "claude-desktop",
      title: TITLES["claude-desktop"],
      language: "json",
      text: desktop,
      ...notes("Merge into claude_desktop_config.json, then restart Claude Desktop.", placeholderNote(desktop), omitted),
    },
    { client: "claude-code", title: TITLES["claude-code"], language: "shell", text: code, ...notes(placeholderNote(code), omitted) },
  ];
}

/** Template variables of a package's URL: its arguments (by valueHint or name) and environment variables. */
function packageVariables(p: Package): Record<string, Input> {
  const vars: Record<string, Input> = {};
  for (const a of [...(p.runtimeArguments ?? []), ...(p.packageArguments ?? [])]) {
    if (a.type === "positional" && a.valueHint) vars[a.valueHint] = a;
    if (a.type === "named") vars[a.name.replace(/^-+/, "")] = vars[a.name] = a;
  }
  for (const e of p.environmentVariables ?? []) vars[e.name] = e;
  return vars;
}

function noCommand(text: string, desktopNote: string, otherNote: string): Snippet[] {
  return CLIENTS.map((client) => ({ client, title: TITLES[client], language: "shell", text, note: client === "claude-desktop" ? desktopNote : otherNote }));
}

function packageSnippets(id: string, p: Package): Snippet[] {
  if (p.registryType === "mcpb") {
    const check = p.fileSha256 ? ` Check that its SHA-256 is ${p.fileSha256}.` : "";
    return noCommand(
      p.identifier,
      `An MCP bundle: download it and open the .mcpb file with Claude Desktop to install it.${check}`,
      `An MCP bundle: there is no command for this client; download it and set it up from its manifest.${check}`,
    );
  }
  if (p.transport.type === "stdio") {
    const s = stdioSnippets(id, p);
    if (s) return s;
    const why = `No install command: registry type "${p.registryType}" is not one Portcullis knows and no runtimeHint is given.`;
    return noCommand(p.identifier, why, why);
  }
  // a package that serves HTTP itself: start it, then connect to its URL
  const pl = launch(p, new Values("placeholder", id));
  const start = pl ? `Start the server first: ${commandLine(pl)}` : "Start the server first.";
  const { url, type, headers } = p.transport;
  return urlSnippets(id, type, url, packageVariables(p), headers ?? [], start);
}

// ---------------------------------------------------------------- remotes (and local HTTP servers)

function urlSnippets(id: string, type: "streamable-http" | "sse", url: string, variables: Record<string, Input>, headers: KeyValueInput[], start?: string): Snippet[] {
  const render = (values: Values) => {
    const at = values.of("url", { value: url, variables });
    const omitted: string[] = [];
    const list: [string, string][] = [];
    for (const h of headers) {
      if (wanted(h)) list.push([h.name, values.of(h.name, h)]);
      else omitted.push(h.name);
    }
    return { url: at, headers: list, omitted };
  };
  const vs = new Values("vscode", id);
  const v = render(vs);
  const p = render(new Values("placeholder", id));
  const omitted = optionalNote(p.omitted);

  const vscode = json({
    servers: { [id]: { type: type === "sse" ? "sse" : "http", url: v.url, ...(v.headers.length ? { headers: Object.fromEntries(v.headers) } : {}) } },
    ...(vs.inputs.length ? { inputs: vs.inputs } : {}),
  });
  // mcp-remote reads ${VAR} in a header from its environment; no space after the colon because
  // some launchers split arguments on spaces
  const headerEnv = p.headers.map(([name, value]) => [`MCP_HEADER_${snake(name)}`, name, value] as const);
  const desktop = json({
    mcpServers: {
      [id]: {
        command: "npx",
        args: ["-y", "mcp-remote", p.url, ...(type === "sse" ? ["--transport", "sse-only"] : []), ...headerEnv.flatMap(([env, name]) => ["--header", `${name}:\${${env}}`])],
        ...(headerEnv.length ? { env: Object.fromEntries(headerEnv.map(([env, , value]) => [env, value])) } : {}),
      },
    },
  });
  const code = [
    "claude mcp add --transport",
    type === "sse" ? "sse" : "http",
    shellQuote(id),
    shellQuote(p.url),
    ...p.headers.map(([name, value]) => `--header ${shellQuote(`${name}: ${value}`)}`),
  ].join(" ");
  return [
    { client: "vscode", title: TITLES.vscode, language: "json", text: vscode, ...notes(start, "Merge into .vscode/mcp.json or your user mcp.json.", inputsNote(vs), omitted) },
    {
      client: "claude-desktop",
      title: TITLES["claude-desktop"],
      language: "json",
      text: desktop,
      ...notes(
        start,
        start
          ? "Claude Desktop starts stdio servers only, so this runs the mcp-remote bridge (Node.js) to the URL."
          : "Claude Desktop adds remote servers under Settings > Connectors by URL; to configure it in claude_desktop_config.json instead, this runs the mcp-remote stdio bridge (Node.js).",
        placeholderNote(desktop),
        omitted,
      ),
    },
    { client: "claude-code", title: TITLES["claude-code"], language: "shell", text: code, ...notes(start, placeholderNote(code), omitted) },
  ];
}

function remoteSnippets(id: string, r: RemoteTransport): Snippet[] {
  return urlSnippets(id, r.type, r.url, r.variables ?? {}, r.headers ?? []);
}

// ---------------------------------------------------------------- entry point

/** Install snippets for each package and remote of a (valid) server.json, in document order. */
export function installSnippets(doc: ServerJson): InstallSnippetsResult {
  const id = serverId(doc.name);
  const targets: InstallTarget[] = [];
  (doc.packages ?? []).forEach((p, index) => {
    const label = `${p.registryType} package ${p.identifier}${p.version ? ` ${p.version}` : ""}`;
    targets.push({ kind: "package", index, label, snippets: packageSnippets(id, p) });
  });
  (doc.remotes ?? []).forEach((r, index) => {
    const label = `Remote (${r.type === "sse" ? "SSE" : "Streamable HTTP"}) ${r.url}`;
    targets.push({ kind: "remote", index, label, snippets: remoteSnippets(id, r) });
  });
  return { targets };
}
