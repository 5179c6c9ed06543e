import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/pg/client";
import { acquireLease, assertLeaseHeld, databaseNow, LeaseLostError } from "@/lib/jobs/lease";
import { logger } from "@/lib/log";
import { hashedFields, type ChainedFields } from "@/lib/audit/chain";
import { auditKeyring, type AuditKeyring } from "@/lib/audit/keys";
import { chainHead, HEAD_KEY_PREFIX } from "@/lib/audit/sealer";
import { ChainWalker, GENESIS_POINT, type ChainBreak, type ChainLink, type ChainPoint } from "@/lib/audit/walk";

// Verifying a stream's chain, incrementally: each run continues from the last verified point
// (kept per stream in the Setting `audit.verified.<stream>`) up to the head the sealer recorded
// when the run began, and stores the new point and any break. A full run starts from genesis.
// Requests never do this work: GET /api/v1/audit/integrity reads the stored state
// (integrityReports), and the background job (lib/audit/verifier.ts) writes it.
//
// Every row of a stream is accounted for: chained rows are walked; rows without a position are
// pending (not sealed yet), quarantined (set aside by the sealer), or `unchained`: marked sealed
// without a place in the chain, which is a break.

export type { BrokenReason, ChainBreak } from "@/lib/audit/walk";

export const VERIFIED_KEY_PREFIX = "audit.verified.";
export const verifiedKey = (stream: string) => `${VERIFIED_KEY_PREFIX}${stream}`;
export const VERIFIER_LEASE = "audit-verifier";
export const VERIFIER_LEASE_TTL_MS = 60_000;

const PAGE = 1000;

export interface VerifiedPoint {
  chainSeq: string;
  hash: string;
  eventId: string | null;
  time: string | null;
}

/** What the last run found for one stream (stored as the Setting value). */
export interface VerifiedState {
  stream: string;
  /** Everything up to and including this position verified ("0": nothing yet). */
  through: VerifiedPoint;
  broken: (ChainBreak & { detectedAt: string }) | null;
  checkedAt: string;
  kind: "incremental" | "full";
  fullCheckAt: string | null;
  /** Rows marked sealed that have no chain position, seen by the last run. */
  unchained: number;
}

type EventRow = Awaited<ReturnType<ReturnType<typeof db>["auditEvent"]["findFirstOrThrow"]>>;

function linkOf(e: EventRow): ChainLink {
  const fields = hashedFields({ ...e, chainSeq: e.chainSeq!, keyId: e.keyId } as ChainedFields);
  return { fields: { ...fields, keyId: e.keyId }, prevHash: e.prevHash, hash: e.hash };
}

const toPoint = (p: ChainPoint): VerifiedPoint => ({ chainSeq: p.chainSeq.toString(), hash: p.hash, eventId: p.eventId, time: p.time });
const fromPoint = (p: VerifiedPoint): ChainPoint => ({ chainSeq: BigInt(p.chainSeq), hash: p.hash, eventId: p.eventId, time: p.time });

export async function readVerifiedState(stream: string, client: Tx = db()): Promise<VerifiedState | null> {
  const row = await client.setting.findUnique({ where: { key: verifiedKey(stream) } });
  return (row?.value as VerifiedState | undefined) ?? null;
}

export interface VerifyOptions {
  /** Start from genesis rather than the last verified point. */
  full?: boolean;
  /** The verifier's lease holder: renewed while walking, re-checked when the result is stored. */
  holder?: string;
  keys?: AuditKeyring;
}

/** Whether the row at the stored point still carries the stored hash and verifies. */
async function anchorHolds(stream: string, point: VerifiedPoint, keys: AuditKeyring): Promise<boolean> {
  const row = await db().auditEvent.findUnique({ where: { stream_chainSeq: { stream, chainSeq: BigInt(point.chainSeq) } } });
  if (!row || row.hash !== point.hash || row.id !== point.eventId) return false;
  const walker = new ChainWalker(keys.byId, { chainSeq: row.chainSeq! - 1n, hash: row.prevHash ?? "", eventId: null, time: null });
  return walker.push(linkOf(row)) === null;
}

/** Verifies one stream and stores what it found; returns the stored state. */
export async function verifyStream(stream: string, opts: VerifyOptions = {}): Promise<VerifiedState> {
  const keys = opts.keys ?? auditKeyring();
  const prior = await readVerifiedState(stream);
  // The head first: the sealer writes rows and head in one transaction, so every position up to
  // this head is committed, and the walk stops there even while the sealer goes on.
  const head = await chainHead(stream);
  let full = opts.full || !prior;
  if (!full && prior && BigInt(prior.through.chainSeq) > 0n && !(await anchorHolds(stream, prior.through, keys))) {
    full = true; // the last verified event changed or vanished: find the first break from genesis
  }
  const walker = new ChainWalker(keys.byId, full || !prior ? GENESIS_POINT : fromPoint(prior.through));
  const limit = head ? BigInt(head.chainSeq) : undefined;
  let broken: ChainBreak | null = null;
  walk: for (;;) {
    const page = await db().auditEvent.findMany({
      where: { stream, chainSeq: { gt: walker.point.chainSeq, ...(limit !== undefined ? { lte: limit } : {}) } },
      orderBy: { chainSeq: "asc" },
      take: PAGE,
    });
    for (const e of page) {
      broken = walker.push(linkOf(e));
      if (broken) break walk;
    }
    if (page.length < PAGE) break;
    if (opts.holder && !(await acquireLease(VERIFIER_LEASE, opts.holder, VERIFIER_LEASE_TTL_MS))) {
      throw new LeaseLostError(VERIFIER_LEASE, opts.holder);
    }
  }
  if (!broken) {
    broken = head
      ? walker.end(head)
      : walker.point.chainSeq > 0n
        ? { chainSeq: "1", eventId: null, reason: "head_mismatch", message: `the sealer recorded no head, but the chain has ${walker.point.chainSeq} events` }
        : null;
  }

  const unchainedWhere = { stream, chainSeq: null, OR: [{ sealedAt: { not: null } }, { hash: { not: null } }] };
  const [unchained, firstUnchained] = await Promise.all([
    db().auditEvent.count({ where: unchainedWhere }),
    db().auditEvent.findFirst({ where: unchainedWhere, orderBy: { seq: "asc" }, select: { id: true } }),
  ]);
  if (!broken && firstUnchained) {
    broken = {
      chainSeq: null,
      eventId: firstUnchained.id,
      reason: "unchained",
      message: `${unchained} ${unchained === 1 ? "event is" : "events are"} marked sealed but ${unchained === 1 ? "has" : "have"} no place in the chain`,
    };
  }

  return db().$transaction(async (tx) => {
    if (opts.holder) await assertLeaseHeld(tx, VERIFIER_LEASE, opts.holder);
    const now = (await databaseNow(tx)).toISOString();
    const same = prior?.broken && broken && prior.broken.reason === broken.reason && prior.broken.chainSeq === broken.chainSeq && prior.broken.eventId === broken.eventId;
    const state: VerifiedState = {
      stream,
      through: toPoint(walker.point),
      broken: broken ? { ...broken, detectedAt: same ? prior!.broken!.detectedAt : now } : null,
      checkedAt: now,
      kind: full ? "full" : "incremental",
      fullCheckAt: full ? now : (prior?.fullCheckAt ?? null),
      unchained,
    };
    const value = JSON.parse(JSON.stringify(state)) as Prisma.InputJsonObject;
    await tx.setting.upsert({ where: { key: verifiedKey(stream) }, create: { key: verifiedKey(stream), value }, update: { value } });
    if (broken) {
      logger().warn(
        { stream, chainSeq: broken.chainSeq, eventId: broken.eventId, reason: broken.reason, verifiedThrough: state.through.chainSeq },
        `audit chain broken: ${broken.message}`,
      );
    }
    return state;
  });
}

/**
 * The streams there are, without reading every row: the sealer's recorded heads, the verifier's
 * states, and the (few, indexed) events not sealed yet. `everything` adds a grouped query over
 * the whole table, for the background full run only.
 */
export async function knownStreams(everything = false): Promise<string[]> {
  const [settings, unsealed, all] = await Promise.all([
    db().setting.findMany({
      where: { OR: [{ key: { startsWith: HEAD_KEY_PREFIX } }, { key: { startsWith: VERIFIED_KEY_PREFIX } }] },
      select: { key: true },
    }),
    db().auditEvent.groupBy({ by: ["stream"], where: { sealedAt: null } }),
    everything ? db().auditEvent.groupBy({ by: ["stream"] }) : Promise.resolve([]),
  ]);
  const names = new Set<string>();
  for (const { key } of settings) {
    names.add(key.startsWith(HEAD_KEY_PREFIX) ? key.slice(HEAD_KEY_PREFIX.length) : key.slice(VERIFIED_KEY_PREFIX.length));
  }
  for (const g of [...unsealed, ...all]) names.add(g.stream);
  return [...names].sort();
}

export interface IntegrityReport {
  stream: string;
  /** verified: checked, no break known; broken: a break is known; unverified: never checked yet. */
  status: "verified" | "broken" | "unverified";
  ok: boolean;
  /** Positions in the chain (the sealer's recorded head). */
  chained: number;
  /** Positions verified by the last run (the rest were sealed since). */
  verified: number;
  /** Events not sealed yet. */
  pending: number;
  /** Events the sealer set aside (not chained). */
  quarantined: number;
  /** Events marked sealed with no chain position (each is a break). */
  unchained: number;
  verifiedThrough: VerifiedPoint | null;
  checkedAt: string | null;
  lastFullCheckAt: string | null;
  firstBroken: (ChainBreak & { detectedAt: string }) | null;
}

/** The stored integrity state of every stream (or one): a handful of indexed reads, no walk. */
export async function integrityReports(only?: string): Promise<IntegrityReport[] | null> {
  const streamFilter = only !== undefined ? { stream: only } : {};
  const [settings, pending, quarantined] = await Promise.all([
    db().setting.findMany({
      where:
        only !== undefined
          ? { key: { in: [`${HEAD_KEY_PREFIX}${only}`, verifiedKey(only)] } }
          : { OR: [{ key: { startsWith: HEAD_KEY_PREFIX } }, { key: { startsWith: VERIFIED_KEY_PREFIX } }] },
    }),
    db().auditEvent.groupBy({ by: ["stream"], where: { ...streamFilter, sealedAt: null, chainSeq: null, quarantinedAt: null }, _count: { _all: true } }),
    db().auditEvent.groupBy({ by: ["stream"], where: { ...streamFilter, sealedAt: null, chainSeq: null, quarantinedAt: { not: null } }, _count: { _all: true } }),
  ]);
  const heads = new Map<string, { chainSeq: string; hash: string }>();
  const states = new Map<string, VerifiedState>();
  for (const s of settings) {
    if (s.key.startsWith(HEAD_KEY_PREFIX)) heads.set(s.key.slice(HEAD_KEY_PREFIX.length), s.value as { chainSeq: string; hash: string });
    else states.set(s.key.slice(VERIFIED_KEY_PREFIX.length), s.value as unknown as VerifiedState);
  }
  const pendingBy = new Map(pending.map((g) => [g.stream, g._count._all]));
  const quarantinedBy = new Map(quarantined.map((g) => [g.stream, g._count._all]));
  const streams = new Set([...heads.keys(), ...states.keys(), ...pendingBy.keys(), ...quarantinedBy.keys()]);
  if (only !== undefined && !streams.has(only)) return null;
  return [...streams].sort().map((stream) => {
    const state = states.get(stream);
    const status = !state ? "unverified" : state.broken ? "broken" : "verified";
    const verified = state ? Number(state.through.chainSeq) : 0;
    return {
      stream,
      status,
      ok: status === "verified",
      chained: Number(heads.get(stream)?.chainSeq ?? 0),
      verified,
      pending: pendingBy.get(stream) ?? 0,
      quarantined: quarantinedBy.get(stream) ?? 0,
      unchained: state?.unchained ?? 0,
      verifiedThrough: state && verified > 0 ? state.through : null,
      checkedAt: state?.checkedAt ?? null,
      lastFullCheckAt: state?.fullCheckAt ?? null,
      firstBroken: state?.broken ?? null,
    };
  });
}
