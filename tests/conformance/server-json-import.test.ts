import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { importServerDocuments, ImportFileError, parseImportFile, type ImportReport } from "@/lib/registry/import";
import { actorOf, describeEngines, useTestDatabase } from "../helpers/context";

// Import's verdicts against the official schema's, document by document: every file in
// ../shared/data/server-json/ (real server.json files, many invalid; a file may hold one document
// or an array) goes through parseImportFile and importServerDocuments in one batch, and each
// document must be accepted (or unchanged) exactly when ajv + ajv-formats accept it against
// ../shared/spec/server.schema.json. Files that are not JSON must be refused by the parser.

const SHARED = join(process.cwd(), "../shared");
const SCHEMA = join(SHARED, "spec/server.schema.json");
const DIR = join(SHARED, "data/server-json");

if (!existsSync(SCHEMA) || !existsSync(DIR)) {
  describe("import verdicts agree with the official schema", () => {
    it.skip("../shared absent (server.schema.json and data/server-json/)", () => {});
  });
} else {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();

  interface Case {
    label: string;
    doc: unknown;
    valid: boolean;
  }
  const cases: Case[] = [];
  const notJson: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = readFileSync(join(DIR, file), "utf8");
    let docs: unknown[];
    try {
      docs = parseImportFile(text);
    } catch (err) {
      if (!(err instanceof ImportFileError)) throw err;
      notJson.push({ file, text });
      continue;
    }
    docs.forEach((doc, i) => cases.push({ label: docs.length > 1 ? `${file}[${i}]` : file, doc, valid: official(doc) as boolean }));
  }

  describeEngines("import verdicts agree with the official schema", (engine) => {
    const ctx = useTestDatabase(engine);
    let report: ImportReport;
    const verdict = new Map<number, { kind: "accepted" | "unchanged" | "rejected"; reasons?: unknown }>();

    beforeAll(async () => {
      report = await importServerDocuments(actorOf(ctx.users.admin), cases.map((c) => c.doc));
      for (const a of report.accepted) verdict.set(a.index, { kind: "accepted" });
      for (const u of report.unchanged) verdict.set(u.index, { kind: "unchanged" });
      for (const r of report.rejected) verdict.set(r.index, { kind: "rejected", reasons: r.reasons });
    }, 300_000);

    it("reads the corpus: at least 117 documents, valid and invalid ones, each with one verdict", async () => {
      expect(cases.length + notJson.length).toBeGreaterThanOrEqual(117);
      expect(cases.filter((c) => c.valid).length).toBeGreaterThan(10);
      expect(cases.filter((c) => !c.valid).length).toBeGreaterThan(10);
      expect(report.accepted.length + report.unchanged.length + report.rejected.length).toBe(cases.length);
      expect(new Set(verdict.keys()).size).toBe(cases.length);
      const stored = await db().serverVersion.findMany({ where: { batchId: report.batchId }, select: { id: true, source: true } });
      expect(stored.map((s) => s.id).sort()).toEqual(report.accepted.map((a) => a.versionId).sort());
      expect(new Set(stored.map((s) => s.source))).toEqual(new Set(["import"]));
    });

    it.each(cases.map((c, index) => ({ ...c, index })))("$label", ({ index, valid }) => {
      const v = verdict.get(index)!;
      const why = valid ? JSON.stringify(v.reasons) : JSON.stringify(official(cases[index].doc) ? [] : official.errors?.slice(0, 3));
      expect(v.kind === "accepted" || v.kind === "unchanged", why).toBe(valid);
      if (!valid) expect((v.reasons as unknown[]).length).toBeGreaterThan(0);
    });

    it("files the parser refuses hold no document: not JSON, an empty array, or no object at the top", () => {
      for (const { file, text } of notJson) {
        let value: unknown;
        try {
          value = JSON.parse(text.replace(/^\uFEFF/, ""));
        } catch {
          continue;
        }
        expect(Array.isArray(value) ? value.length : typeof value === "object" && value !== null ? "an object" : 0, file).toBe(0);
      }
    });
  });
}
