import { describe, expect, it } from "vitest";
import { parseJsonText } from "@/components/registry/submit/parse-json";
import {
  buildServerJson,
  emptyKeyValue,
  emptyPackage,
  emptyRemote,
  emptyServerForm,
  repositorySourceFor,
  type ServerForm,
} from "@/lib/registry/build-server-json";
import { SERVER_SCHEMA_URL, validateServerJson } from "@/lib/registry/server-json";

const base = (patch: Partial<ServerForm> = {}): ServerForm => ({
  ...emptyServerForm(),
  name: "io.github.example/forecast",
  description: "Forecasts for any city",
  version: "1.4.0",
  ...patch,
});

describe("buildServerJson", () => {
  it("writes the 2025-12-11 $schema and only the required members for a minimal form", () => {
    const doc = buildServerJson(base());
    expect(doc).toEqual({
      $schema: SERVER_SCHEMA_URL,
      name: "io.github.example/forecast",
      description: "Forecasts for any city",
      version: "1.4.0",
    });
    const result = validateServerJson(doc);
    expect(result.valid).toBe(true);
    // nothing to install or connect to: a warning for the reviewer, not an error
    expect(result.warnings.map((w) => w.pointer)).toEqual([""]);
  });

  it("omits blank and whitespace-only optional fields and trims the rest", () => {
    const doc = buildServerJson(base({ name: "  io.github.example/forecast ", title: "   ", websiteUrl: "", repositoryUrl: " " }));
    expect(Object.keys(doc)).toEqual(["$schema", "name", "description", "version"]);
    expect(doc.name).toBe("io.github.example/forecast");
  });

  it("builds packages and remotes that validate, with only the true flags written", () => {
    const stdio = {
      ...emptyPackage(),
      registryType: "npm" as const,
      identifier: "@example/forecast-mcp",
      version: "1.4.0",
      environmentVariables: [
        { ...emptyKeyValue(), name: "FORECAST_API_KEY", description: "Key for the forecast API", isRequired: true, isSecret: true },
        { ...emptyKeyValue(), name: "FORECAST_UNITS" },
      ],
    };
    const http = { ...emptyPackage(), registryType: "oci" as const, identifier: "ghcr.io/example/forecast:1.4.0", transportType: "streamable-http" as const, transportUrl: "http://localhost:8080/mcp" };
    const remote = { ...emptyRemote(), type: "sse" as const, url: "https://forecast.example.com/sse", headers: [{ ...emptyKeyValue(), name: "Authorization", isSecret: true }] };
    const doc = buildServerJson(
      base({ title: "Forecast", websiteUrl: "https://example.com/forecast", repositoryUrl: "https://github.com/example/forecast", packages: [stdio, http], remotes: [remote] }),
    );

    expect(doc.repository).toEqual({ url: "https://github.com/example/forecast", source: "github" });
    expect(doc.packages).toEqual([
      {
        registryType: "npm",
        identifier: "@example/forecast-mcp",
        transport: { type: "stdio" },
        version: "1.4.0",
        environmentVariables: [
          { name: "FORECAST_API_KEY", description: "Key for the forecast API", isRequired: true, isSecret: true },
          { name: "FORECAST_UNITS" },
        ],
      },
      { registryType: "oci", identifier: "ghcr.io/example/forecast:1.4.0", transport: { type: "streamable-http", url: "http://localhost:8080/mcp" } },
    ]);
    expect(doc.remotes).toEqual([{ type: "sse", url: "https://forecast.example.com/sse", headers: [{ name: "Authorization", isSecret: true }] }]);

    const result = validateServerJson(doc);
    expect(result).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it("never writes a url on a stdio transport, even when one was typed before switching", () => {
    const pkg = { ...emptyPackage(), identifier: "forecast-mcp", transportType: "stdio" as const, transportUrl: "https://left.over" };
    expect(buildServerJson(base({ packages: [pkg] })).packages?.[0].transport).toEqual({ type: "stdio" });
  });

  it("keeps every row, so the validator's pointers name the row on screen", () => {
    const rows = [{ ...emptyPackage(), identifier: "ok-mcp" }, { ...emptyPackage(), identifier: "http-mcp", transportType: "sse" as const, transportUrl: "not a url" }];
    const result = validateServerJson(buildServerJson(base({ packages: rows })));
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([{ pointer: "/packages/1/transport/url", message: expect.stringMatching(/http/) }]);
  });

  it("leaves required members in place (empty) so the validator reports them", () => {
    const result = validateServerJson(buildServerJson(emptyServerForm()));
    expect(result.valid).toBe(false);
    expect([...new Set(result.errors.map((e) => e.pointer))]).toEqual(["/name", "/description"]);
  });

  it("takes a given repository source over the guessed one", () => {
    const doc = buildServerJson(base({ repositoryUrl: "https://git.example.com/team/forecast", repositorySource: "gitea" }));
    expect(doc.repository).toEqual({ url: "https://git.example.com/team/forecast", source: "gitea" });
  });
});

describe("repositorySourceFor", () => {
  it.each([
    ["https://github.com/example/forecast", "github"],
    ["https://www.github.com/example/forecast", "github"],
    ["https://gitlab.com/example/forecast", "gitlab"],
    ["https://git.example.com/forecast", "git.example.com"],
    ["not a url", ""],
  ])("%s -> %j", (url, source) => {
    expect(repositorySourceFor(url)).toBe(source);
  });
});

describe("parseJsonText", () => {
  it("tells empty text from a document", () => {
    expect(parseJsonText("  \n ")).toEqual({ kind: "empty" });
    expect(parseJsonText('{"a": [1, true, null, "x\\n"]}')).toEqual({ kind: "ok", value: { a: [1, true, null, "x\n"] } });
  });

  it.each([
    ['{\n  "name": "x",\n}', 3, 1, /trailing comma/],
    ['{\n  "name": x\n}', 2, 11, /Found 'x' where a value/],
    ['{\n  "name" "x"\n}', 2, 10, /':'/],
    ["{'name': 1}", 1, 2, /double quotes/],
    ['{"name": "x"', 1, 13, /ends where/],
    ['{"name": "x\n"}', 1, 12, /line break/],
    ['{"a": 1} {}', 1, 10, /after the end/],
    ["[1 2]", 1, 4, /',' or '\]'/],
  ])("%j: line %i, column %i", (text, line, column, message) => {
    const parsed = parseJsonText(text);
    expect(parsed.kind).toBe("syntax");
    if (parsed.kind !== "syntax") return;
    expect(parsed.error).toMatchObject({ line, column });
    expect(parsed.error.message).toMatch(message);
  });
});
