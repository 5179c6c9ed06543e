import { databaseEngine } from "@/lib/db";
import { decodeCursor, splitPage } from "@/lib/api/cursor";
import { escapeLike } from "@/lib/validation/strings";

// Searching for literal text. Prisma's `contains`/`startsWith` become LIKE patterns without
// escaping `%` and `_`, so `q=%` matched everything. PostgreSQL takes backslash as LIKE's escape
// character by default, so escaping the needle is enough there. SQLite's LIKE has no default escape
// and Prisma cannot add an ESCAPE clause: a needle with `%` or `_` is matched as a pattern there
// (a superset of the literal matches) and the rows are then checked exactly in code.

const WILDCARD = /[%_]/;

/** Case-insensitive `contains` (or `startsWith`) for literal text, on either engine. */
export function literalFilter(needle: string, op: "contains" | "startsWith" = "contains") {
  return databaseEngine() === "postgresql"
    ? { [op]: escapeLike(needle), mode: "insensitive" as const }
    : // SQLite's LIKE already ignores (ASCII) case and refuses `mode`.
      { [op]: needle };
}

/** True when the database's answer for this needle is a superset that must be checked in code. */
export function needsExactCheck(needle: string | undefined): needle is string {
  return !!needle && databaseEngine() === "sqlite" && WILDCARD.test(needle);
}

/** Lower-cases ASCII only, as SQLite's LIKE compares. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

type PageArgs = { take: number; cursor?: { id: string }; skip?: number };

const SCAN_BATCH = 200;

/**
 * One page of keyset pagination by `id` after an opaque cursor. With `exact`, rows the database
 * returned are filtered by it, reading on in batches until the page is full or the rows run out.
 */
export async function searchPage<T extends { id: string }>(
  fetch: (args: PageArgs) => Promise<T[]>,
  q: { cursor?: string; limit: number },
  exact?: (row: T) => boolean,
): Promise<{ page: T[]; nextCursor: string | null }> {
  let after = q.cursor ? decodeCursor(q.cursor, "cursor") : undefined;
  const at = (take: number): PageArgs => ({ take, ...(after ? { cursor: { id: after }, skip: 1 } : {}) });
  if (!exact) return splitPage(await fetch(at(q.limit + 1)), q.limit, (r) => r.id);
  const matches: T[] = [];
  for (;;) {
    const batch = await fetch(at(SCAN_BATCH));
    for (const row of batch) if (exact(row)) matches.push(row);
    if (matches.length > q.limit || batch.length < SCAN_BATCH) break;
    after = batch[batch.length - 1].id;
  }
  return splitPage(matches, q.limit, (r) => r.id);
}
