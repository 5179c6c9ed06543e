import { describe, expect, it } from "vitest";
import { sortedJson, jsonDiff } from "@/lib/registry/json-diff";

describe("jsonDiff", () => {
  it("sees no change in reordered keys", () => {
    const d = jsonDiff({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 });
    expect(d.added).toBe(0);
    expect(d.removed).toBe(0);
    expect(d.lines).toEqual([{ kind: "fold", text: "", count: sortedJson({ a: 1, b: { c: 2, d: 3 } }).split("\n").length }]);
  });

  it("shows a changed value as one removed and one added line", () => {
    const d = jsonDiff({ version: "1.0.0", name: "x" }, { version: "1.1.0", name: "x" });
    expect(d.lines.filter((l) => l.kind !== "same")).toEqual([
      { kind: "removed", text: '  "version": "1.0.0"' },
      { kind: "added", text: '  "version": "1.1.0"' },
    ]);
    expect([d.added, d.removed]).toEqual([1, 1]);
  });

  it("folds long unchanged runs, keeping context around each change", () => {
    const base = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]));
    const d = jsonDiff(base, { ...base, k20: "changed" }, 2);
    const folds = d.lines.filter((l) => l.kind === "fold");
    expect(folds).toHaveLength(2);
    expect(folds.reduce((n, f) => n + (f.count ?? 0), 0) + d.lines.filter((l) => l.kind === "same").length).toBe(sortedJson(base).split("\n").length - 1);
    expect(d.lines.filter((l) => l.kind === "same")).toHaveLength(4);
  });

  it("against nothing, everything is added", () => {
    const d = jsonDiff(null, { a: 1 });
    expect(d.removed).toBe(1);
    expect(d.lines.filter((l) => l.kind === "added").map((l) => l.text)).toEqual(["{", '  "a": 1', "}"]);
  });
});
