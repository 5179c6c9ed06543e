import { diffLines } from "diff";

// A readable diff of two JSON documents: both printed with their keys sorted (so a reordered
// object is no change), compared line by line (jsdiff), and unchanged runs folded to a little
// context around each change.

export interface DiffLine {
  kind: "same" | "added" | "removed" | "fold";
  text: string;
  /** For "fold": how many unchanged lines it stands for. */
  count?: number;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Pretty JSON with every object's keys sorted (browser-safe; the audit chain's canonical form is compact and server-only). */
export function sortedJson(v: unknown): string {
  return JSON.stringify(sortKeys(v), null, 2) ?? "null";
}

export function jsonDiff(before: unknown, after: unknown, context = 3): { lines: DiffLine[]; added: number; removed: number } {
  const parts = diffLines(sortedJson(before) + "\n", sortedJson(after) + "\n");
  const flat: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    const kind = p.added ? "added" : p.removed ? "removed" : "same";
    const lines = p.value.replace(/\n$/, "").split("\n");
    if (kind === "added") added += lines.length;
    if (kind === "removed") removed += lines.length;
    for (const text of lines) flat.push({ kind, text });
  }
  // Fold unchanged runs longer than the context on both sides.
  const keep = flat.map((l) => l.kind !== "same");
  const near = flat.map((_, i) => {
    for (let d = -context; d <= context; d++) if (keep[i + d]) return true;
    return false;
  });
  const out: DiffLine[] = [];
  let run = 0;
  flat.forEach((l, i) => {
    if (l.kind !== "same" || near[i]) {
      if (run) out.push({ kind: "fold", text: "", count: run });
      run = 0;
      out.push(l);
    } else run++;
  });
  if (run) out.push({ kind: "fold", text: "", count: run });
  return { lines: out, added, removed };
}
