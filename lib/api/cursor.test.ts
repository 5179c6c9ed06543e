import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";

describe("opaque cursors", () => {
  it.each(["cmabc123", "42", "a:b:c", "ünïcode"])("round-trip %j", (key) => {
    const c = encodeCursor(key);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, "cursor")).toBe(key);
  });

  it.each(["", "abc", "!!!", Buffer.from("c1:").toString("base64url"), Buffer.from("x1:key").toString("base64url"), encodeCursor("k".repeat(300))])(
    "refuses %j with a 422 naming the query field",
    (bad) => {
      let err: unknown;
      try {
        decodeCursor(bad, "cursor");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(422);
      expect((err as ApiError).code).toBe("validation_failed");
      expect((err as ApiError).details).toEqual([{ field: "query.cursor", message: "not a cursor from this API" }]);
    },
  );
});
