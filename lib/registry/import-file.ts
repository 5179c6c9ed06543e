// The import file and the import report, shared by the console (in the browser), the CLI and
// the API: no database, no Node built-ins. A file holds one server.json object or an array of
// them; each document is judged on its own later, so an array element of any shape is kept.

export interface ImportIssue {
  /** JSON pointer inside the document ("" is the document itself). */
  pointer: string;
  message: string;
}

export interface ImportReport {
  batchId: string;
  accepted: { index: number; name: string; version: string; versionId: string; reviewId: string | null; warnings: ImportIssue[] }[];
  rejected: { index: number; name?: string; version?: string; reasons: ImportIssue[] }[];
  unchanged: { index: number; name: string; version: string; versionId: string }[];
}

/** At most this many documents per POST /api/v1/servers/import. */
export const MAX_DOCUMENTS_PER_REQUEST = 100;
/** The console and the CLI send (or run) this many documents at a time. */
export const IMPORT_CHUNK_SIZE = 25;

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportFileError";
  }
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: position - start + 1 };
}

function syntaxMessage(text: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  // V8: "... in JSON at position 42" (Chrome adds "(line 3 column 5)"); Firefox names line and column itself.
  const at = /at position (\d+)/.exec(raw);
  const reason = raw
    .replace(/^JSON\.parse: /, "")
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, "")
    .trim();
  if (at) {
    const { line, column } = lineAndColumn(text, Number(at[1]));
    return `The file is not valid JSON: ${reason.replace(/ in JSON at position \d+/, "")} (line ${line}, column ${column})`;
  }
  return `The file is not valid JSON: ${reason}`;
}

/**
 * The documents in an import file's text: a single object becomes one document, an array its
 * elements. Throws ImportFileError (with the line and column where the JSON breaks, when the
 * parser says where) for an empty file, bad JSON, an empty array, or anything else at the top.
 */
export function parseImportFile(text: string): unknown[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new ImportFileError("The file is empty: it should hold a server.json object or an array of them");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new ImportFileError(syntaxMessage(body, err));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ImportFileError("The file holds an empty array: there are no documents to import");
    return value;
  }
  if (typeof value === "object" && value !== null) return [value];
  throw new ImportFileError(`The file holds ${value === null ? "null" : `a ${typeof value}`}: it should hold a server.json object or an array of them`);
}

/** Consecutive slices of at most `size` documents, each with the file index of its first. */
export function chunksOf<T>(items: readonly T[], size = IMPORT_CHUNK_SIZE): { start: number; items: T[] }[] {
  const out: { start: number; items: T[] }[] = [];
  for (let start = 0; start < items.length; start += size) out.push({ start, items: items.slice(start, start + size) });
  return out;
}

/** A chunk's report with its indices moved to file positions, merged into `into`. */
export function mergeReport(into: ImportReport, part: ImportReport, offset: number): ImportReport {
  into.batchId = part.batchId;
  into.accepted.push(...part.accepted.map((a) => ({ ...a, index: a.index + offset })));
  into.rejected.push(...part.rejected.map((r) => ({ ...r, index: r.index + offset })));
  into.unchanged.push(...part.unchanged.map((u) => ({ ...u, index: u.index + offset })));
  return into;
}

export function emptyReport(batchId = ""): ImportReport {
  return { batchId, accepted: [], rejected: [], unchanged: [] };
}
