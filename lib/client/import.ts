import { api, ApiClientError } from "@/lib/client/api";
import { chunksOf, emptyReport, IMPORT_CHUNK_SIZE, type ImportIssue, type ImportReport } from "@/lib/registry/import-file";

// The console's side of an import: the parsed file's documents go to POST /api/v1/servers/import
// in chunks, all under the batch id the first answer gives, and the answers merge into one report
// indexed by position in the file. A chunk the API refuses whole is not the end of the import:
// documents it names (text no JSON body may hold) are rejected here and the rest sent again; a
// chunk too large for one request is halved, down to one document.

export type ImportBody = { documents: unknown[]; batchId?: string };
export type PostImport = (body: ImportBody) => Promise<ImportReport>;

export const postImport: PostImport = (body) => api<ImportReport>("/api/v1/servers/import", { method: "POST", body });

export interface ImportRun {
  report: ImportReport;
  /** Documents handled (judged by the server or rejected here). */
  done: number;
  /** Why the import stopped early (network, permission, server); what was done before stays. */
  error?: unknown;
  stopped?: boolean;
}

interface Item {
  doc: unknown;
  index: number;
}

function named(doc: unknown): { name?: string; version?: string } {
  const o = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : {};
  return {
    ...(typeof o.name === "string" && o.name ? { name: o.name.slice(0, 200) } : {}),
    ...(typeof o.version === "string" && o.version ? { version: o.version.slice(0, 200) } : {}),
  };
}

/** "documents.3.packages.0.identifier" -> [3, "/packages/0/identifier"]. */
function documentField(field: string): [number, string] | null {
  const m = /^(?:body\.)?documents\.(\d+)((?:\..*)?)$/.exec(field);
  if (!m) return null;
  const rest = m[2] ? m[2].slice(1).split(".") : [];
  return [Number(m[1]), rest.length ? `/${rest.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}` : ""];
}

export async function runImport(
  docs: readonly unknown[],
  opts: { post?: PostImport; onProgress?: (done: number, report: ImportReport) => void; shouldStop?: () => boolean; chunkSize?: number } = {},
): Promise<ImportRun> {
  const post = opts.post ?? postImport;
  const report = emptyReport();
  let done = 0;

  const rejectHere = (item: Item, reasons: ImportIssue[]) => report.rejected.push({ index: item.index, ...named(item.doc), reasons });

  async function send(items: Item[]): Promise<void> {
    let pending = items;
    while (pending.length > 0) {
      try {
        const part = await post({ documents: pending.map((p) => p.doc), ...(report.batchId ? { batchId: report.batchId } : {}) });
        const at = (i: number) => pending[i].index;
        report.batchId = part.batchId;
        report.accepted.push(...part.accepted.map((a) => ({ ...a, index: at(a.index) })));
        report.rejected.push(...part.rejected.map((r) => ({ ...r, index: at(r.index) })));
        report.unchanged.push(...part.unchanged.map((u) => ({ ...u, index: at(u.index) })));
        return;
      } catch (err) {
        if (!(err instanceof ApiClientError)) throw err;
        if (err.code === "payload_too_large") {
          if (pending.length === 1) {
            rejectHere(pending[0], [{ pointer: "", message: "is larger than one import request may carry (1 MB)" }]);
            return;
          }
          const half = Math.ceil(pending.length / 2);
          await send(pending.slice(0, half));
          await send(pending.slice(half));
          return;
        }
        const byDoc = new Map<number, ImportIssue[]>();
        if (err.status === 422 && Array.isArray(err.details)) {
          for (const d of err.details as { field?: unknown; message?: unknown }[]) {
            const f = typeof d.field === "string" ? documentField(d.field) : null;
            if (!f || f[0] >= pending.length) {
              byDoc.clear();
              break;
            }
            byDoc.set(f[0], [...(byDoc.get(f[0]) ?? []), { pointer: f[1], message: String(d.message) }]);
          }
        }
        if (byDoc.size === 0) throw err;
        for (const [i, reasons] of byDoc) rejectHere(pending[i], reasons);
        pending = pending.filter((_, i) => !byDoc.has(i));
      }
    }
  }

  for (const chunk of chunksOf(docs, opts.chunkSize ?? IMPORT_CHUNK_SIZE)) {
    if (opts.shouldStop?.()) return { report, done, stopped: true };
    try {
      await send(chunk.items.map((doc, i) => ({ doc, index: chunk.start + i })));
    } catch (error) {
      return { report, done, error };
    }
    done += chunk.items.length;
    opts.onProgress?.(done, report);
  }
  return { report, done };
}
