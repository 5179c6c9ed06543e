import { describe, expect, it } from "vitest";
import { validateServerJson } from "@/lib/registry/validate";

const base = { name: "io.github.acme/weather", description: "Weather tools", version: "1.0.0" };
const errors = (doc: unknown) => validateServerJson(doc).errors;
const warnings = (doc: unknown) => validateServerJson(doc).warnings;

describe("validateServerJson", () => {
  it("accepts the smallest valid document and keeps unknown fields (the schema allows them)", () => {
    const r = validateServerJson({ ...base, remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp" }], extra: { any: 1 } });
    expect(r).toMatchObject({ valid: true, errors: [] });
    expect(r.server?.extra).toEqual({ any: 1 });
  });

  it("names each field by JSON pointer", () => {
    expect(errors({ description: "x", version: "1" })).toEqual([{ pointer: "", message: 'must have the required property "name"' }]);
    expect(errors({ ...base, name: "no-slash" })).toEqual([{ pointer: "/name", message: "must be a reverse-DNS namespace and a name, e.g. io.github.example/my-server" }]);
    expect(errors({ ...base, description: "d".repeat(101) })).toEqual([{ pointer: "/description", message: "must be at most 100 characters" }]);
    expect(errors({ ...base, description: "é".repeat(100) })).toEqual([]); // code points, not bytes
    expect(errors({ ...base, title: "" })).toEqual([{ pointer: "/title", message: "must not be empty" }]);
    expect(errors({ ...base, version: 1 })).toEqual([{ pointer: "/version", message: "must be a string" }]);
    expect(errors({ ...base, websiteUrl: "example.com" })).toEqual([{ pointer: "/websiteUrl", message: "must be an absolute URI (e.g. https://example.com/x)" }]);
    expect(errors({ ...base, repository: { url: "https://github.com/a/b" } })).toEqual([{ pointer: "/repository", message: 'must have the required property "source"' }]);
    expect(errors({ ...base, packages: [{ registryType: "npm", identifier: "x", transport: { type: "http" } }] })).toEqual([
      { pointer: "/packages/0/transport/type", message: "must be one of stdio, streamable-http, sse" },
    ]);
    expect(errors({ ...base, packages: [{ registryType: "npm", identifier: "x", version: "latest", transport: { type: "stdio" } }] })).toEqual([
      { pointer: "/packages/0/version", message: 'must be an exact version, not "latest"' },
    ]);
    expect(errors({ ...base, remotes: [{ type: "stdio" }] })).toEqual([{ pointer: "/remotes/0/type", message: "must be one of streamable-http, sse" }]);
    expect(errors({ ...base, remotes: [{ type: "sse", url: "https://a b" }] })).toEqual([{ pointer: "/remotes/0/url", message: "must be an http(s) URL without spaces" }]);
    expect(errors({ ...base, packages: [{ registryType: "npm", identifier: "x", transport: { type: "stdio" }, packageArguments: [{ type: "positional" }] }] })).toEqual([
      { pointer: "/packages/0/packageArguments/0", message: 'a positional argument must have "value" or "valueHint"' },
    ]);
    expect(errors({ ...base, icons: [{ src: "https://x/i.png", sizes: ["big"] }] })).toEqual([{ pointer: "/icons/0/sizes/0", message: 'must be WIDTHxHEIGHT (e.g. 48x48) or "any"' }]);
    expect(errors({ ...base, "_meta": { "io.modelcontextprotocol.registry/publisher-provided": 1 } })).toEqual([
      { pointer: "/_meta/io.modelcontextprotocol.registry~1publisher-provided", message: "must be an object" },
    ]);
  });

  it("an older dated $schema is judged by the current rules", () => {
    expect(validateServerJson({ ...base, $schema: "https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json", remotes: [] }).valid).toBe(true);
  });

  it("prose-only rules are warnings, not errors", () => {
    const pkg = (registryType: string, version?: string) => ({ registryType, identifier: "x", version, transport: { type: "stdio" } });
    expect(warnings({ ...base, version: "^1.0.0", packages: [pkg("npm", "^1.0.0")] })).toEqual([
      { pointer: "/version", message: "version looks like a version range; publish an exact version" },
      { pointer: "/packages/0/version", message: "package version looks like a version range; publish an exact version" },
    ]);
    expect(warnings({ ...base, version: "2024.1", packages: [pkg("cargo", "2024.1")] })).toEqual([
      { pointer: "/version", message: 'version is not a semantic version (x.y.z); "latest" falls back to publish time' },
      { pointer: "/packages/0/registryType", message: 'registry type "cargo" is not one of npm, pypi, oci, nuget, mcpb; clients may not know how to install it' },
      { pointer: "/packages/0/version", message: 'package version is not a semantic version (x.y.z); "latest" falls back to publish time' },
    ]);
    expect(warnings(base)).toEqual([{ pointer: "", message: "the server has neither packages nor remotes: there is nothing to install or connect to" }]);
    expect(validateServerJson({ ...base, version: "1.x", remotes: [{ type: "sse", url: "http://x" }] }).valid).toBe(true);
  });

  it("never throws: non-objects, deep nesting, huge strings, getters", () => {
    for (const v of [null, 1, "x", [], true, undefined]) expect(validateServerJson(v)).toEqual({ valid: false, errors: [{ pointer: "", message: "must be a JSON object" }], warnings: [] });
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(validateServerJson({ ...base, _meta: deep, remotes: [] }).valid).toBe(true);
    expect(errors({ ...base, description: "x".repeat(1_000_000) })).toEqual([{ pointer: "/description", message: "must be at most 100 characters" }]);
    const hostile = Object.defineProperty({ ...base }, "title", { enumerable: true, get: () => { throw new Error("boom"); } });
    expect(validateServerJson(hostile)).toEqual({ valid: false, errors: [{ pointer: "", message: "cannot be read as a server.json document" }], warnings: [] });
    expect(errors({ ...base, packages: Array.from({ length: 500 }, () => ({})) }).length).toBe(50);
  });
});
