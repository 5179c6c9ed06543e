import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record";
import { describeEngines, useTestDatabase } from "../helpers/context";
import { rawSql } from "../helpers/database";

// The audit store's insertion order: `seq` is assigned by the database on both engines, grows,
// is never reused, and keeps 64-bit values.
describeEngines("audit store sequence", (engine) => {
  const ctx = useTestDatabase(engine, { seed: false });
  const SYSTEM = { kind: "system" as const, label: "test" };

  it("assigns increasing seq to events written in concurrent transactions", async () => {
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) => db().$transaction((tx) => recordAudit(tx, SYSTEM, { action: `t.concurrent.${i}` }))),
    );
    const rows = await db().auditEvent.findMany({ where: { action: { startsWith: "t.concurrent." } }, orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(5);
    for (const r of rows) expect(typeof r.seq).toBe("bigint");
  });

  it("never reuses the seq of a deleted newest event", async () => {
    await db().$transaction((tx) => recordAudit(tx, SYSTEM, { action: "t.reuse.a" }));
    const a = await db().auditEvent.findFirstOrThrow({ where: { action: "t.reuse.a" } });
    await db().auditEvent.delete({ where: { seq: a.seq } });
    await db().$transaction((tx) => recordAudit(tx, SYSTEM, { action: "t.reuse.b" }));
    const b = await db().auditEvent.findFirstOrThrow({ where: { action: "t.reuse.b" } });
    expect(b.seq).toBeGreaterThan(a.seq);
  });

  it("reads seq values beyond 2^53 exactly", async () => {
    const big = 9007199254740993n; // 2^53 + 1: not representable as a JS number
    await rawSql(ctx.url, `INSERT INTO "AuditEvent" ("seq", "id", "stream", "actorType", "action") VALUES (?, ?, ?, ?, ?)`, [
      engine === "sqlite" ? big : big.toString(),
      "big-seq-event",
      "console",
      "system",
      "t.big",
    ]);
    const row = await db().auditEvent.findUniqueOrThrow({ where: { id: "big-seq-event" } });
    expect(row.seq).toBe(big);
  });
});
