// `npm run import -- <file> --as <email>`: imports a server.json file (one document or an array)
// into the catalog as that person, each document on its own (docs/import.md). The database is
// the server's (DATABASE_URL, DATA_DIR: the same environment as `npm start`). A progress bar on
// stderr (plain lines when stderr is not a terminal), then the report on stdout.
// Exit code 0: nothing rejected; 1: some documents rejected; 2: could not run (usage, file,
// unknown or disabled user, database).
import { readFileSync } from "node:fs";
import { db } from "@/lib/db";
import { env, EnvError } from "@/lib/env";
import { roleHas, isRole } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/actor";
import "@/lib/reviews/handlers";
import { importServerDocuments } from "@/lib/registry/import";
import { chunksOf, emptyReport, ImportFileError, IMPORT_CHUNK_SIZE, mergeReport, parseImportFile, type ImportReport } from "@/lib/registry/import-file";

const USAGE = "usage: npm run import -- <file> --as <email>";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; as: string } {
  let file: string | undefined;
  let as: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") continue;
    if (a === "--as") as = argv[++i];
    else if (a.startsWith("--as=")) as = a.slice(5);
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith("-")) fail(`unknown option ${a}\n${USAGE}`);
    else if (file === undefined) file = a;
    else fail(`one file at a time (got ${file} and ${a})\n${USAGE}`);
  }
  if (!file) fail(`no file given\n${USAGE}`);
  if (!as?.trim()) fail(`--as <email> is required: the person the import acts as (audit events record them)\n${USAGE}`);
  return { file, as: as.trim().toLowerCase() };
}

async function actorFor(email: string): Promise<Actor> {
  const user = await db().user.findUnique({ where: { email } });
  if (!user) fail(`no user with e-mail ${email}`);
  if (user.disabled) fail(`${email} is disabled: an import cannot act as a disabled user`);
  if (!isRole(user.role) || !roleHas(user.role, "servers.submit")) fail(`${email} (${user.role}) may not submit servers (needs servers.submit)`);
  return {
    id: user.id,
    kind: user.kind === "service" ? "service" : "human",
    name: user.name,
    email: user.email,
    role: user.role,
    // Neither a session nor a token: the command line, run by someone with database access.
    via: "cli",
    credentialLabel: "npm run import",
    clientAddress: null,
    userAgent: "portcullis-import-cli",
  };
}

/** A bar on a terminal, redrawn in place; otherwise a line every 10% (and at least every 5 s). */
function progress(total: number) {
  const tty = process.stderr.isTTY;
  let lastStep = -1;
  let lastAt = 0;
  return (done: number) => {
    const pct = Math.floor((done / total) * 100);
    if (tty) {
      const width = 30;
      const full = Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(full)}${"-".repeat(width - full)}] ${done} of ${total} documents (${pct}%)`);
      if (done === total) process.stderr.write("\n");
      return;
    }
    const step = Math.floor(pct / 10);
    if (step !== lastStep || Date.now() - lastAt > 5_000 || done === total) {
      lastStep = step;
      lastAt = Date.now();
      process.stderr.write(`imported ${done} of ${total} documents (${pct}%)\n`);
    }
  };
}

function printReport(r: ImportReport, total: number, base: string) {
  const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;
  console.log(`batch ${r.batchId}: ${plural(total, "document")}`);
  console.log(`  accepted:  ${r.accepted.length} (pending review)`);
  console.log(`  unchanged: ${r.unchanged.length}`);
  console.log(`  rejected:  ${r.rejected.length}`);
  if (r.rejected.length > 0) {
    console.log("rejected documents:");
    for (const x of [...r.rejected].sort((a, b) => a.index - b.index)) {
      const who = x.name ? ` ${x.name}${x.version ? `@${x.version}` : ""}` : "";
      console.log(`  #${x.index}${who}`);
      for (const reason of x.reasons) console.log(`    ${reason.pointer || "(document)"}: ${reason.message}`);
    }
  }
  if (r.accepted.length > 0) console.log(`review the batch: ${base}/servers/reviews?batch=${encodeURIComponent(r.batchId)}`);
}

const args = parseArgs(process.argv.slice(2));
let text: string;
try {
  text = readFileSync(args.file, "utf8");
} catch (err) {
  fail(`cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
}
let docs: unknown[];
try {
  docs = parseImportFile(text);
} catch (err) {
  if (err instanceof ImportFileError) fail(`${args.file}: ${err.message}`);
  throw err;
}

let code = 2;
let done = 0;
try {
  const e = env();
  process.env.DATABASE_URL = e.DATABASE_URL;
  const actor = await actorFor(args.as);
  const report = emptyReport();
  const tick = progress(docs.length);
  // Chunks keep each step short and the bar moving; the batch id from the first chunk groups them.
  for (const chunk of chunksOf(docs, IMPORT_CHUNK_SIZE)) {
    const part = await importServerDocuments(actor, chunk.items, report.batchId ? { batchId: report.batchId } : {});
    mergeReport(report, part, chunk.start);
    done += chunk.items.length;
    tick(done);
  }
  printReport(report, docs.length, e.PUBLIC_BASE_URL);
  code = report.rejected.length === 0 ? 0 : 1;
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `import failed: ${(err as Error).message}`);
  if (done > 0) console.error(`the first ${done} documents were handled before the failure; importing the file again reports those unchanged`);
}
await db()
  .$disconnect()
  .catch(() => {});
process.exit(code);
