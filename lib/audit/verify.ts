import { db } from "@/lib/db";
import { chainHash, GENESIS_HASH } from "@/lib/audit/chain";
import { chainHead, HEAD_KEY_PREFIX } from "@/lib/audit/sealer";

// Integrity check over a stream's sealed range: walks chainSeq 1..n, recomputes each hash and
// names the first broken link. The chain head kept by the sealer catches removal at the end.

export type BrokenReason = "gap" | "prev_hash_mismatch" | "hash_mismatch" | "head_mismatch";

export interface IntegrityReport {
  stream: string;
  ok: boolean;
  sealed: number;
  unsealed: number;
  firstBroken?: { chainSeq: string; eventId: string | null; reason: BrokenReason; message: string };
}

const PAGE = 1000;

export async function verifyStream(stream: string): Promise<IntegrityReport> {
  const unsealed = await db().auditEvent.count({ where: { stream, sealedAt: null } });
  let expectedSeq = 1n;
  let prev = GENESIS_HASH;
  let sealed = 0;
  const broken = (chainSeq: bigint, eventId: string | null, reason: BrokenReason, message: string): IntegrityReport => ({
    stream,
    ok: false,
    sealed,
    unsealed,
    firstBroken: { chainSeq: chainSeq.toString(), eventId, reason, message },
  });

  for (;;) {
    const page = await db().auditEvent.findMany({
      where: { stream, chainSeq: { gte: expectedSeq } },
      orderBy: { chainSeq: "asc" },
      take: PAGE,
    });
    for (const e of page) {
      const seq = e.chainSeq!;
      if (seq !== expectedSeq) return broken(expectedSeq, null, "gap", `event ${expectedSeq} of the chain is missing`);
      if (e.prevHash !== prev) return broken(seq, e.id, "prev_hash_mismatch", "prev_hash does not match the previous event's hash");
      const hash = chainHash(prev, { ...e, chainSeq: seq });
      if (hash !== e.hash) return broken(seq, e.id, "hash_mismatch", "stored fields do not match the event's hash");
      prev = hash;
      expectedSeq += 1n;
      sealed++;
    }
    if (page.length < PAGE) break;
  }
  const head = await chainHead(stream);
  if (head && (BigInt(head.chainSeq) !== expectedSeq - 1n || head.hash !== prev)) {
    return broken(expectedSeq, null, "head_mismatch", `the chain ends at ${expectedSeq - 1n} but the sealer recorded ${head.chainSeq}`);
  }
  return { stream, ok: true, sealed, unsealed };
}

export async function verifyAll(): Promise<IntegrityReport[]> {
  const [events, heads] = await Promise.all([
    db().auditEvent.findMany({ distinct: ["stream"], select: { stream: true } }),
    // A stream whose events were all deleted has no rows left, only the head the sealer kept.
    db().setting.findMany({ where: { key: { startsWith: HEAD_KEY_PREFIX } }, select: { key: true } }),
  ]);
  const streams = new Set([...events.map((e) => e.stream), ...heads.map((h) => h.key.slice(HEAD_KEY_PREFIX.length))]);
  return Promise.all([...streams].sort().map((s) => verifyStream(s)));
}
