import { describe, expect, it } from "vitest";
import { normalizeFilters } from "@/lib/client/list-query";

describe("list query keys", () => {
  it("are the same for the same filters, whatever their order or empty values", () => {
    const a = normalizeFilters({ q: " alice ", expiring: true, userId: undefined });
    const b = normalizeFilters({ userId: "", expiring: true, q: "alice" });
    expect(a).toEqual({ expiring: true, q: "alice" });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.keys(normalizeFilters({ z: 1, a: 2, m: "x" }))).toEqual(["a", "m", "z"]);
  });

  it("leave out filters that mean 'no filter'", () => {
    expect(normalizeFilters({ q: "   ", expiring: false })).toEqual({});
    expect(normalizeFilters({ limit: 0 })).toEqual({ limit: 0 });
  });
});
