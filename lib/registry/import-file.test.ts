import { describe, expect, it } from "vitest";
import { chunksOf, emptyReport, ImportFileError, lineAndColumn, mergeReport, parseImportFile } from "@/lib/registry/import-file";

describe("parseImportFile", () => {
  it("a single object is one document; an array is its elements, whatever their shape", () => {
    expect(parseImportFile('{"name":"io.x/y"}')).toEqual([{ name: "io.x/y" }]);
    expect(parseImportFile('[{"name":"a"}, 3, null, "x"]')).toEqual([{ name: "a" }, 3, null, "x"]);
    expect(parseImportFile('\uFEFF  {"a":1}\n')).toEqual([{ a: 1 }]);
  });

  it.each([
    ["", "The file is empty: it should hold a server.json object or an array of them"],
    ["  \n\t", "The file is empty: it should hold a server.json object or an array of them"],
    ["[]", "The file holds an empty array: there are no documents to import"],
    [" [ ] ", "The file holds an empty array: there are no documents to import"],
    ["42", "The file holds a number: it should hold a server.json object or an array of them"],
    ['"x"', "The file holds a string: it should hold a server.json object or an array of them"],
    ["null", "The file holds null: it should hold a server.json object or an array of them"],
    ['{\n  "name": "a",\n}', "The file is not valid JSON: Expected double-quoted property name (line 3, column 1)"],
    ['[\n  {"a": 1}\n  {"b": 2}\n]', "The file is not valid JSON: Expected ',' or ']' after array element (line 3, column 3)"],
    ['{"a": 1', "The file is not valid JSON: Expected ',' or '}' after property value (line 1, column 8)"],
  ])("refuses %j", (text, message) => {
    expect(() => parseImportFile(text)).toThrow(new ImportFileError(message));
  });

  it("an error the parser gives without a position is passed on as is", () => {
    expect(() => parseImportFile("[")).toThrow(/^The file is not valid JSON: /);
  });
});

describe("lineAndColumn", () => {
  it("counts lines and columns from 1", () => {
    expect(lineAndColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("chunksOf and mergeReport", () => {
  it("slices in order with each slice's start, and moves chunk indices to file positions", () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([
      { start: 0, items: [1, 2] },
      { start: 2, items: [3, 4] },
      { start: 4, items: [5] },
    ]);
    const merged = mergeReport(emptyReport(), { batchId: "imp_a", accepted: [], rejected: [{ index: 1, reasons: [] }], unchanged: [{ index: 0, name: "n", version: "1", versionId: "v" }] }, 25);
    expect(merged).toEqual({ batchId: "imp_a", accepted: [], rejected: [{ index: 26, reasons: [] }], unchanged: [{ index: 25, name: "n", version: "1", versionId: "v" }] });
  });
});
