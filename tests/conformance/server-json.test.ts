import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { validateServerJson } from "@/lib/registry/validate";

// Our server.json verdicts against the official schema's, document by document: the real
// server.json files in ../shared/data/server-json{,-extra}/ (many invalid) are validated with ajv
// + ajv-formats against ../shared/spec/server.schema.json (draft-07) and with lib/registry/validate.ts.

const SHARED = join(process.cwd(), "../shared");
const SCHEMA = join(SHARED, "spec/server.schema.json");
const DIRS = ["data/server-json", "data/server-json-extra"].map((d) => join(SHARED, d));

if (!existsSync(SCHEMA)) {
  describe("server.json verdicts agree with the official schema", () => {
    it.skip("../shared absent (conformance data)", () => {});
  });
} else {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
  const files = DIRS.filter(existsSync).flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => ({ name: `${dir.endsWith("extra") ? "extra/" : ""}${f}`, path: join(dir, f) })),
  );

  describe("server.json verdicts agree with the official schema", () => {
    it("reads the corpus (at least 117 documents, valid and invalid ones)", () => {
      expect(files.length).toBeGreaterThanOrEqual(117);
      const verdicts = files.map((f) => official(JSON.parse(readFileSync(f.path, "utf8"))));
      expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
      expect(verdicts.filter((v) => !v).length).toBeGreaterThan(10);
    });

    it.each(files)("$name", ({ path }) => {
      const doc: unknown = JSON.parse(readFileSync(path, "utf8"));
      const want = official(doc);
      const got = validateServerJson(doc);
      const why = want ? JSON.stringify(got.errors) : JSON.stringify(official.errors?.slice(0, 3));
      expect(got.valid, why).toBe(want);
      if (!want) expect(got.errors.length).toBeGreaterThan(0);
    });
  });
}
