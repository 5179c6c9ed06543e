import { describe, expect, it } from "vitest";
import { KNOWN_REGISTRY_TYPES, MAX_ISSUES, SERVER_SCHEMA_URL, validateServerJson } from "@/lib/registry/server-json";

const base = { name: "io.github.acme/weather", description: "Weather tools", version: "1.0.0" };
const remote = { type: "streamable-http", url: "https://mcp.example.com/mcp" };
const doc = (extra: Record<string, unknown>) => ({ ...base, remotes: [remote], ...extra });
const pkg = (extra: Record<string, unknown> = {}) => ({ registryType: "npm", identifier: "@acme/weather", version: "1.0.0", transport: { type: "stdio" }, ...extra });
const withPkg = (extra: Record<string, unknown>) => ({ ...base, packages: [pkg(extra)] });
const errors = (d: unknown) => validateServerJson(d).errors;
const warnings = (d: unknown) => validateServerJson(d).warnings;

describe("validateServerJson: valid documents", () => {
  it("accepts the smallest document, returns it as `server`, keeps unknown members", () => {
    const d = doc({ extra: { any: 1 } });
    const r = validateServerJson(d);
    expect(r).toEqual({ valid: true, errors: [], warnings: [], server: d });
    expect(r.server?.extra).toEqual({ any: 1 });
  });

  it("accepts every optional member in its allowed form", () => {
    const full = {
      $schema: SERVER_SCHEMA_URL,
      ...base,
      title: "Weather",
      websiteUrl: "https://acme.example/weather",
      repository: { url: "https://github.com/acme/weather", source: "github", id: "123", subfolder: "servers/weather" },
      icons: [{ src: "https://acme.example/i.png", mimeType: "image/png", sizes: ["48x48", "any"], theme: "dark" }],
      packages: [
        pkg({
          registryBaseUrl: "https://registry.npmjs.org",
          runtimeHint: "npx",
          runtimeArguments: [{ type: "named", name: "--yes", isRepeated: false }],
          packageArguments: [
            { type: "positional", valueHint: "dir", isRequired: true, format: "filepath" },
            { type: "positional", value: "--stdio", variables: { x: { isSecret: true } } },
          ],
          environmentVariables: [{ name: "API_KEY", isSecret: true, choices: ["a", "b"], default: "a" }],
        }),
        { registryType: "mcpb", identifier: "https://x.example/p.mcpb", fileSha256: "f".repeat(64), transport: { type: "sse", url: "http://localhost:{PORT}/sse", headers: [{ name: "X" }] }, environmentVariables: [{ name: "PORT" }] },
      ],
      remotes: [{ type: "sse", url: "https://{tenant}.example/sse", variables: { tenant: { isRequired: true } }, headers: [{ name: "Authorization", isSecret: true }] }],
      _meta: { "io.modelcontextprotocol.registry/publisher-provided": { tool: "x" }, "com.example/info": 1 },
    };
    expect(validateServerJson(full)).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it("an older dated $schema is judged by the 2025-12-11 rules, with a warning", () => {
    const old = "https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json";
    expect(validateServerJson(doc({ $schema: old }))).toMatchObject({
      valid: true,
      warnings: [{ pointer: "/$schema", message: `is not the 2025-12-11 schema; the document is judged by the 2025-12-11 rules (${SERVER_SCHEMA_URL})` }],
    });
    // a member the older schemas had but 2025-12-11 does not is an unknown member, allowed
    expect(validateServerJson(doc({ $schema: old, status: "active" })).valid).toBe(true);
  });

  it("a stdio transport constrains nothing but its type; undefined members count as absent", () => {
    expect(errors(withPkg({ transport: { type: "stdio", url: 5, headers: "x" } }))).toEqual([]);
    expect(errors(doc({ title: undefined }))).toEqual([]);
  });

  it("counts lengths in code points, not UTF-16 units", () => {
    expect(errors(doc({ description: "😀".repeat(100) }))).toEqual([]);
    expect(errors(doc({ description: "😀".repeat(101) }))).toEqual([{ pointer: "/description", message: "must be at most 100 characters" }]);
    expect(errors(doc({ name: "a/😀" }))[0]?.pointer).toBe("/name");
  });
});

describe("validateServerJson: each schema rule, by pointer", () => {
  const NAME = 'must be a namespace, one "/" and a name, using letters, digits, "." and "-" (and "_" in the name), e.g. io.github.example/weather';
  const URI = "must be an absolute URI (RFC 3986), e.g. https://example.com/path";
  const cases: [string, unknown, { pointer: string; message: string }[]][] = [
    ["not an object", [], [{ pointer: "", message: "must be an object" }]],
    ["required members", { remotes: [] }, [
      { pointer: "/name", message: "is required" },
      { pointer: "/description", message: "is required" },
      { pointer: "/version", message: "is required" },
    ]],
    ["name pattern", doc({ name: "no-slash" }), [{ pointer: "/name", message: NAME }]],
    ["name with two slashes", doc({ name: "a.b/c/d" }), [{ pointer: "/name", message: NAME }]],
    ["name too short", doc({ name: "a/" }), [{ pointer: "/name", message: "must be at least 3 characters" }, { pointer: "/name", message: NAME }]],
    ["name too long", doc({ name: `a/${"b".repeat(199)}` }), [{ pointer: "/name", message: "must be at most 200 characters" }]],
    ["name not a string", doc({ name: 1 }), [{ pointer: "/name", message: "must be a string" }]],
    ["description empty", doc({ description: "" }), [{ pointer: "/description", message: "must not be empty" }]],
    ["description too long", doc({ description: "d".repeat(101) }), [{ pointer: "/description", message: "must be at most 100 characters" }]],
    ["version too long", doc({ version: "1".repeat(256) }), [{ pointer: "/version", message: "must be at most 255 characters" }]],
    ["version a number", doc({ version: 1 }), [{ pointer: "/version", message: "must be a string" }]],
    ["title empty", doc({ title: "" }), [{ pointer: "/title", message: "must not be empty" }]],
    ["title too long", doc({ title: "t".repeat(101) }), [{ pointer: "/title", message: "must be at most 100 characters" }]],
    ["$schema not a URI", doc({ $schema: "server.schema.json" }), [{ pointer: "/$schema", message: URI }]],
    ["websiteUrl not a URI", doc({ websiteUrl: "example.com" }), [{ pointer: "/websiteUrl", message: URI }]],
    ["websiteUrl with a space", doc({ websiteUrl: "https://example.com/a b" }), [{ pointer: "/websiteUrl", message: URI }]],
    ["websiteUrl with a bad escape", doc({ websiteUrl: "https://example.com/%zz" }), [{ pointer: "/websiteUrl", message: URI }]],
    ["websiteUrl with a bad port", doc({ websiteUrl: "https://example.com:80a/" }), [{ pointer: "/websiteUrl", message: URI }]],
    ["websiteUrl with non-ASCII", doc({ websiteUrl: "https://exämple.com/" }), [{ pointer: "/websiteUrl", message: URI }]],
    ["repository not an object", doc({ repository: "https://github.com/a/b" }), [{ pointer: "/repository", message: "must be an object" }]],
    ["repository without source", doc({ repository: { url: "https://github.com/a/b" } }), [{ pointer: "/repository/source", message: "is required" }]],
    ["repository url not a URI", doc({ repository: { url: "github.com/a/b", source: "github" } }), [{ pointer: "/repository/url", message: URI }]],
    ["repository id not a string", doc({ repository: { url: "https://github.com/a/b", source: "github", id: 5 } }), [{ pointer: "/repository/id", message: "must be a string" }]],
    ["icons not an array", doc({ icons: {} }), [{ pointer: "/icons", message: "must be an array" }]],
    ["icon without src", doc({ icons: [{}] }), [{ pointer: "/icons/0/src", message: "is required" }]],
    ["icon src too long", doc({ icons: [{ src: `https://x.example/${"i".repeat(240)}` }] }), [{ pointer: "/icons/0/src", message: "must be at most 255 characters" }]],
    ["icon mimeType", doc({ icons: [{ src: "https://x/i", mimeType: "image/gif" }] }), [{ pointer: "/icons/0/mimeType", message: 'must be one of "image/png", "image/jpeg", "image/jpg", "image/svg+xml", "image/webp"' }]],
    ["icon theme", doc({ icons: [{ src: "https://x/i", theme: "blue" }] }), [{ pointer: "/icons/0/theme", message: 'must be one of "light", "dark"' }]],
    ["icon size", doc({ icons: [{ src: "https://x/i", sizes: ["big", 48] }] }), [
      { pointer: "/icons/0/sizes/0", message: 'must be WIDTHxHEIGHT (e.g. 48x48) or "any"' },
      { pointer: "/icons/0/sizes/1", message: "must be a string" },
    ]],
    ["packages not an array", { ...base, packages: {} }, [{ pointer: "/packages", message: "must be an array" }]],
    ["package not an object", { ...base, packages: ["npm"] }, [{ pointer: "/packages/0", message: "must be an object" }]],
    ["package required members", { ...base, packages: [{}] }, [
      { pointer: "/packages/0/registryType", message: "is required" },
      { pointer: "/packages/0/identifier", message: "is required" },
      { pointer: "/packages/0/transport", message: "is required" },
    ]],
    ["package version latest", withPkg({ version: "latest" }), [{ pointer: "/packages/0/version", message: 'must be a specific version, not "latest"' }]],
    ["package version empty", withPkg({ version: "" }), [{ pointer: "/packages/0/version", message: "must not be empty" }]],
    ["package version too long", withPkg({ version: "1".repeat(256) }), [{ pointer: "/packages/0/version", message: "must be at most 255 characters" }]],
    ["package registryType a number", withPkg({ registryType: 1 }), [{ pointer: "/packages/0/registryType", message: "must be a string" }]],
    ["package registryBaseUrl", withPkg({ registryBaseUrl: "registry.npmjs.org" }), [{ pointer: "/packages/0/registryBaseUrl", message: URI }]],
    ["package fileSha256", withPkg({ fileSha256: "F".repeat(64) }), [{ pointer: "/packages/0/fileSha256", message: "must be 64 lower-case hexadecimal characters (a SHA-256 digest)" }]],
    ["package runtimeHint", withPkg({ runtimeHint: ["npx"] }), [{ pointer: "/packages/0/runtimeHint", message: "must be a string" }]],
    ["package transport type", withPkg({ transport: { type: "http" } }), [{ pointer: "/packages/0/transport/type", message: 'must be one of "stdio", "streamable-http", "sse"' }]],
    ["package transport without type", withPkg({ transport: {} }), [{ pointer: "/packages/0/transport/type", message: "is required" }]],
    ["package transport not an object", withPkg({ transport: "stdio" }), [{ pointer: "/packages/0/transport", message: "must be an object" }]],
    ["package http transport without url", withPkg({ transport: { type: "streamable-http" } }), [{ pointer: "/packages/0/transport/url", message: "is required" }]],
    ["package transport url", withPkg({ transport: { type: "sse", url: "localhost:8080" } }), [{ pointer: "/packages/0/transport/url", message: "must be an http:// or https:// URL without whitespace" }]],
    ["package transport header", withPkg({ transport: { type: "sse", url: "http://x", headers: [{ value: "v" }] } }), [{ pointer: "/packages/0/transport/headers/0/name", message: "is required" }]],
    ["argument without type", withPkg({ packageArguments: [{ value: "x" }] }), [{ pointer: "/packages/0/packageArguments/0/type", message: "is required" }]],
    ["argument type", withPkg({ runtimeArguments: [{ type: "flag", name: "-v" }], runtimeHint: "npx" }), [{ pointer: "/packages/0/runtimeArguments/0/type", message: 'must be one of "positional", "named"' }]],
    ["positional without value or valueHint", withPkg({ packageArguments: [{ type: "positional" }] }), [{ pointer: "/packages/0/packageArguments/0", message: 'must have "valueHint" or "value"' }]],
    ["positional valueHint", withPkg({ packageArguments: [{ type: "positional", valueHint: 1 }] }), [{ pointer: "/packages/0/packageArguments/0/valueHint", message: "must be a string" }]],
    ["named without name", withPkg({ packageArguments: [{ type: "named" }] }), [{ pointer: "/packages/0/packageArguments/0/name", message: "is required" }]],
    ["argument isRepeated", withPkg({ packageArguments: [{ type: "named", name: "-v", isRepeated: "yes" }] }), [{ pointer: "/packages/0/packageArguments/0/isRepeated", message: "must be true or false" }]],
    ["input format", withPkg({ environmentVariables: [{ name: "A", format: "int" }] }), [{ pointer: "/packages/0/environmentVariables/0/format", message: 'must be one of "string", "number", "boolean", "filepath"' }]],
    ["input booleans", withPkg({ environmentVariables: [{ name: "A", isRequired: 1, isSecret: "true" }] }), [
      { pointer: "/packages/0/environmentVariables/0/isRequired", message: "must be true or false" },
      { pointer: "/packages/0/environmentVariables/0/isSecret", message: "must be true or false" },
    ]],
    ["input strings", withPkg({ environmentVariables: [{ name: 1, description: 2, default: 3, placeholder: 4, value: 5 }] }), [
      { pointer: "/packages/0/environmentVariables/0/description", message: "must be a string" },
      { pointer: "/packages/0/environmentVariables/0/default", message: "must be a string" },
      { pointer: "/packages/0/environmentVariables/0/placeholder", message: "must be a string" },
      { pointer: "/packages/0/environmentVariables/0/value", message: "must be a string" },
      { pointer: "/packages/0/environmentVariables/0/name", message: "must be a string" },
    ]],
    ["input choices", withPkg({ environmentVariables: [{ name: "A", choices: ["a", 1] }] }), [{ pointer: "/packages/0/environmentVariables/0/choices/1", message: "must be a string" }]],
    ["input variables", withPkg({ environmentVariables: [{ name: "A", variables: { "a/b~c": { isSecret: 1 }, x: [] } }] }), [
      { pointer: "/packages/0/environmentVariables/0/variables/a~1b~0c/isSecret", message: "must be true or false" },
      { pointer: "/packages/0/environmentVariables/0/variables/x", message: "must be an object" },
    ]],
    ["variables not an object", withPkg({ environmentVariables: [{ name: "A", variables: [] }] }), [{ pointer: "/packages/0/environmentVariables/0/variables", message: "must be an object" }]],
    ["remote stdio", { ...base, remotes: [{ type: "stdio" }] }, [{ pointer: "/remotes/0/type", message: 'must be one of "streamable-http", "sse"' }]],
    ["remote url with a space", { ...base, remotes: [{ type: "sse", url: "https://a b" }] }, [{ pointer: "/remotes/0/url", message: "must be an http:// or https:// URL without whitespace" }]],
    ["remote variables, whatever the type", { ...base, remotes: [{ type: "ws", variables: { t: { format: 1 } } }] }, [
      { pointer: "/remotes/0/variables/t/format", message: 'must be one of "string", "number", "boolean", "filepath"' },
      { pointer: "/remotes/0/type", message: 'must be one of "streamable-http", "sse"' },
    ]],
    ["remote header", { ...base, remotes: [{ ...remote, headers: [{ name: "X", isSecret: "no" }] }] }, [{ pointer: "/remotes/0/headers/0/isSecret", message: "must be true or false" }]],
    ["_meta not an object", doc({ _meta: [] }), [{ pointer: "/_meta", message: "must be an object" }]],
    ["publisher-provided not an object", doc({ _meta: { "io.modelcontextprotocol.registry/publisher-provided": 1 } }), [
      { pointer: "/_meta/io.modelcontextprotocol.registry~1publisher-provided", message: "must be an object" },
    ]],
  ];
  it.each(cases)("%s", (_, d, want) => {
    const r = validateServerJson(d);
    expect(r.errors).toEqual(want);
    expect(r.valid).toBe(false);
    expect(r.server).toBeUndefined();
  });

  it("format uri follows RFC 3986: IP literals, empty paths, userinfo, query and fragment", () => {
    for (const ok of ["https://[::1]:8443/x", "https://[v1.fe]/", "http://u:p@127.0.0.1/", "urn:isbn:0451450523", "mailto:a@b.example", "a:", "https://x.example/a?b=c/d?#e"]) {
      expect(errors(doc({ websiteUrl: ok })), ok).toEqual([]);
    }
    // "a:/[::1]" is not RFC 3986 (brackets only in a host after "//"); ajv-formats accepts it
    for (const bad of ["https://[::1/", "https://[::g]/", "a:/[::1]", "1a:b", "://x", "https://x/#a#b", "https://x/\\"]) {
      expect(errors(doc({ websiteUrl: bad })), bad).toHaveLength(1);
    }
  });
});

describe("validateServerJson: prose-only rules are warnings, never rejections", () => {
  const RANGE_PKG = "is a version range; the schema says ranges are rejected, so pin a specific version";
  it.each(["^1.2.3", "~1.2.3", ">=1.2.3", "<2", "1.x", "1.*", "*", "x", "1.2.3 - 2.0.0", "1 || 2"])("version range %s", (v) => {
    const r = validateServerJson({ ...base, version: v, packages: [pkg({ version: v })] });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      { pointer: "/packages/0/version", message: RANGE_PKG },
      { pointer: "/version", message: "is a version range; the schema says ranges are rejected, so publish a specific version" },
    ]);
  });

  it("a server version that is not semver, or is latest", () => {
    for (const v of ["2024.1", "v1.0.0", "1.0", "01.0.0"]) {
      expect(warnings(doc({ version: v })), v).toEqual([{ pointer: "/version", message: "is not a semantic version (e.g. 1.0.2), so it may not sort predictably" }]);
    }
    for (const v of ["1.0.2", "2.1.0-alpha", "1.0.0+build.5"]) expect(warnings(doc({ version: v })), v).toEqual([]);
    expect(warnings(doc({ version: "latest" }))).toEqual([{ pointer: "/version", message: '"latest" is not a version: the registry API uses it to mean the newest version' }]);
  });

  it("latest as a package version: rejected exactly as written (the schema), warned otherwise", () => {
    expect(validateServerJson(withPkg({ version: "latest" })).valid).toBe(false);
    expect(validateServerJson(withPkg({ version: "Latest" }))).toMatchObject({ valid: true, warnings: [{ pointer: "/packages/0/version", message: '"Latest" is not a specific version' }] });
    // non-semver package versions are normal (PEP 440, OCI tags): no warning
    expect(warnings(withPkg({ version: "1.0.0a1" }))).toEqual([]);
  });

  it("unknown registry types", () => {
    for (const t of KNOWN_REGISTRY_TYPES) expect(warnings(withPkg({ registryType: t, ...(t === "mcpb" ? { fileSha256: "0".repeat(64) } : {}) })), t).toEqual([]);
    expect(validateServerJson(withPkg({ registryType: "cargo" }))).toMatchObject({
      valid: true,
      warnings: [{ pointer: "/packages/0/registryType", message: '"cargo" is not a known registry type (npm, pypi, oci, nuget, mcpb); clients may not know how to install it' }],
    });
  });

  it("MCPB without fileSha256; runtimeArguments without runtimeHint", () => {
    expect(warnings(withPkg({ registryType: "mcpb" }))).toEqual([{ pointer: "/packages/0/fileSha256", message: "is required for MCPB packages, so clients can verify the download" }]);
    expect(warnings(withPkg({ runtimeArguments: [{ type: "positional", value: "-y" }] }))).toEqual([{ pointer: "/packages/0/runtimeHint", message: "should be given when runtimeArguments are present" }]);
  });

  it("icons that are not HTTPS, a subfolder that is not a clean relative path", () => {
    expect(warnings(doc({ icons: [{ src: "http://x.example/i.png" }] }))).toEqual([{ pointer: "/icons/0/src", message: "must be an HTTPS URL (the schema says so in prose)" }]);
    for (const sub of ["/abs", "a/../b", "./a", "a\\b", "a//b", "C:/x", ""]) {
      expect(warnings(doc({ repository: { url: "https://github.com/a/b", source: "github", subfolder: sub } })), sub).toEqual([
        { pointer: "/repository/subfolder", message: "must be a clean relative path (no leading /, no . or .. segments, no backslashes)" },
      ]);
    }
    expect(warnings(doc({ repository: { url: "https://github.com/a/b", source: "github", subfolder: "src/everything/" } }))).toEqual([]);
  });

  it("URL template variables that nothing defines", () => {
    expect(warnings({ ...base, remotes: [{ type: "sse", url: "https://{tenant}.example/{region}", variables: { tenant: {} } }] })).toEqual([
      { pointer: "/remotes/0/url", message: "refers to {region}, which is not one of this remote's variables" },
    ]);
    expect(warnings(withPkg({ transport: { type: "streamable-http", url: "http://localhost:{port}/mcp" } }))).toEqual([
      { pointer: "/packages/0/transport/url", message: "refers to {port}, which is not an argument valueHint, argument name or environment variable of this package" },
    ]);
    const defined = withPkg({ transport: { type: "streamable-http", url: "http://{host}:{--port}/{A}" }, packageArguments: [{ type: "positional", valueHint: "host" }, { type: "named", name: "--port" }], environmentVariables: [{ name: "A" }] });
    expect(warnings(defined)).toEqual([]);
  });

  it("choices the default or value is not among, _meta keys and names that are not reverse-DNS, nothing to run", () => {
    expect(warnings(withPkg({ environmentVariables: [{ name: "A", choices: ["a"], default: "b", value: "c" }] }))).toEqual([
      { pointer: "/packages/0/environmentVariables/0/default", message: "is not one of the choices; the default should be a valid value" },
      { pointer: "/packages/0/environmentVariables/0/value", message: "is not one of the choices, which the user must select from" },
    ]);
    expect(warnings(doc({ _meta: { vendor: {} } }))).toEqual([{ pointer: "/_meta/vendor", message: "is not a reverse-DNS namespace (e.g. com.example/info)" }]);
    expect(warnings(doc({ name: "acme/weather" }))).toEqual([{ pointer: "/name", message: "has a namespace that is not reverse-DNS (e.g. io.github.example/weather)" }]);
    expect(warnings({ ...base, packages: [], remotes: [] })).toEqual([{ pointer: "", message: "has neither packages nor remotes: there is nothing to install or connect to" }]);
  });

  it("warnings come with errors too, for the reviewer", () => {
    expect(validateServerJson({ ...base, version: "^1", description: "" })).toMatchObject({
      valid: false,
      errors: [{ pointer: "/description", message: "must not be empty" }],
      warnings: [{ pointer: "/version" }, { pointer: "" }],
    });
  });
});

describe("validateServerJson: hostile input never throws", () => {
  it.each([null, undefined, 1, Number.NaN, "server.json", true, [], [base], () => base, Symbol("x"), 10n])("%s", (v) => {
    expect(validateServerJson(v)).toEqual({ valid: false, errors: [{ pointer: "", message: "must be an object" }], warnings: [] });
  });

  it("deep nesting where the schema does not look, and where it does", () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    expect(validateServerJson(doc({ _meta: { "com.example/x": deep }, extra: deep })).valid).toBe(true);
    expect(errors(withPkg({ environmentVariables: [{ name: "A", variables: { v: { variables: deep } } }] }))).toEqual([]);
  });

  it("huge strings and arrays are judged quickly; errors stop at MAX_ISSUES", () => {
    const big = "x".repeat(1_000_000);
    const started = Date.now();
    expect(errors(doc({ description: big }))).toEqual([{ pointer: "/description", message: "must be at most 100 characters" }]);
    expect(errors(doc({ websiteUrl: `https://x.example/${big} ` }))).toHaveLength(1);
    expect(warnings({ ...base, remotes: [{ type: "sse", url: `https://x/{${big}` }] })).toEqual([]);
    expect(errors({ ...base, packages: Array.from({ length: 100_000 }, () => ({})) })).toHaveLength(MAX_ISSUES);
    expect(Date.now() - started).toBeLessThan(5_000); // generous: the machine is shared
  });

  it("getters and proxies that throw, prototypes that lie", () => {
    const getter = Object.defineProperty({ ...base }, "title", { enumerable: true, get: () => { throw new Error("boom"); } });
    const cannot = { valid: false, errors: [{ pointer: "", message: "cannot be read as a JSON document" }], warnings: [] };
    expect(validateServerJson(getter)).toEqual(cannot);
    const proxy = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error("trap"); }, ownKeys: () => { throw new Error("trap"); } });
    expect(validateServerJson(proxy)).toEqual(cannot);
    // inherited members are not members: JSON has none
    expect(errors(Object.create(base))).toEqual([
      { pointer: "/name", message: "is required" },
      { pointer: "/description", message: "is required" },
      { pointer: "/version", message: "is required" },
    ]);
    // JSON.parse makes "__proto__" an own member; it is an unknown member like any other
    expect(validateServerJson(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(doc({})).slice(1)}`)).valid).toBe(true);
  });
});
