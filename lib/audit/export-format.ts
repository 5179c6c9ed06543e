import { createHmac } from "node:crypto";
import { canonicalJson, type HashedFields } from "@/lib/audit/chain";

// The lines of an audit export (lib/audit/export.ts writes them, lib/audit/offline.ts checks
// them). Pure: the offline verifier loads this without the database client.

export interface ChainHeadJson {
  chainSeq: string;
  hash: string;
}

export const EXPORT_FORMAT = "portcullis-audit-export";
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  type: "header";
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  stream: string;
  exportedAt: string;
  /** First chain position in the file; the first event's prevHash links to the one before it. */
  fromChainSeq: string;
  /** The sealer's recorded head when the export began: the file ends there. */
  head: ChainHeadJson | null;
}

export type ExportEvent = { type: "event" } & HashedFields & { prevHash: string | null; hash: string | null; sealedAt: string | null };

export interface ExportEnd {
  type: "end";
  events: number;
  lastChainSeq: string | null;
  lastHash: string | null;
  keyId: string;
  /** HMAC-SHA256(key, canonical JSON of endMacInput(...)), hex. */
  mac: string;
}

/** What the end line's MAC covers. */
export function endMacInput(header: Pick<ExportHeader, "stream" | "fromChainSeq" | "head" | "exportedAt">, end: Pick<ExportEnd, "events" | "lastChainSeq" | "lastHash">) {
  return {
    purpose: "portcullis-audit-export-end",
    stream: header.stream,
    exportedAt: header.exportedAt,
    fromChainSeq: header.fromChainSeq,
    head: header.head ?? null,
    events: end.events,
    lastChainSeq: end.lastChainSeq ?? null,
    lastHash: end.lastHash ?? null,
  };
}

export function endMac(key: string, input: ReturnType<typeof endMacInput>): string {
  return createHmac("sha256", key).update(canonicalJson(input)).digest("hex");
}
