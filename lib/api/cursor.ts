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
