// `npm run audit:verify -- <export.ndjson>`: verifies an audit export (GET /api/v1/audit/export)
// offline, with no database and no server, and names the first broken link. The keys come from
// AUDIT_KEY (or the key file the server generated, DATA_DIR/audit-key, DATA_DIR defaulting to
// ./data) and AUDIT_KEYS_RETIRED (comma-separated). Exit code 0: intact; 1: broken; 2: could not
// run (no file, no key).
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { keyring, parseRetiredKeys } from "@/lib/audit/keys";
import { verifyExport } from "@/lib/audit/offline";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const file = process.argv.slice(2).find((a) => a !== "--");
if (!file) fail("usage: npm run audit:verify -- <export.ndjson>");
if (!existsSync(file)) fail(`no such file: ${file}`);

let key = process.env.AUDIT_KEY?.trim();
if (!key) {
  const keyFile = resolve(process.env.DATA_DIR || "./data", "audit-key");
  if (!existsSync(keyFile)) fail(`no audit key: set AUDIT_KEY, or DATA_DIR to the folder holding audit-key (looked for ${keyFile})`);
  key = readFileSync(keyFile, "utf8").trim();
}
const keys = keyring(key, parseRetiredKeys(process.env.AUDIT_KEYS_RETIRED));

const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
const r = await verifyExport(lines, keys.byId);
const stream = r.stream ?? "(unknown)";
if (r.ok) {
  const through = r.through ? ` through chain position ${r.through.chainSeq}, last hash ${r.through.hash}` : "";
  console.log(`OK: stream ${stream}: ${r.events} ${r.events === 1 ? "event" : "events"} verified${through}`);
  process.exit(0);
}
const b = r.firstBroken!;
console.log(
  `BROKEN: stream ${stream}: first broken link at line ${b.line}` +
    (b.chainSeq ? `, chain position ${b.chainSeq}` : "") +
    (b.eventId ? `, event ${b.eventId}` : "") +
    `: ${b.reason}: ${b.message}` +
    (r.through ? ` (verified through position ${r.through.chainSeq})` : ""),
);
process.exit(1);
