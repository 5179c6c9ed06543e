import { describe, expect, it } from "vitest";
import { installSnippets, serverId, shellQuote, type Snippet } from "@/lib/registry/install-snippets";
import type { Package, RemoteTransport, ServerJson } from "@/lib/registry/server-json";

const doc = (over: Partial<ServerJson>): ServerJson => ({ name: "io.github.acme/weather", description: "Weather", version: "1.0.0", ...over });
const pkg = (p: Partial<Package>): Package => ({ registryType: "npm", identifier: "@acme/weather", version: "1.2.0", transport: { type: "stdio" }, ...p });
const snippetsOf = (p: Partial<Package>) => installSnippets(doc({ packages: [pkg(p)] })).targets[0].snippets;
const of = (snippets: Snippet[], client: Snippet["client"]) => snippets.find((s) => s.client === client)!;
const vscode = (s: Snippet[]) => JSON.parse(of(s, "vscode").text);
const desktop = (s: Snippet[]) => JSON.parse(of(s, "claude-desktop").text);
const code = (s: Snippet[]) => of(s, "claude-code").text;

describe("installSnippets: command per registry type", () => {
  const cases: [string, Partial<Package>, string, string[]][] = [
    ["npm", {}, "npx", ["-y", "@acme/weather@1.2.0"]],
    ["npm without a version", { version: undefined }, "npx", ["-y", "@acme/weather"]],
    ["pypi", { registryType: "pypi", identifier: "acme-weather" }, "uvx", ["acme-weather==1.2.0"]],
    ["oci", { registryType: "oci", identifier: "ghcr.io/acme/weather" }, "docker", ["run", "-i", "--rm", "ghcr.io/acme/weather:1.2.0"]],
    ["oci with its own tag", { registryType: "oci", identifier: "localhost:5000/acme/weather:2.0", version: undefined }, "docker", ["run", "-i", "--rm", "localhost:5000/acme/weather:2.0"]],
    ["oci with a port but no tag", { registryType: "oci", identifier: "localhost:5000/acme/weather" }, "docker", ["run", "-i", "--rm", "localhost:5000/acme/weather:1.2.0"]],
    ["nuget", { registryType: "nuget", identifier: "Acme.Weather" }, "dnx", ["Acme.Weather@1.2.0", "--yes"]],
    ["runtimeHint overrides the default runner", { runtimeHint: "bunx" }, "bunx", ["@acme/weather@1.2.0"]],
    ["runtimeHint equal to the default", { registryType: "pypi", identifier: "acme-weather", runtimeHint: "uvx" }, "uvx", ["acme-weather==1.2.0"]],
  ];
  it.each(cases)("%s", (_, p, command, args) => {
    const s = snippetsOf(p);
    expect(s.map((x) => x.client)).toEqual(["vscode", "claude-desktop", "claude-code"]);
    expect(vscode(s)).toEqual({ servers: { weather: { type: "stdio", command, args } } });
    expect(desktop(s)).toEqual({ mcpServers: { weather: { command, args } } });
    expect(code(s)).toBe(`claude mcp add weather -- ${command} ${args.join(" ")}`);
  });

  it("labels targets and keeps document order, packages before remotes", () => {
    const r = installSnippets(
      doc({
        packages: [pkg({}), pkg({ registryType: "pypi", identifier: "acme-weather" })],
        remotes: [{ type: "sse", url: "https://mcp.acme.test/sse" }],
      }),
    );
    expect(r.targets.map((t) => [t.kind, t.index, t.label])).toEqual([
      ["package", 0, "npm package @acme/weather 1.2.0"],
      ["package", 1, "pypi package acme-weather 1.2.0"],
      ["remote", 0, "Remote (SSE) https://mcp.acme.test/sse"],
    ]);
  });

  it("is deterministic and pretty-prints JSON with 2 spaces", () => {
    const d = doc({ packages: [pkg({ environmentVariables: [{ name: "API_KEY", isSecret: true }] })] });
    expect(installSnippets(d)).toEqual(installSnippets(d));
    const text = of(installSnippets(d).targets[0].snippets, "claude-desktop").text;
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
    expect(text.split("\n")[1]).toBe('  "mcpServers": {');
  });

  it("unknown registry type without runtimeHint: a note, no command", () => {
    const s = snippetsOf({ registryType: "cargo", identifier: "acme-weather" });
    expect(s).toHaveLength(3);
    for (const x of s) {
      expect(x.text).toBe("acme-weather");
      expect(x.note).toMatch(/no install command.*cargo/i);
    }
  });
});

describe("installSnippets: arguments and environment", () => {
  it("puts runtime arguments before the package and package arguments after it", () => {
    const s = snippetsOf({
      registryType: "oci",
      identifier: "acme/weather",
      runtimeHint: "docker",
      runtimeArguments: [{ type: "named", name: "--mount", value: "type=bind,src={src},dst=/data", variables: { src: { default: "/tmp/w" } } }],
      packageArguments: [
        { type: "positional", value: "serve" },
        { type: "positional", valueHint: "target_dir" },
        { type: "named", name: "--port", default: "8080" },
        { type: "named", name: "log-level", value: "debug" },
        { type: "named", name: "--verbose" },
      ],
      environmentVariables: [{ name: "REGION", value: "eu" }],
    });
    const args = ["run", "-i", "--rm", "-e", "REGION", "--mount", "type=bind,src=/tmp/w,dst=/data", "acme/weather:1.2.0", "serve"];
    expect(desktop(s).mcpServers.weather.args).toEqual([...args, "<TARGET_DIR>", "--port", "8080", "--log-level", "debug"]);
    expect(desktop(s).mcpServers.weather.env).toEqual({ REGION: "eu" });
    const v = vscode(s);
    expect(v.servers.weather.args).toEqual([...args, "${input:weather-target-dir}", "--port", "8080", "--log-level", "debug"]);
    expect(v.inputs).toEqual([{ type: "promptString", id: "weather-target-dir", description: "target_dir", password: false }]);
    expect(code(s)).toBe(
      "claude mcp add weather --env REGION=eu -- docker run -i --rm -e REGION --mount type=bind,src=/tmp/w,dst=/data acme/weather:1.2.0 serve '<TARGET_DIR>' --port 8080 --log-level debug",
    );
    for (const x of s) expect(x.note).toContain("Optional, not set: --verbose.");
  });

  it("npx: runtime arguments after -y and before the package; dnx: package arguments after --", () => {
    const npx = snippetsOf({ runtimeArguments: [{ type: "named", name: "--node-options", value: "--max-old-space-size=512" }], packageArguments: [{ type: "positional", value: "stdio" }] });
    expect(desktop(npx).mcpServers.weather.args).toEqual(["-y", "--node-options", "--max-old-space-size=512", "@acme/weather@1.2.0", "stdio"]);
    const dnx = snippetsOf({ registryType: "nuget", identifier: "Acme.Weather", packageArguments: [{ type: "named", name: "--root", value: "/srv" }] });
    expect(desktop(dnx).mcpServers.weather.args).toEqual(["Acme.Weather@1.2.0", "--yes", "--", "--root", "/srv"]);
  });

  it("never fills in secrets: VS Code inputs (password) and <YOUR_…> placeholders", () => {
    const s = snippetsOf({
      environmentVariables: [
        { name: "API_KEY", description: "Your Acme API key", isSecret: true, isRequired: true },
        { name: "LEAKED", isSecret: true, value: "sk-live-123" },
        { name: "ALSO", isSecret: true, default: "sk-default" },
        { name: "AUTH", isSecret: true, value: "Bearer {token}", variables: { token: { isSecret: true } } },
        { name: "REGION", isRequired: true },
        { name: "LOG_LEVEL", default: "info" },
        { name: "DEBUG" },
      ],
    });
    const v = vscode(s);
    expect(v.servers.weather.env).toEqual({
      API_KEY: "${input:weather-api-key}",
      LEAKED: "${input:weather-leaked}",
      ALSO: "${input:weather-also}",
      AUTH: "Bearer ${input:weather-token}",
      REGION: "${input:weather-region}",
      LOG_LEVEL: "info",
    });
    expect(v.inputs).toEqual([
      { type: "promptString", id: "weather-api-key", description: "Your Acme API key", password: true },
      { type: "promptString", id: "weather-leaked", description: "LEAKED", password: true },
      { type: "promptString", id: "weather-also", description: "ALSO", password: true },
      { type: "promptString", id: "weather-token", description: "token", password: true },
      { type: "promptString", id: "weather-region", description: "REGION", password: false },
    ]);
    expect(desktop(s).mcpServers.weather.env).toEqual({
      API_KEY: "<YOUR_API_KEY>",
      LEAKED: "<YOUR_LEAKED>",
      ALSO: "<YOUR_ALSO>",
      AUTH: "Bearer <YOUR_TOKEN>",
      REGION: "<REGION>",
      LOG_LEVEL: "info",
    });
    for (const x of s) {
      expect(x.text).not.toContain("sk-live-123");
      expect(x.text).not.toContain("sk-default");
      expect(x.note).toContain("Optional, not set: DEBUG.");
    }
    expect(code(s)).toBe(
      "claude mcp add weather --env 'API_KEY=<YOUR_API_KEY>' --env 'LEAKED=<YOUR_LEAKED>' --env 'ALSO=<YOUR_ALSO>' --env 'AUTH=Bearer <YOUR_TOKEN>' --env 'REGION=<REGION>' --env LOG_LEVEL=info -- npx -y @acme/weather@1.2.0",
    );
    expect(of(s, "claude-code").note).toMatch(/^Replace each <…> placeholder/);
    expect(of(s, "vscode").note).toContain("VS Code asks for each input");
  });

  it("quotes odd values safely for the shell", () => {
    const s = snippetsOf({
      packageArguments: [
        { type: "positional", value: "it's a $HOME `x` \"y\"" },
        { type: "positional", value: "" },
        { type: "positional", value: "=zsh" },
        { type: "positional", value: "~/notes" },
        { type: "positional", value: "a;b|c&d" },
      ],
    });
    expect(code(s)).toBe(`claude mcp add weather -- npx -y @acme/weather@1.2.0 'it'\\''s a $HOME \`x\` "y"' '' '=zsh' '~/notes' 'a;b|c&d'`);
    expect(desktop(s).mcpServers.weather.args.slice(2)).toEqual(["it's a $HOME `x` \"y\"", "", "=zsh", "~/notes", "a;b|c&d"]);
  });
});

describe("installSnippets: remotes", () => {
  const remote = (r: Partial<RemoteTransport>) =>
    installSnippets(doc({ remotes: [{ type: "streamable-http", url: "https://mcp.acme.test/mcp", ...r } as RemoteTransport] })).targets[0].snippets;

  it("streamable-http with a secret header, a templated header and a URL variable", () => {
    const s = remote({
      url: "https://{tenant}.acme.test/mcp",
      variables: { tenant: { description: "Your tenant", isRequired: true } },
      headers: [
        { name: "Authorization", isSecret: true, isRequired: true, value: "Bearer {token}", variables: { token: { isSecret: true } } },
        { name: "X-Client", value: "portcullis" },
        { name: "X-Trace" },
      ],
    });
    expect(vscode(s)).toEqual({
      servers: { weather: { type: "http", url: "https://${input:weather-tenant}.acme.test/mcp", headers: { Authorization: "Bearer ${input:weather-token}", "X-Client": "portcullis" } } },
      inputs: [
        { type: "promptString", id: "weather-tenant", description: "Your tenant", password: false },
        { type: "promptString", id: "weather-token", description: "token", password: true },
      ],
    });
    expect(desktop(s)).toEqual({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "mcp-remote", "https://<TENANT>.acme.test/mcp", "--header", "Authorization:${MCP_HEADER_AUTHORIZATION}", "--header", "X-Client:${MCP_HEADER_X_CLIENT}"],
          env: { MCP_HEADER_AUTHORIZATION: "Bearer <YOUR_TOKEN>", MCP_HEADER_X_CLIENT: "portcullis" },
        },
      },
    });
    expect(of(s, "claude-desktop").note).toMatch(/Connectors.*mcp-remote/);
    expect(code(s)).toBe("claude mcp add --transport http weather 'https://<TENANT>.acme.test/mcp' --header 'Authorization: Bearer <YOUR_TOKEN>' --header 'X-Client: portcullis'");
    for (const x of s) expect(x.note).toContain("Optional, not set: X-Trace.");
  });

  it("sse without headers", () => {
    const s = remote({ type: "sse", url: "https://mcp.acme.test/sse" });
    expect(vscode(s)).toEqual({ servers: { weather: { type: "sse", url: "https://mcp.acme.test/sse" } } });
    expect(desktop(s)).toEqual({ mcpServers: { weather: { command: "npx", args: ["-y", "mcp-remote", "https://mcp.acme.test/sse", "--transport", "sse-only"] } } });
    expect(code(s)).toBe("claude mcp add --transport sse weather https://mcp.acme.test/sse");
  });

  it("a package serving HTTP itself: connect to its URL, and say how to start it", () => {
    const s = snippetsOf({
      transport: { type: "streamable-http", url: "http://localhost:{port}/mcp" },
      packageArguments: [{ type: "named", name: "--port", default: "9000" }],
      environmentVariables: [{ name: "API_KEY", isSecret: true }],
    });
    expect(vscode(s)).toEqual({ servers: { weather: { type: "http", url: "http://localhost:9000/mcp" } } });
    expect(code(s)).toBe("claude mcp add --transport http weather http://localhost:9000/mcp");
    for (const x of s) expect(x.note).toContain("Start the server first: API_KEY='<YOUR_API_KEY>' npx -y @acme/weather@1.2.0 --port 9000");
  });
});

describe("installSnippets: MCP bundles", () => {
  it("gives the download URL and a note, no command", () => {
    const url = "https://github.com/acme/weather/releases/download/v1.2.0/weather.mcpb";
    const s = snippetsOf({ registryType: "mcpb", identifier: url, fileSha256: "a".repeat(64) });
    expect(s.map((x) => x.client)).toEqual(["vscode", "claude-desktop", "claude-code"]);
    for (const x of s) {
      expect(x.text).toBe(url);
      expect(x.note).toContain(`SHA-256 is ${"a".repeat(64)}`);
    }
    expect(of(s, "claude-desktop").note).toMatch(/open the \.mcpb file with Claude Desktop/);
  });
});

describe("serverId and shellQuote", () => {
  it.each([
    ["io.github.acme/weather", "weather"],
    ["com.example/My.Server_v2", "my-server_v2"],
    ["com.example/123-tools", "mcp-123-tools"],
    ["com.example/--x--", "x"],
    ["com.example/...", "mcp"],
  ])("serverId(%s) = %s", (name, id) => expect(serverId(name)).toBe(id));

  it.each([
    ["plain", "plain"],
    ["@scope/pkg@1.0.0", "@scope/pkg@1.0.0"],
    ["K=V", "K=V"],
    ["", "''"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$(rm -rf /)", "'$(rm -rf /)'"],
    ["line\nbreak", "'line\nbreak'"],
  ])("shellQuote(%j) = %s", (s, q) => expect(shellQuote(s)).toBe(q));
});

describe("installSnippets: every JSON snippet parses", () => {
  it("across a document with every kind of target", () => {
    const r = installSnippets(
      doc({
        name: "io.github.acme/we\"ird\\name",
        packages: [
          pkg({ environmentVariables: [{ name: "Q", value: 'say "hi" \\ there', isRequired: true }] }),
          pkg({ registryType: "oci", identifier: "acme/w" }),
          pkg({ registryType: "mcpb", identifier: "https://x.test/w.mcpb" }),
        ],
        remotes: [{ type: "streamable-http", url: "https://x.test/mcp", headers: [{ name: "A", value: "\u2028\"" }] }],
      }),
    );
    const all = r.targets.flatMap((t) => t.snippets);
    expect(all.filter((x) => x.language === "json")).toHaveLength(6);
    for (const x of all.filter((y) => y.language === "json")) expect(() => JSON.parse(x.text)).not.toThrow();
    expect(JSON.parse(of(r.targets[0].snippets, "vscode").text).servers["we-ird-name"].env.Q).toBe('say "hi" \\ there');
  });
});
