import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { validateServerJson } from "@/lib/registry/server-json";

// Our server.json verdicts against the official schema's, document by document: every real
// server.json in ../shared/data/server-json{,-extra}/ (many invalid) is validated with ajv +
// ajv-formats against ../shared/spec/server.schema.json and with lib/registry/server-json.ts.
// The schema is draft-07 (its $schema says so), which is ajv's default dialect.

const SHARED = join(process.cwd(), "../shared");
const SCHEMA = join(SHARED, "spec/server.schema.json");
const DIRS = ["data/server-json", "data/server-json-extra"].map((d) => join(SHARED, d));

if (!existsSync(SCHEMA)) {
  describe("server.json verdicts agree with the official schema", () => {
    it.skip("../shared absent (conformance data)", () => {});
  });
} else {
  const schema = JSON.parse(readFileSync(SCHEMA, "utf8")) as { $schema?: string };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const official = ajv.compile(schema);
  const files = DIRS.filter(existsSync).flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => ({ name: `${dir.endsWith("-extra") ? "extra/" : ""}${f}`, path: join(dir, f) })),
  );
  const read = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

  // Seeded mutations of the corpus: a member deleted, replaced or added, 1-3 times per document.
  // The replacement values sit on the schema's edges. Left out: the two URIs where ajv-formats'
  // "uri" departs from RFC 3986 ("a:" is a URI with an empty path; "a:/[::1]" is not a URI).
  const EDGES: unknown[] = [null, 1, true, "", "x", "latest", "https://a b", "http://x/{y}", "mailto:x", "https://[::1]:80/p", "https://[::1/",
    "1.x", "48x48", "any", "stdio", "sse", "streamable-http", "positional", "named", "f".repeat(64), "é".repeat(100), "é".repeat(101), "a".repeat(256),
    [], {}, ["x"], [{}], { type: "stdio" }, { type: "positional" }, { type: "named", name: "--x" }, { type: "positional", value: "v" }, { name: "N" },
    { src: "https://x" }, "io.x/y", "a/b", "ab"];
  const KEYS = ["type", "url", "name", "value", "valueHint", "version", "identifier", "registryType", "transport", "headers", "variables", "choices",
    "default", "format", "isRequired", "isSecret", "isRepeated", "placeholder", "src", "sizes", "mimeType", "theme", "fileSha256", "registryBaseUrl",
    "description", "title", "websiteUrl", "$schema", "source", "id", "subfolder", "packages", "remotes", "icons", "repository", "_meta",
    "io.modelcontextprotocol.registry/publisher-provided", "runtimeArguments", "packageArguments", "environmentVariables"];
  function mutants(count: number, seed: number): unknown[] {
    let state = seed;
    const rnd = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    const holders = (v: unknown, out: [Record<string, unknown>, string][] = []) => {
      if (v && typeof v === "object") {
        for (const k of Object.keys(v)) {
          out.push([v as Record<string, unknown>, k]);
          holders((v as Record<string, unknown>)[k], out);
        }
      }
      return out;
    };
    const docs = files.map((f) => read(f.path));
    return Array.from({ length: count }, () => {
      const d = structuredClone(pick(docs)) as Record<string, unknown>;
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
        const r = rnd();
        const at = holders(d);
        if (r < 0.1 || !at.length) d[pick(KEYS)] = structuredClone(pick(EDGES));
        else {
          const [parent, k] = pick(at);
          const child = parent[k];
          if (r < 0.35 && !Array.isArray(parent)) delete parent[k];
          else if (r < 0.7 || !child || typeof child !== "object" || Array.isArray(child)) parent[k] = structuredClone(pick(EDGES));
          else (child as Record<string, unknown>)[pick(KEYS)] = structuredClone(pick(EDGES));
        }
      }
      return d;
    });
  }

  describe("server.json verdicts agree with the official schema", () => {
    it("the schema is draft-07, ajv's default dialect", () => {
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    });

    it("reads the corpus: at least 117 documents, valid and invalid ones", () => {
      expect(files.length).toBeGreaterThanOrEqual(117);
      const verdicts = files.map((f) => official(read(f.path)));
      expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
      expect(verdicts.filter((v) => !v).length).toBeGreaterThan(10);
    });

    it.each(files)("$name", ({ path }) => {
      const doc = read(path);
      const want = official(doc);
      const got = validateServerJson(doc);
      const why = want ? JSON.stringify(got.errors) : JSON.stringify(official.errors?.slice(0, 3));
      expect(got.valid, why).toBe(want);
      if (want) expect(got.server).toBe(doc);
      else expect(got.errors.length).toBeGreaterThan(0);
    });

    it("agrees on 5,000 seeded mutations of the corpus", () => {
      const verdicts = mutants(5_000, 2025_12_11).map((d) => ({ d, want: official(d) }));
      expect(verdicts.filter(({ d, want }) => validateServerJson(d).valid !== want).slice(0, 3)).toEqual([]);
      // the mutations reach both verdicts
      expect(verdicts.filter((v) => v.want).length).toBeGreaterThan(500);
      expect(verdicts.filter((v) => !v.want).length).toBeGreaterThan(500);
    });
  });
}
