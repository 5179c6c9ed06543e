import { db } from "@/lib/db";
import { hashedFields, type ChainedFields } from "@/lib/audit/chain";
import {
  endMac,
  endMacInput,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportEnd,
  type ExportEvent,
  type ExportHeader,
} from "@/lib/audit/export-format";
import { auditKeyring, type AuditKey } from "@/lib/audit/keys";
import { chainHead } from "@/lib/audit/sealer";

// The export of a stream's chain as NDJSON, one JSON object a line: a header, every sealed event
// in chain order with its chain fields, and an end line. `npm run audit:verify -- <file>`
// (scripts/audit-verify.ts) re-checks it offline with the audit key (lib/audit/offline.ts). The
// end line carries a MAC (under the audit key) over the header's claims and the last link, so a
// file cut short and given a matching end line is caught too.

const PAGE = 500;

/** Whether the stream has anything to export (a recorded head or a chained event). */
export async function streamExists(stream: string): Promise<boolean> {
  if (await chainHead(stream)) return true;
  return (await db().auditEvent.findFirst({ where: { stream }, select: { seq: true } })) !== null;
}

/** The NDJSON lines of a stream's export, read a page at a time (nothing held in memory). */
export async function* exportLines(stream: string, fromChainSeq = 1n, key: AuditKey = auditKeyring().current): AsyncGenerator<string> {
  const head = await chainHead(stream);
  const header: ExportHeader = {
    type: "header",
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    stream,
    exportedAt: new Date().toISOString(),
    fromChainSeq: fromChainSeq.toString(),
    head,
  };
  yield `${JSON.stringify(header)}\n`;
  const limit = head ? BigInt(head.chainSeq) : undefined;
  let after = fromChainSeq - 1n;
  let events = 0;
  let last: { chainSeq: string; hash: string | null } | null = null;
  for (;;) {
    const page = await db().auditEvent.findMany({
      where: { stream, chainSeq: { gt: after, ...(limit !== undefined ? { lte: limit } : {}) } },
      orderBy: { chainSeq: "asc" },
      take: PAGE,
    });
    for (const e of page) {
      const line: ExportEvent = {
        type: "event",
        ...hashedFields({ ...e, chainSeq: e.chainSeq!, keyId: e.keyId } as ChainedFields),
        prevHash: e.prevHash,
        hash: e.hash,
        sealedAt: e.sealedAt?.toISOString() ?? null,
      };
      yield `${JSON.stringify(line)}\n`;
      after = e.chainSeq!;
      last = { chainSeq: e.chainSeq!.toString(), hash: e.hash };
      events++;
    }
    if (page.length < PAGE) break;
  }
  const tail = { events, lastChainSeq: last?.chainSeq ?? null, lastHash: last?.hash ?? null };
  const end: ExportEnd = { type: "end", ...tail, keyId: key.id, mac: endMac(key.key, endMacInput(header, tail)) };
  yield `${JSON.stringify(end)}\n`;
}

/** A byte stream of the lines, pulled as the client reads. */
export function exportStream(stream: string, fromChainSeq = 1n): ReadableStream<Uint8Array> {
  const lines = exportLines(stream, fromChainSeq);
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(enc.encode(value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
