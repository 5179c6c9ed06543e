// Semantic versions (semver.org 2.0.0) as the registry compares them: `isLatest` is the highest
// semver among a server's approved versions; when either side is not semver, the one published
// later wins (the official registry's rule).

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: (string | bigint)[];
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function parseSemver(v: string): SemVer | null {
  if (v.length > 255) return null;
  const m = SEMVER.exec(v);
  if (!m) return null;
  return {
    major: BigInt(m[1]),
    minor: BigInt(m[2]),
    patch: BigInt(m[3]),
    pre: m[4] ? m[4].split(".").map((p) => (/^\d+$/.test(p) ? BigInt(p) : p)) : [],
  };
}

const sign = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Semver precedence: -1, 0 or 1 (build metadata ignored). */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core = sign(a.major, b.major) || sign(a.minor, b.minor) || sign(a.patch, b.patch);
  if (core) return core;
  if (!a.pre.length || !b.pre.length) return a.pre.length ? -1 : b.pre.length ? 1 : 0;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === "bigint" && typeof y === "bigint") {
      if (x !== y) return sign(x, y);
    } else if (typeof x === "bigint") return -1;
    else if (typeof y === "bigint") return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export interface Candidate {
  version: string;
  publishedAt: Date;
}

/** Does `b` supersede `a` as the latest version? */
export function supersedes(a: Candidate, b: Candidate): boolean {
  const sa = parseSemver(a.version);
  const sb = parseSemver(b.version);
  if (sa && sb) {
    const c = compareSemver(sb, sa);
    if (c) return c > 0;
  }
  return b.publishedAt.getTime() > a.publishedAt.getTime();
}

/** The latest of a server's candidates (approved, not revoked), or undefined when none. */
export function pickLatest<T extends Candidate>(candidates: readonly T[]): T | undefined {
  const byTime = [...candidates].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  let best: T | undefined;
  for (const c of byTime) if (!best || supersedes(best, c)) best = c;
  return best;
}
