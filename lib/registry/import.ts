import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { jsonValueIssues } from "@/lib/api/handler";
import type { Actor } from "@/lib/auth/actor";
import { canonicalJson } from "@/lib/audit/chain";
import { submitServerVersion } from "@/lib/registry/data";
import { validateServerJson } from "@/lib/registry/server-json";
import type { ImportIssue, ImportReport } from "@/lib/registry/import-file";

export { parseImportFile, ImportFileError, type ImportReport, type ImportIssue } from "@/lib/registry/import-file";

// Import: many server.json documents at once (console upload, API, `npm run import`). Each
// document is submitted in its own transaction (submitServerVersion, source "import"), so one
// refusal never undoes the others; every version of one upload carries the same batch id, so the
// batch is reviewed together. Re-importing a file is safe: a version that exists with the same
// document is reported unchanged; one that exists with other content is refused.

const MAX_LABEL = 200;

export function newBatchId(): string {
  return `imp_${randomBytes(12).toString("base64url")}`;
}

function label(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v.slice(0, MAX_LABEL) : undefined;
}

/** A pointer from jsonValueIssues' dotted field ("packages.0.identifier", "(body)" for the root). */
function pointerOf(field: string): string {
  if (field === "(body)") return "";
  return `/${field.split(".").map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

/** Equal as JSON: key order and white space aside (what the database hands back is compared to what was given). */
function sameDocument(stored: unknown, given: unknown): boolean {
  try {
    return canonicalJson(stored) === canonicalJson(JSON.parse(JSON.stringify(given)));
  } catch {
    return false;
  }
}

async function existingVersion(name: string, version: string) {
  return db().serverVersion.findFirst({ where: { version, server: { name } }, select: { id: true, document: true, state: true } });
}

/**
 * Refuses a batch id that another person's import (or a sync run) already uses, so nobody adds
 * versions to someone else's batch.
 */
async function checkBatchOwner(actor: Actor, batchId: string): Promise<void> {
  const other = await db().serverVersion.findFirst({
    where: { batchId, OR: [{ submittedById: { not: actor.id } }, { source: { not: "import" } }] },
    select: { id: true },
  });
  if (other) throw new ApiError("forbidden", `Batch ${batchId} belongs to another import; leave batchId out to start a new one`);
}

type Verdict =
  | { kind: "accepted"; entry: ImportReport["accepted"][number] }
  | { kind: "rejected"; entry: ImportReport["rejected"][number] }
  | { kind: "unchanged"; entry: ImportReport["unchanged"][number] };

async function importOne(actor: Actor, doc: unknown, index: number, batchId: string): Promise<Verdict> {
  const o = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const named = { ...(label(o.name) ? { name: label(o.name) } : {}), ...(label(o.version) ? { version: label(o.version) } : {}) };
  const reject = (reasons: ImportIssue[]): Verdict => ({ kind: "rejected", entry: { index, ...named, reasons } });

  // What the API refuses in any body (control characters, lone surrogates, __proto__, 1e400) is
  // refused here too, so the CLI stores nothing the console could not.
  const hygiene = jsonValueIssues(doc);
  if (hygiene.length > 0) return reject(hygiene.map((i) => ({ pointer: pointerOf(i.field), message: i.message })));
  const result = validateServerJson(doc);
  if (!result.valid || !result.server) return reject(result.errors);
  const { name, version } = result.server;

  const compare = async (): Promise<Verdict | null> => {
    const existing = await existingVersion(name, version);
    if (!existing) return null;
    if (sameDocument(existing.document, doc)) {
      // The same document, but taken back or refused: it is not waiting anywhere, so say so.
      if (existing.state === "withdrawn" || existing.state === "rejected") {
        return reject([{ pointer: "/version", message: `version ${version} was ${existing.state}; submit it again under a new version` }]);
      }
      return { kind: "unchanged", entry: { index, name, version, versionId: existing.id } };
    }
    return reject([{ pointer: "/version", message: `version ${version} already exists with different content (${existing.state}); give the changed document a new version` }]);
  };

  const before = await compare();
  if (before) return before;
  try {
    const r = await submitServerVersion(actor, doc, "import", { batchId });
    return { kind: "accepted", entry: { index, name, version, versionId: r.version.id, reviewId: r.review?.id ?? null, warnings: r.warnings } };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // Someone submitted the same version meanwhile: judge it against theirs.
    if (err.code === "conflict") return (await compare()) ?? reject([{ pointer: "", message: err.message }]);
    if (err.code === "validation_failed" && Array.isArray(err.details)) {
      return reject(err.details.map((d) => ({ pointer: String(d.field).replace(/^body/, ""), message: d.message })));
    }
    if (err.code === "forbidden" || err.code === "validation_failed" || err.code === "not_found") return reject([{ pointer: "", message: err.message }]);
    throw err;
  }
}

/**
 * Imports documents one by one, in order. `batchId` continues an earlier part of the same upload
 * (the caller sends a large file in chunks); without one a new batch starts. Indices in the
 * report are positions in `docs`. Anything other than a refusal of a document (the database
 * unreachable) is thrown: what was imported before stays, and importing again reports it unchanged.
 */
export async function importServerDocuments(actor: Actor, docs: readonly unknown[], opts: { batchId?: string } = {}): Promise<ImportReport> {
  const batchId = opts.batchId ?? newBatchId();
  if (opts.batchId) await checkBatchOwner(actor, batchId);
  const report: ImportReport = { batchId, accepted: [], rejected: [], unchanged: [] };
  for (const [index, doc] of docs.entries()) {
    const v = await importOne(actor, doc, index, batchId);
    if (v.kind === "accepted") report.accepted.push(v.entry);
    else if (v.kind === "rejected") report.rejected.push(v.entry);
    else report.unchanged.push(v.entry);
  }
  return report;
}
