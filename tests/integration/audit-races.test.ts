import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { sealOnce, SEALER_LEASE } from "@/lib/audit/sealer";
import { acquireLease } from "@/lib/jobs/lease";
import { describeEngines, uid, useTestDatabase } from "../helpers/context";

describeEngines("audit sealer races", (engine) => {
  useTestDatabase(engine, { seed: false });

  beforeEach(async () => {
    await db().lease.deleteMany();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs fn with this process's clock set `offsetMs` away from the real time (a skewed replica). */
  async function withClockSkew<T>(offsetMs: number, fn: () => Promise<T>): Promise<T> {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + offsetMs });
    try {
      return await fn();
    } finally {
      vi.useRealTimers();
    }
  }

  it("a replica whose clock runs an hour fast does not take a lease another replica holds", async () => {
    const name = `job-${uid()}`;
    expect(await acquireLease(name, "replica-a", 30_000)).toBe(true);
    expect(await withClockSkew(3_600_000, () => acquireLease(name, "replica-b", 30_000))).toBe(false);
    expect((await db().lease.findUniqueOrThrow({ where: { name } })).holder).toBe("replica-a");
  });

  it("a lease taken by a replica whose clock runs an hour slow still lasts its full term", async () => {
    const name = `job-${uid()}`;
    expect(await withClockSkew(-3_600_000, () => acquireLease(name, "replica-a", 30_000))).toBe(true);
    expect(await acquireLease(name, "replica-b", 30_000)).toBe(false);
  });

  /** Writes n events to a fresh stream, each in its own transaction, as writers do. */
  async function writeEvents(n: number, stream = `t-${uid()}`) {
    for (let i = 1; i <= n; i++) {
      await db().auditEvent.create({ data: { stream, actorType: "system", actorLabel: "test", action: "thing.change", targetType: "thing", targetId: `t${i}` } });
    }
    return stream;
  }
  const chainOf = async (stream: string) =>
    (await db().auditEvent.findMany({ where: { stream }, orderBy: { seq: "asc" } })).map((e) => [e.targetId, e.chainSeq]);
  const expireLease = () => db().lease.update({ where: { name: SEALER_LEASE }, data: { expiresAt: new Date(Date.now() - 60_000) } });

  it("a sealer whose lease was taken over mid-run writes nothing; the new holder's chain stands", async () => {
    const stream = await writeEvents(3);
    const a = await sealOnce("replica-a", {
      afterRead: async () => {
        // replica A stalls after reading its batch; its lease runs out, B takes over and seals
        // everything, including an event A never saw
        await writeEvents(1, stream);
        await expireLease();
        expect(await sealOnce("replica-b")).toBe(4);
      },
    });
    expect(a).toBe(0);
    expect(await chainOf(stream)).toEqual([["t1", 1n], ["t2", 2n], ["t3", 3n], ["t1", 4n]]);
    expect((await db().lease.findUniqueOrThrow({ where: { name: SEALER_LEASE } })).holder).toBe("replica-b");
  });

  it("rows sealed by someone else between the read and the write are not overwritten (compare-and-set)", async () => {
    const stream = await writeEvents(3);
    let sealedBehindItsBack = 0;
    const a = await sealOnce("replica-a", {
      afterRead: async () => {
        // the same holder's lease, but the rows changed under it (a second process with the
        // same holder id, or a hand-run repair): A must not chain them a second time
        const rows = await db().auditEvent.findMany({ where: { stream }, orderBy: { seq: "asc" } });
        sealedBehindItsBack = (await db().auditEvent.updateMany({ where: { seq: rows[1].seq }, data: { sealedAt: new Date() } })).count;
      },
    });
    expect(sealedBehindItsBack).toBe(1);
    expect(a).toBe(0);
    expect((await chainOf(stream)).map(([, c]) => c)).toEqual([null, null, null]);
  });

  it("overlapping transactions: a stalled sealer resumes while two replicas race for its expired lease", async () => {
    const stream = await writeEvents(3);
    let others: Promise<number[]> | undefined;
    const a = await sealOnce("replica-a", {
      afterRead: async () => {
        await writeEvents(1, stream);
        await expireLease();
        // not awaited: B and C run while A goes on into its own sealing transaction
        others = Promise.all([sealOnce("replica-b"), sealOnce("replica-c")]);
      },
    });
    const [b, c] = await others!;
    expect(a).toBe(0);
    expect([b, c].filter((n) => n > 0)).toHaveLength(1); // exactly one took the lease over
    expect(Math.max(b, c)).toBeGreaterThanOrEqual(4);
    expect(await chainOf(stream)).toEqual([["t1", 1n], ["t2", 2n], ["t3", 3n], ["t1", 4n]]);
  });
});
