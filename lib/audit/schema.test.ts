import { describe, expect, it } from "vitest";
import { zodIssues } from "@/lib/api/errors";
import { listAuditQuerySchema } from "@/lib/audit/schema";

describe("audit-events query: from / to", () => {
  it.each([
    ["same instant", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"],
    ["to later", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"],
    // 10:00+05:00 is 05:00Z, an hour before 06:00Z, although it sorts after it as text
    ["offsets", "2026-01-01T10:00:00+05:00", "2026-01-01T06:00:00Z"],
    ["same instant, two offsets", "2026-01-01T05:00:00+05:00", "2026-01-01T00:00:00Z"],
  ])("accepts %s", (_label, from, to) => {
    expect(listAuditQuerySchema.safeParse({ from, to }).success).toBe(true);
  });

  it.each([
    ["to earlier", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"],
    // half a second after midnight is after midnight, although ".5Z" sorts before "Z" as text
    ["fractional seconds", "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00Z"],
    ["offsets", "2026-01-01T06:00:00Z", "2026-01-01T10:00:00+05:00"],
  ])("refuses %s, naming `to`", (_label, from, to) => {
    const r = listAuditQuerySchema.safeParse({ from, to });
    expect(r.success).toBe(false);
    expect(zodIssues(r.error!, "query")).toEqual([{ field: "query.to", message: "must not be before from" }]);
  });

  it.each(["yesterday", "2026-01-01", "2026-01-01T00:00:00", "1735689600"])("refuses from=%j", (from) => {
    const r = listAuditQuerySchema.safeParse({ from });
    expect(zodIssues(r.error!, "query")).toEqual([{ field: "query.from", message: "Invalid ISO datetime" }]);
  });
});
