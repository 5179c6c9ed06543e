import { ApiError } from "@/lib/api/errors";

// Opaque cursors: base64url of a row key. A cursor that does not decode is a 422 naming the field.

export function encodeCursor(key: string): string {
  return Buffer.from(`c1:${key}`).toString("base64url");
}

export function decodeCursor(cursor: string, field: string): string {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  if (!raw.startsWith("c1:") || raw.length < 4 || raw.length > 200) {
    throw new ApiError("validation_failed", `Invalid ${field}`, [{ field: `query.${field}`, message: "not a cursor from this API" }]);
  }
  return raw.slice(3);
}

/**
 * Prisma arguments for keyset pagination by `id` after an opaque cursor: one row more than the
 * page, so `splitPage` can tell whether another page follows.
 */
export function idPageArgs(cursor: string | undefined, limit: number) {
  const after = cursor ? decodeCursor(cursor, "cursor") : undefined;
  return { take: limit + 1, ...(after ? { cursor: { id: after }, skip: 1 } : {}) };
}

/** The page's rows and the cursor to the next page (null on the last), from `limit + 1` rows. */
export function splitPage<T>(rows: T[], limit: number, key: (row: T) => string): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? encodeCursor(key(page[page.length - 1])) : null };
}
