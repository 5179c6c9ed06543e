import { describe, expect, it } from "vitest";
import { buildManagedSettings, launchCommands, matchersOf, serializeManagedSettings, urlPattern, type AllowlistVersion } from "@/lib/registry/allowlists";

const stdio = { type: "stdio" };
const npm = (identifier: string, version: string, extra: Record<string, unknown> = {}) => ({ registryType: "npm", identifier, version, transport: stdio, ...extra });
const v = (name: string, status: AllowlistVersion["status"], server: Record<string, unknown>): AllowlistVersion => ({ name, status, server: { name, ...server } });

describe("launchCommands", () => {
  it("each registry type: the command VS Code installs, npx -y, and cmd /c on Windows", () => {
    expect(launchCommands(npm("@acme/files", "1.2.3"))).toEqual([
      ["npx", "@acme/files@1.2.3"],
      ["npx", "-y", "@acme/files@1.2.3"],
      ["cmd", "/c", "npx", "@acme/files@1.2.3"],
      ["cmd", "/c", "npx", "-y", "@acme/files@1.2.3"],
    ]);
    expect(launchCommands({ registryType: "pypi", identifier: "acme-mcp", version: "0.4.0", transport: stdio })).toEqual([
      ["uvx", "acme-mcp==0.4.0"],
      ["cmd", "/c", "uvx", "acme-mcp==0.4.0"],
    ]);
    expect(launchCommands({ registryType: "nuget", identifier: "Acme.Mcp", version: "2.0.0", transport: stdio })).toEqual([
      ["dnx", "Acme.Mcp@2.0.0", "--yes"],
      ["cmd", "/c", "dnx", "Acme.Mcp@2.0.0", "--yes"],
    ]);
    expect(
      launchCommands({ registryType: "oci", identifier: "ghcr.io/acme/mcp", version: "1.0.0", transport: stdio, environmentVariables: [{ name: "TOKEN", isSecret: true }] }),
    ).toEqual([["docker", "run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/acme/mcp:1.0.0"]]);
    // a tag or digest already in the identifier is kept, not doubled
    expect(launchCommands({ registryType: "oci", identifier: "docker.io/acme/mcp:1.0.0", version: "1.0.0", transport: stdio })[0].at(-1)).toBe("docker.io/acme/mcp:1.0.0");
    expect(launchCommands({ registryType: "mcpb", identifier: "https://example.com/x.mcpb", version: "1.0.0", transport: stdio })).toEqual([]);
    expect(launchCommands({ registryType: "cargo", identifier: "x", version: "1", transport: stdio })).toEqual([]);
  });

  it("fixed arguments are spliced in VS Code's order; arguments that need the user's input leave no command", () => {
    const withArgs = npm("@acme/db", "3.0.0", {
      runtimeArguments: [{ type: "named", name: "-y" }],
      packageArguments: [{ type: "named", name: "--mode", value: "read-only" }, { type: "positional", value: "." }],
    });
    expect(launchCommands(withArgs)).toEqual([
      ["npx", "-y", "@acme/db@3.0.0", "--mode", "read-only", "."],
      ["cmd", "/c", "npx", "-y", "@acme/db@3.0.0", "--mode", "read-only", "."],
    ]);
    const cases: [string, unknown][] = [
      ["positional without a value", [{ type: "positional", valueHint: "directory", description: "root" }]],
      ["named that prompts", [{ type: "named", name: "--token", description: "your token" }]],
      ["value with a variable", [{ type: "named", name: "--url", value: "https://{host}/", variables: { host: { description: "host" } } }]],
      ["value Claude Code would expand", [{ type: "positional", value: "${HOME}/data" }]],
      ["not a list", { type: "positional", value: "x" }],
    ];
    for (const [what, packageArguments] of cases) expect(launchCommands(npm("@acme/x", "1.0.0", { packageArguments })), what).toEqual([]);
  });

  it("a runtimeHint naming another launcher adds its form", () => {
    expect(launchCommands(npm("@acme/b", "1.0.0", { runtimeHint: "bunx" })).slice(0, 3)).toEqual([
      ["npx", "@acme/b@1.0.0"],
      ["npx", "-y", "@acme/b@1.0.0"],
      ["bunx", "@acme/b@1.0.0"],
    ]);
  });
});

describe("urlPattern and matchersOf", () => {
  it("URL templates become * wildcards in the path; a variable in the host or port leaves the URL out", () => {
    expect(urlPattern("https://mcp.example.com/mcp")).toBe("https://mcp.example.com/mcp");
    expect(urlPattern("https://mcp.example.com/{tenant}/mcp/{region}")).toBe("https://mcp.example.com/*/mcp/*");
    // a * in the host or port would match other hosts: https://attacker.test/x.example.com/mcp,
    // http://localhost:1@evil.test/mcp
    expect(urlPattern("https://{tenant}.example.com/mcp")).toBeNull();
    expect(urlPattern("http://localhost:{port}/mcp")).toBeNull();
    expect(urlPattern("https://user@mcp.example.com/mcp")).toBeNull();
    for (const bad of ["ftp://x.example.com", "https://*.example.com/", "https://${HOST}/mcp", "not a url", 42]) expect(urlPattern(bad), String(bad)).toBeNull();
  });

  it("remotes give serverUrl; stdio packages give serverCommand; http packages give their URL", () => {
    expect(
      matchersOf({
        remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp" }],
        packages: [
          { registryType: "pypi", identifier: "acme", version: "1.0.0", transport: stdio },
          { registryType: "npm", identifier: "@acme/http", version: "1.0.0", transport: { type: "streamable-http", url: "http://localhost:{port}/mcp" } },
        ],
      }),
    ).toEqual([
      { serverUrl: "https://mcp.example.com/mcp" },
      { serverCommand: ["uvx", "acme==1.0.0"] },
      { serverCommand: ["cmd", "/c", "uvx", "acme==1.0.0"] },
    ]);
    expect(matchersOf(null)).toEqual([]);
    expect(matchersOf({ packages: "nope", remotes: [{ url: 1 }] })).toEqual([]);
  });
});

describe("buildManagedSettings", () => {
  const remote = (url: string) => ({ remotes: [{ type: "streamable-http", url }] });

  it("active and deprecated versions are allowed; a wholly revoked server is denied by URL, command and name", () => {
    const doc = buildManagedSettings([
      v("io.example/b", "active", remote("https://b.example.com/mcp")),
      v("io.example/a", "deprecated", { packages: [npm("@acme/a", "1.0.0")] }),
      v("io.example/gone", "deleted", remote("https://gone.example.com/mcp")),
    ]);
    expect(doc.allowedMcpServers).toEqual([
      { serverUrl: "https://b.example.com/mcp" },
      { serverCommand: ["cmd", "/c", "npx", "-y", "@acme/a@1.0.0"] },
      { serverCommand: ["cmd", "/c", "npx", "@acme/a@1.0.0"] },
      { serverCommand: ["npx", "-y", "@acme/a@1.0.0"] },
      { serverCommand: ["npx", "@acme/a@1.0.0"] },
    ]);
    expect(doc.deniedMcpServers).toEqual([{ serverName: "io.example/gone" }, { serverUrl: "https://gone.example.com/mcp" }]);
  });

  it("a revoked version of a live server denies only what no approved version still uses", () => {
    const doc = buildManagedSettings([
      v("io.example/s", "active", { ...remote("https://s.example.com/mcp"), packages: [npm("@acme/s", "2.0.0")] }),
      v("io.example/s", "deleted", { ...remote("https://s.example.com/mcp"), packages: [npm("@acme/s", "1.0.0")] }),
    ]);
    expect(doc.allowedMcpServers).toContainEqual({ serverUrl: "https://s.example.com/mcp" });
    expect(doc.deniedMcpServers).not.toContainEqual({ serverUrl: "https://s.example.com/mcp" });
    expect(doc.deniedMcpServers).not.toContainEqual({ serverName: "io.example/s" });
    expect(doc.deniedMcpServers).toContainEqual({ serverCommand: ["npx", "-y", "@acme/s@1.0.0"] });
  });

  it("entries are deduplicated and the bytes do not depend on input order", () => {
    const versions = [
      v("io.example/x", "active", remote("https://shared.example.com/mcp")),
      v("io.example/y", "active", remote("https://shared.example.com/mcp")),
      v("io.example/z", "active", { packages: [npm("@acme/z", "1.0.0")] }),
      v("io.example/old", "deleted", remote("https://old.example.com/mcp")),
    ];
    const a = serializeManagedSettings(buildManagedSettings(versions));
    const b = serializeManagedSettings(buildManagedSettings([...versions].reverse()));
    expect(a).toBe(b);
    expect(JSON.parse(a).allowedMcpServers.filter((m: { serverUrl?: string }) => m.serverUrl === "https://shared.example.com/mcp")).toHaveLength(1);
  });

  it("serialises one entry a line; nothing approved is an empty allowlist (which clients read as: allow nothing)", () => {
    expect(serializeManagedSettings(buildManagedSettings([]))).toBe('{\n  "allowedMcpServers": [],\n  "deniedMcpServers": []\n}\n');
    const text = serializeManagedSettings(buildManagedSettings([v("io.example/b", "active", remote("https://b.example.com/mcp"))]));
    expect(text).toBe('{\n  "allowedMcpServers": [\n    {"serverUrl":"https://b.example.com/mcp"}\n  ],\n  "deniedMcpServers": []\n}\n');
  });
});
