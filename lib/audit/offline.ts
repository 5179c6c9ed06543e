import { HASHED_FIELD_NAMES } from "@/lib/audit/chain";
import { endMac, endMacInput, EXPORT_FORMAT, EXPORT_VERSION, type ExportEnd, type ExportEvent, type ExportHeader } from "@/lib/audit/export-format";
import { ChainWalker, GENESIS_POINT, type BrokenReason, type ChainLink } from "@/lib/audit/walk";

// Offline verification of an export (GET /api/v1/audit/export): the same walk as the background
// verifier, over the file's lines, with the audit key(s) given by the operator. It needs neither
// the database nor the server.

export interface OfflineBreak {
  /** 1-based line of the file where the problem shows. */
  line: number;
  chainSeq: string | null;
  eventId: string | null;
  reason: BrokenReason | "malformed" | "truncated";
  message: string;
}

export interface OfflineResult {
  ok: boolean;
  stream: string | null;
  events: number;
  /** The last position that verified, and its hash. */
  through: { chainSeq: string; hash: string } | null;
  head: { chainSeq: string; hash: string } | null;
  firstBroken: OfflineBreak | null;
}

function parseLine(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function linkOf(e: ExportEvent): ChainLink {
  const fields = Object.fromEntries(HASHED_FIELD_NAMES.map((k) => [k, (e as unknown as Record<string, unknown>)[k] ?? null]));
  return { fields: fields as ChainLink["fields"], prevHash: e.prevHash ?? null, hash: e.hash ?? null };
}

/** Verifies the lines of an export with these keys (keyId -> key). */
export async function verifyExport(lines: AsyncIterable<string> | Iterable<string>, keys: ReadonlyMap<string, string>): Promise<OfflineResult> {
  let header: ExportHeader | null = null;
  let walker: ChainWalker | null = null;
  let end: ExportEnd | null = null;
  let n = 0;
  const result = (firstBroken: OfflineBreak | null): OfflineResult => ({
    ok: firstBroken === null,
    stream: header?.stream ?? null,
    events: walker?.verified ?? 0,
    through: walker && walker.verified > 0 ? { chainSeq: walker.point.chainSeq.toString(), hash: walker.point.hash } : null,
    head: header?.head ?? null,
    firstBroken,
  });
  const malformed = (message: string, reason: OfflineBreak["reason"] = "malformed") =>
    result({ line: n, chainSeq: null, eventId: null, reason, message });

  for await (const raw of lines) {
    n++;
    const text = raw.trim();
    if (!text) continue;
    const obj = parseLine(text);
    if (!obj) return malformed("the line is not a JSON object");
    if (end) return malformed("a line follows the end line");
    if (!header) {
      if (obj.type !== "header" || obj.format !== EXPORT_FORMAT || obj.version !== EXPORT_VERSION) {
        return malformed(`the first line is not a ${EXPORT_FORMAT} version ${EXPORT_VERSION} header`);
      }
      header = obj as unknown as ExportHeader;
      continue;
    }
    if (obj.type === "end") {
      end = obj as unknown as ExportEnd;
      continue;
    }
    if (obj.type !== "event") return malformed(`unexpected line type ${JSON.stringify(obj.type)}`);
    const e = obj as unknown as ExportEvent;
    if (e.stream !== header.stream) return malformed(`an event of stream ${JSON.stringify(e.stream)} in the export of ${JSON.stringify(header.stream)}`);
    if (typeof e.chainSeq !== "string" || !/^[1-9][0-9]*$/.test(e.chainSeq)) return malformed("an event without a chain position");
    if (!walker) {
      // An export from position 1 links to genesis; a later start links to an event not in the file.
      const from = BigInt(header.fromChainSeq ?? "1");
      walker = new ChainWalker(
        keys,
        from <= 1n ? GENESIS_POINT : { chainSeq: from - 1n, hash: e.prevHash ?? "", eventId: null, time: null },
      );
    }
    const broken = walker.push(linkOf(e));
    if (broken) return result({ line: n, ...broken });
  }
  if (!header) return malformed("the file is empty");
  if (!end) return malformed("the file ends without its end line (cut short?)", "truncated");
  walker ??= new ChainWalker(keys, GENESIS_POINT);
  if (end.events !== walker.verified || (end.lastChainSeq ?? null) !== (walker.verified > 0 ? walker.point.chainSeq.toString() : null)) {
    return malformed(`the end line counts ${end.events} events but the file has ${walker.verified}`, "truncated");
  }
  const macKey = keys.get(end.keyId);
  if (!macKey) return malformed(`the end line is signed with key ${end.keyId}, which is neither AUDIT_KEY nor one of AUDIT_KEYS_RETIRED`, "unknown_key");
  if (end.mac !== endMac(macKey, endMacInput(header, end))) {
    return malformed("the end line's MAC does not match its header and last event: the file was cut short or edited", "truncated");
  }
  const headBreak = walker.end(header.head);
  if (headBreak) return result({ line: n, ...headBreak });
  return result(null);
}
