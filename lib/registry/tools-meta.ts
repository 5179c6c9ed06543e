import { db } from "@/lib/db";
import { summarizeFindings, type Finding } from "@/lib/registry/tools-findings";

// What the registry API says about each served version's tools, under our own `_meta` key: the
// pinned and current snapshot hashes, whether it has drifted and since when, and a summary of
// the poisoning findings of its newest snapshot (with how many nobody has acknowledged yet).

export interface ToolsMeta {
  pinnedHash: string | null;
  currentHash: string | null;
  checkedAt: string | null;
  drift: { detected: boolean; since: string | null };
  findings: { total: number; high: number; medium: number; low: number; unacknowledged: number } | null;
}

interface Row {
  id: string;
  serverId: string;
  driftSince: Date | null;
  pinnedSnapshotId: string | null;
  latestSnapshotId: string | null;
  lastCheckedAt: Date | null;
}

const SLICE = 500; // SQLite's bound-parameter limit

export async function toolsMeta(rows: Row[]): Promise<Map<string, ToolsMeta>> {
  const checked = rows.filter((r) => r.latestSnapshotId || r.pinnedSnapshotId);
  const ids = [...new Set(checked.flatMap((r) => [r.pinnedSnapshotId, r.latestSnapshotId]).filter((x): x is string => !!x))];
  const snaps = new Map<string, { hash: string | null; findings: Finding[] }>();
  for (let i = 0; i < ids.length; i += SLICE) {
    const found = await db().toolSnapshot.findMany({ where: { id: { in: ids.slice(i, i + SLICE) } }, select: { id: true, hash: true, findings: true } });
    for (const s of found) snaps.set(s.id, { hash: s.hash, findings: (s.findings as Finding[] | null) ?? [] });
  }
  const serverIds = [...new Set(checked.map((r) => r.serverId))];
  const acked = new Set<string>();
  for (let i = 0; i < serverIds.length; i += SLICE) {
    const acks = await db().findingAck.findMany({ where: { serverId: { in: serverIds.slice(i, i + SLICE) } }, select: { serverId: true, key: true } });
    for (const a of acks) acked.add(`${a.serverId}|${a.key}`);
  }
  const out = new Map<string, ToolsMeta>();
  for (const r of checked) {
    const latest = r.latestSnapshotId ? snaps.get(r.latestSnapshotId) : undefined;
    out.set(r.id, {
      pinnedHash: (r.pinnedSnapshotId && snaps.get(r.pinnedSnapshotId)?.hash) || null,
      currentHash: latest?.hash ?? null,
      checkedAt: r.lastCheckedAt?.toISOString() ?? null,
      drift: { detected: !!r.driftSince, since: r.driftSince?.toISOString() ?? null },
      findings: latest ? { ...summarizeFindings(latest.findings), unacknowledged: latest.findings.filter((f) => !acked.has(`${r.serverId}|${f.key}`)).length } : null,
    });
  }
  return out;
}
