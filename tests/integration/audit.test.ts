import { createHash } from "node:crypto";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record";
import { chainHead, sealAll, sealOnce, SEALER_LEASE, startSealer } from "@/lib/audit/sealer";
import { verifyAll, verifyStream } from "@/lib/audit/verify";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import { actorOf, describeEngines, uid, useTestDatabase } from "../helpers/context";
import { rawSql } from "../helpers/database";
import { apiError, call, token } from "../helpers/http";
import { route } from "../helpers/routes";

// The audit store's hash chain (DESIGN.md, Storage): writers insert in their own transactions; a
// single sealer under a lease links events per stream; the integrity check names the first break.

const HOLDER = "test-sealer";
const ZEROS = "0".repeat(64);

/** Canonical JSON as DESIGN.md defines it, written independently of lib/audit/chain.ts. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

type Row = Awaited<ReturnType<typeof rowsOf>>[number];
const rowsOf = (stream: string) => db().auditEvent.findMany({ where: { stream }, orderBy: { seq: "asc" } });

function expectedHash(prev: string, e: Row): string {
  const fields = {
    id: e.id,
    stream: e.stream,
    sourceEventId: e.sourceEventId,
    time: e.time.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetLabel: e.targetLabel,
    before: e.before,
    after: e.after,
    data: e.data,
    chainSeq: e.chainSeq!.toString(),
  };
  return createHash("sha256").update(prev + canonical(fields)).digest("hex");
}

describeEngines("audit chain", (engine) => {
  const ctx = useTestDatabase(engine);
  const jsonParam = (v: unknown) => JSON.stringify(v);

  beforeEach(async () => {
    // every test seals as HOLDER unless it says otherwise
    await db().lease.deleteMany({ where: { name: SEALER_LEASE } });
  });

  /** Writes n events to a fresh stream, each in its own transaction, as writers do. */
  async function writeEvents(n: number, stream = `t-${uid()}`) {
    for (let i = 1; i <= n; i++) {
      await db().$transaction((tx) =>
        tx.auditEvent.create({
          data: {
            stream,
            actorType: "user",
            actorId: ctx.users.admin.id,
            actorLabel: "admin@test.local",
            action: `thing.change`,
            targetType: "thing",
            targetId: `thing-${i}`,
            targetLabel: `Thing ${i}`,
            before: i % 2 ? { n: i - 1, tags: ["a", "b"] } : undefined,
            after: { n: i, nested: { z: 1, a: [3, 2, 1], s: "ünï\"code" } },
            data: i === 2 ? { note: null, big: 12345678901234 } : undefined,
          },
        }),
      );
    }
    return stream;
  }

  it("events wait unsealed until the sealer links them: chainSeq 1..n, genesis 64 zeros, sha256(prev || canonical JSON)", async () => {
    const stream = await writeEvents(5);
    for (const e of await rowsOf(stream)) expect([e.chainSeq, e.prevHash, e.hash, e.sealedAt]).toEqual([null, null, null, null]);
    expect(await verifyStream(stream)).toEqual({ stream, ok: true, sealed: 0, unsealed: 5 });

    expect(await sealAll(HOLDER)).toBeGreaterThanOrEqual(5);
    const rows = await rowsOf(stream);
    let prev = ZEROS;
    rows.forEach((e, i) => {
      expect(e.chainSeq).toBe(BigInt(i + 1));
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toBe(expectedHash(prev, e));
      expect(e.sealedAt).not.toBeNull();
      prev = e.hash!;
    });
    expect(await chainHead(stream)).toEqual({ chainSeq: "5", hash: prev });
    expect(await verifyStream(stream)).toEqual({ stream, ok: true, sealed: 5, unsealed: 0 });
  });

  it("later events extend the chain from its head", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    const tip = (await rowsOf(stream))[1];
    await writeEvents(2, stream);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    expect(rows.map((e) => e.chainSeq)).toEqual([1n, 2n, 3n, 4n]);
    expect(rows[2].prevHash).toBe(tip.hash);
    expect(await verifyStream(stream)).toMatchObject({ ok: true, sealed: 4 });
  });

  it("each stream has its own chain; console events written by recordAudit are chained too", async () => {
    const a = await writeEvents(2);
    const b = await writeEvents(3);
    await db().$transaction((tx) => recordAudit(tx, actorOf(ctx.users.admin), { action: "test.console", target: { type: "x", id: "1" } }));
    await sealAll(HOLDER);
    expect((await rowsOf(a)).map((e) => e.chainSeq)).toEqual([1n, 2n]);
    expect((await rowsOf(b)).map((e) => [e.chainSeq, e.prevHash === ZEROS])).toEqual([[1n, true], [2n, false], [3n, false]]);
    const reports = await verifyAll();
    expect(reports.map((r) => r.stream)).toEqual(expect.arrayContaining([a, b, "console"]));
    expect(reports.every((r) => r.ok)).toBe(true);
  });

  const TAMPER: [string, (e: Row) => [string, unknown[]]][] = [
    ["the actor label", (e) => [`UPDATE "AuditEvent" SET "actorLabel" = ? WHERE "id" = ?`, ["someone-else@test.local", e.id]]],
    ["the action", (e) => [`UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["thing.view", e.id]]],
    ["the after JSON", (e) => [`UPDATE "AuditEvent" SET "after" = ? WHERE "id" = ?`, [jsonParam({ n: 999 }), e.id]]],
    ["the target", (e) => [`UPDATE "AuditEvent" SET "targetId" = NULL WHERE "id" = ?`, [e.id]]],
  ];
  it.each(TAMPER)("tampering with %s names that event as the first broken link (hash_mismatch)", async (_what, tamper) => {
    const stream = await writeEvents(5);
    await sealAll(HOLDER);
    const victim = (await rowsOf(stream))[2];
    const [sql, params] = tamper(victim);
    await rawSql(ctx.url, sql, params);
    expect(await verifyStream(stream)).toEqual({
      stream,
      ok: false,
      sealed: 2,
      unsealed: 0,
      firstBroken: { chainSeq: "3", eventId: victim.id, reason: "hash_mismatch", message: "stored fields do not match the event's hash" },
    });
  });

  it("rewriting an event and its hash breaks the next link (prev_hash_mismatch)", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    const forged = { ...rows[1], actorLabel: "forger" };
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "actorLabel" = ?, "hash" = ? WHERE "id" = ?`, ["forger", expectedHash(rows[1].prevHash!, forged), rows[1].id]);
    expect(await verifyStream(stream)).toMatchObject({
      ok: false,
      firstBroken: { chainSeq: "3", eventId: rows[2].id, reason: "prev_hash_mismatch", message: "prev_hash does not match the previous event's hash" },
    });
  });

  it("deleting a middle event is a gap at its place", async () => {
    const stream = await writeEvents(5);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[1].id]);
    expect(await verifyStream(stream)).toEqual({
      stream,
      ok: false,
      sealed: 1,
      unsealed: 0,
      firstBroken: { chainSeq: "2", eventId: null, reason: "gap", message: "event 2 of the chain is missing" },
    });
  });

  it("deleting the first event is a gap at 1", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[0].id]);
    expect(await verifyStream(stream)).toMatchObject({ ok: false, firstBroken: { chainSeq: "1", reason: "gap" } });
  });

  it("deleting the last event is caught by the head the sealer kept (head_mismatch)", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[3].id]);
    expect(await verifyStream(stream)).toEqual({
      stream,
      ok: false,
      sealed: 3,
      unsealed: 0,
      firstBroken: { chainSeq: "4", eventId: null, reason: "head_mismatch", message: "the chain ends at 3 but the sealer recorded 4" },
    });
  });

  it("a deleted last event stays detectable after new events are sealed", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[2].id]);
    await writeEvents(2, stream);
    await sealAll(HOLDER);
    const report = await verifyStream(stream);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ chainSeq: "3", eventId: null, reason: "gap" });
  });

  it("a stream whose events were all deleted is still reported", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "stream" = ?`, [stream]);
    const report = (await verifyAll()).find((r) => r.stream === stream);
    expect(report).toEqual({
      stream,
      ok: false,
      sealed: 0,
      unsealed: 0,
      firstBroken: { chainSeq: "1", eventId: null, reason: "head_mismatch", message: "the chain ends at 0 but the sealer recorded 3" },
    });
  });

  it("unsealed events are counted, not verified", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    await writeEvents(3, stream);
    expect(await verifyStream(stream)).toEqual({ stream, ok: true, sealed: 2, unsealed: 3 });
  });

  // The sealer's lease
  it("only one of two racing sealers seals, and nothing is chained twice", async () => {
    const stream = await writeEvents(6);
    const sealed = await Promise.all([sealOnce("replica-a"), sealOnce("replica-b")]);
    expect(sealed.filter((n) => n === 0)).toHaveLength(1);
    expect(sealed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    const rows = await rowsOf(stream);
    expect(rows.map((e) => e.chainSeq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(await verifyStream(stream)).toMatchObject({ ok: true, sealed: 6 });
  });

  it("stopping the in-process sealer (shutdown) seals what is left and releases its lease", async () => {
    const stop = startSealer(3_600_000);
    const stream = await writeEvents(3);
    await stop();
    expect(await verifyStream(stream)).toMatchObject({ ok: true, sealed: 3, unsealed: 0 });
    expect(await db().lease.findUnique({ where: { name: SEALER_LEASE } })).toBeNull();
  });

  it("racing sealers over an expired lease: still exactly one wins", async () => {
    await db().lease.create({ data: { name: SEALER_LEASE, holder: "crashed-replica", expiresAt: new Date(Date.now() - 1000) } });
    const stream = await writeEvents(3);
    const sealed = await Promise.all(["a", "b", "c"].map((h) => sealOnce(`replica-${h}`)));
    expect(sealed.filter((n) => n > 0)).toHaveLength(1);
    expect(await verifyStream(stream)).toMatchObject({ ok: true, sealed: 3 });
  });

  it("while one replica holds the lease, another seals nothing; after it expires, the other takes over", async () => {
    expect(await acquireLease(SEALER_LEASE, "replica-a", 60_000)).toBe(true);
    const stream = await writeEvents(2);
    expect(await sealOnce("replica-b")).toBe(0);
    expect(await verifyStream(stream)).toMatchObject({ sealed: 0, unsealed: 2 });
    await db().lease.update({ where: { name: SEALER_LEASE }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await sealOnce("replica-b")).toBeGreaterThanOrEqual(2);
    expect(await verifyStream(stream)).toMatchObject({ ok: true, sealed: 2, unsealed: 0 });
  });

  it("leases: the holder renews, others wait, release frees it, and concurrent takers get one winner", async () => {
    const name = `job-${uid()}`;
    expect(await acquireLease(name, "h1", 60_000)).toBe(true);
    expect(await acquireLease(name, "h1", 60_000)).toBe(true);
    expect(await acquireLease(name, "h2", 60_000)).toBe(false);
    await releaseLease(name, "h2"); // not the holder: no effect
    expect(await acquireLease(name, "h2", 60_000)).toBe(false);
    await releaseLease(name, "h1");
    expect(await acquireLease(name, "h2", 60_000)).toBe(true);
    const fresh = `job-${uid()}`;
    const won = await Promise.all(["a", "b", "c", "d", "e"].map((h) => acquireLease(fresh, h, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  // The API
  it("GET /api/v1/audit/integrity reports every stream, or one with ?stream=", async () => {
    const good = await writeEvents(2);
    const bad = await writeEvents(3);
    await sealAll(HOLDER);
    const victim = (await rowsOf(bad))[0];
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "actorLabel" = ? WHERE "id" = ?`, ["x", victim.id]);
    const all = await call(route("GET", "/api/v1/audit/integrity"), "GET", "/x", { auth: token(ctx.users.auditor) });
    expect(all.status).toBe(200);
    expect(all.body.streams).toEqual(
      expect.arrayContaining([
        { stream: good, ok: true, sealed: 2, unsealed: 0 },
        { stream: bad, ok: false, sealed: 0, unsealed: 0, firstBroken: { chainSeq: "1", eventId: victim.id, reason: "hash_mismatch", message: "stored fields do not match the event's hash" } },
      ]),
    );
    const one = await call(route("GET", "/api/v1/audit/integrity"), "GET", "/x", { auth: token(ctx.users.auditor), query: { stream: good } });
    expect(one.body).toEqual({ streams: [{ stream: good, ok: true, sealed: 2, unsealed: 0 }] });
  });

  /** Events with chosen times, for time-range filters. */
  async function eventsAt(stream: string, times: string[]) {
    for (const [i, time] of times.entries()) {
      await db().auditEvent.create({
        data: { stream, time: new Date(time), actorType: "user", actorId: i % 2 ? ctx.users.admin.id : ctx.users.approver.id, actorLabel: i % 2 ? "admin@test.local" : "approver@test.local", action: i % 2 ? "odd.thing" : "even.thing", targetType: "widget", targetId: `w${i}` },
      });
    }
  }
  const list = (query: Record<string, string>) => call(route("GET", "/api/v1/audit-events"), "GET", "/x", { auth: token(ctx.users.auditor), query });

  it("GET /api/v1/audit-events lists newest first in the documented shape", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await writeEvents(1, stream);
    const res = await list({ stream });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const rows = (await rowsOf(stream)).reverse();
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(rows.map((r) => r.id));
    expect(res.body.items[0]).toEqual({
      id: rows[0].id,
      seq: rows[0].seq.toString(),
      stream,
      time: rows[0].time.toISOString(),
      actor: { type: "user", id: ctx.users.admin.id, label: "admin@test.local" },
      action: "thing.change",
      target: { type: "thing", id: "thing-1", label: "Thing 1" },
      before: { n: 0, tags: ["a", "b"] },
      after: { n: 1, nested: { z: 1, a: [3, 2, 1], s: 'ünï"code' } },
      data: null,
      sealed: false,
      chainSeq: null,
    });
    expect(res.body.items[1]).toMatchObject({ sealed: true, chainSeq: "3" });
  });

  it("pages with an opaque cursor and never repeats or skips", async () => {
    const stream = await writeEvents(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list({ stream, limit: "3", ...(cursor ? { cursor } : {}) });
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual((await rowsOf(stream)).reverse().map((r) => r.id));
  });

  it("filters by action, actor (id or label), target, stream and time range", async () => {
    const stream = `t-${uid()}`;
    await eventsAt(stream, ["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z", "2026-01-04T00:00:00.000Z"]);
    const targets = async (q: Record<string, string>) => {
      const res = await list({ stream, ...q });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((i: { target: { id: string } }) => i.target.id);
    };
    expect(await targets({})).toEqual(["w3", "w2", "w1", "w0"]);
    expect(await targets({ action: "odd.thing" })).toEqual(["w3", "w1"]);
    expect(await targets({ actor: ctx.users.approver.id })).toEqual(["w2", "w0"]);
    expect(await targets({ actor: "admin@test.local" })).toEqual(["w3", "w1"]);
    expect(await targets({ targetType: "widget", targetId: "w2" })).toEqual(["w2"]);
    expect(await targets({ from: "2026-01-02T00:00:00Z" })).toEqual(["w3", "w2", "w1"]);
    expect(await targets({ to: "2026-01-02T00:00:00Z" })).toEqual(["w1", "w0"]);
    expect(await targets({ from: "2026-01-02T00:00:00Z", to: "2026-01-03T00:00:00Z" })).toEqual(["w2", "w1"]);
    // offsets are instants: 05:00+05:00 is midnight UTC
    expect(await targets({ from: "2026-01-02T05:00:00+05:00", to: "2026-01-02T20:00:00-04:00" })).toEqual(["w2", "w1"]);
    expect(await targets({ action: "odd.thing", from: "2026-01-03T00:00:00Z" })).toEqual(["w3"]);
    expect(await targets({ action: "no.such.action" })).toEqual([]);
    const other = await list({ stream: `t-${uid()}` });
    expect(other.body).toEqual({ items: [], nextCursor: null });
  });

  it("refuses a time range that ends before it starts", async () => {
    const res = await list({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T23:59:59.999Z" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid query.to", [{ field: "query.to", message: "must not be before from" }]));
  });
});
