import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sealAll } from "@/lib/audit/sealer";
import { readSchedule, requestVerification, SCHEDULE_KEY, startVerifier, verifierTick, type VerifierSchedule } from "@/lib/audit/verifier";
import { integrityReports, VERIFIER_LEASE } from "@/lib/audit/verify";
import { acquireLease, databaseNow } from "@/lib/jobs/lease";
import { describeEngines, uid, useTestDatabase } from "../helpers/context";
import { rawSql } from "../helpers/database";

// The background verifier: runs every auditVerifyIntervalMinutes (lib/settings) from each
// stream's last verified point, from genesis once a day or when asked, one replica at a time.
// Time passing is simulated by moving the stored schedule back, never by waiting.

describeEngines("audit background verifier", (engine) => {
  const ctx = useTestDatabase(engine, { seed: false });

  beforeEach(async () => {
    await db().lease.deleteMany();
    await db().setting.deleteMany({ where: { OR: [{ key: SCHEDULE_KEY }, { key: { startsWith: "settings." } }] } });
  });

  async function sealedStream(n: number, stream = `v-${uid()}`) {
    for (let i = 1; i <= n; i++) await db().auditEvent.create({ data: { stream, actorType: "system", actorLabel: "t", action: "thing.change", targetId: `t${i}` } });
    await sealAll("test-sealer");
    return stream;
  }
  const minutesAgo = async (m: number) => new Date((await databaseNow()).getTime() - m * 60_000).toISOString();
  async function setSchedule(s: Partial<VerifierSchedule>) {
    const value = { ...(await readSchedule()), ...s };
    await db().setting.upsert({ where: { key: SCHEDULE_KEY }, create: { key: SCHEDULE_KEY, value }, update: { value } });
  }
  const kindsOf = (states: { stream: string; kind: string }[] | null, stream: string) => states?.find((s) => s.stream === stream)?.kind;

  it("the first run is a full check of every stream; the next tick does nothing until the interval has passed", async () => {
    const a = await sealedStream(2);
    const b = await sealedStream(3);
    const first = await verifierTick("v1");
    expect(kindsOf(first, a)).toBe("full");
    expect(kindsOf(first, b)).toBe("full");
    const schedule = await readSchedule();
    expect(schedule.lastRunAt).not.toBeNull();
    expect(schedule.lastFullRunAt).toBe(schedule.lastRunAt);
    expect(await verifierTick("v1")).toBeNull();

    await sealedStream(1, a);
    await setSchedule({ lastRunAt: await minutesAgo(5) }); // the default interval is 5 minutes
    const second = await verifierTick("v1");
    expect(kindsOf(second, a)).toBe("incremental");
    expect((await integrityReports(a))![0]).toMatchObject({ ok: true, chained: 3, verified: 3 });
  });

  it("honours auditVerifyIntervalMinutes from the settings", async () => {
    await sealedStream(1);
    await verifierTick("v1");
    await db().setting.create({ data: { key: "settings.auditVerifyIntervalMinutes", value: 60 } });
    await setSchedule({ lastRunAt: await minutesAgo(30) });
    expect(await verifierTick("v1")).toBeNull();
    await setSchedule({ lastRunAt: await minutesAgo(61) });
    expect(await verifierTick("v1")).not.toBeNull();
  });

  it("re-verifies from genesis once a day", async () => {
    const stream = await sealedStream(2);
    await verifierTick("v1");
    await setSchedule({ lastRunAt: await minutesAgo(10), lastFullRunAt: await minutesAgo(23 * 60) });
    expect(kindsOf(await verifierTick("v1"), stream)).toBe("incremental");
    await setSchedule({ lastRunAt: await minutesAgo(10), lastFullRunAt: await minutesAgo(24 * 60 + 1) });
    expect(kindsOf(await verifierTick("v1"), stream)).toBe("full");
  });

  it("a run asked for (POST /api/v1/audit/integrity) happens at the next tick, even when not due, and finds an old change", async () => {
    const stream = await sealedStream(3);
    await verifierTick("v1");
    const victim = (await db().auditEvent.findMany({ where: { stream }, orderBy: { chainSeq: "asc" } }))[0];
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["x.y", victim.id]);
    expect(await verifierTick("v1")).toBeNull(); // not due
    await requestVerification(false);
    expect(kindsOf(await verifierTick("v1"), stream)).toBe("incremental"); // an incremental run does not look back
    await requestVerification(true);
    expect(kindsOf(await verifierTick("v1"), stream)).toBe("full");
    expect((await readSchedule()).requested).toBeNull();
    expect((await integrityReports(stream))![0]).toMatchObject({ status: "broken", firstBroken: { chainSeq: "1", eventId: victim.id } });
  });

  it("finds, in its full run, a stream that has nothing but rows marked sealed without a chain position", async () => {
    const stream = `forged-${uid()}`;
    await rawSql(ctx.url, `INSERT INTO "AuditEvent" ("id", "stream", "actorType", "action", "sealedAt") VALUES (?, ?, 'user', 'user.create', ?)`, [
      `forged-${uid()}`,
      stream,
      engine === "sqlite" ? "2026-01-01T00:00:00.000+00:00" : "2026-01-01 00:00:00",
    ]);
    await requestVerification(true);
    await verifierTick("v1");
    expect((await integrityReports(stream))![0]).toMatchObject({ status: "broken", unchained: 1, firstBroken: { reason: "unchained" } });
  });

  it("one replica at a time: while another holds the verifier lease, a due tick does nothing", async () => {
    await sealedStream(1);
    expect(await acquireLease(VERIFIER_LEASE, "other-replica", 60_000)).toBe(true);
    expect(await verifierTick("v1")).toBeNull();
    expect((await readSchedule()).lastRunAt).toBeNull();
    const both = await Promise.all([verifierTick("other-replica"), verifierTick("v2")]);
    expect(both.map((r) => r !== null)).toEqual([true, false]);
  });

  it("concurrent ticks of two replicas: exactly one runs", async () => {
    await sealedStream(1);
    const both = await Promise.all([verifierTick("r1"), verifierTick("r2")]);
    expect(both.filter((r) => r !== null)).toHaveLength(1);
  });

  it("startVerifier runs at once in the background; stopping it waits for the run and releases the lease", async () => {
    const stream = await sealedStream(2);
    const stop = startVerifier(3_600_000);
    await stop();
    expect((await integrityReports(stream))![0]).toMatchObject({ ok: true, verified: 2 });
    expect(await db().lease.findUnique({ where: { name: VERIFIER_LEASE } })).toBeNull();
  });
});
