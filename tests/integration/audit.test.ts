import { createHash, createHmac } from "node:crypto";
import { beforeEach, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { env, resetEnvCache } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record";
import { chainHead, sealAll, sealOnce, SEALER_LEASE, startSealer } from "@/lib/audit/sealer";
import { integrityReports, verifyStream } from "@/lib/audit/verify";
import { acquireLease, releaseLease } from "@/lib/jobs/lease";
import { actorOf, describeEngines, uid, useTestDatabase } from "../helpers/context";
import { rawSql } from "../helpers/database";
import { apiError, call, token } from "../helpers/http";
import { route } from "../helpers/routes";

// The audit store's keyed hash chain (docs/security.md): writers insert in their own
// transactions; a single sealer under a lease links events per stream with HMAC-SHA256 under the
// audit key; the integrity check (run in the background, stored, read by the API) names the first
// broken link and marks every event from there on as unverified.

const HOLDER = "test-sealer";
const ZEROS = "0".repeat(64);

/** Canonical JSON as docs/security.md defines it, written independently of lib/audit/chain.ts. */
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

const keyIdOf = (key: string) => createHash("sha256").update(`portcullis-audit-key-id:${key}`).digest("hex").slice(0, 16);

function expectedHash(prev: string, e: Row, key = env().AUDIT_KEY): string {
  const fields = {
    seq: e.seq.toString(),
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
    via: e.via,
    credentialId: e.credentialId,
    credentialLabel: e.credentialLabel,
    clientAddress: e.clientAddress,
    userAgent: e.userAgent,
    chainSeq: e.chainSeq!.toString(),
    keyId: e.keyId,
  };
  return createHmac("sha256", key).update(prev + canonical(fields)).digest("hex");
}

describeEngines("audit chain", (engine) => {
  const ctx = useTestDatabase(engine);
  const jsonParam = (v: unknown) => JSON.stringify(v);

  beforeEach(async () => {
    // every test seals as HOLDER unless it says otherwise
    await db().lease.deleteMany();
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
            via: "token",
            credentialId: `tok-${i}`,
            credentialLabel: "pcl_abcdefgh",
            clientAddress: "203.0.113.7",
            userAgent: "test-agent/1.0",
          },
        }),
      );
    }
    return stream;
  }

  /** The stored integrity report of one stream. */
  const report = async (stream: string) => (await integrityReports(stream))![0];
  /** Runs the check (as the background verifier does) and returns the stored report. */
  const check = async (stream: string, full = false) => {
    await verifyStream(stream, { full });
    return report(stream);
  };
  const integrityOf = async (stream: string) => {
    const res = await call(route("GET", "/api/v1/audit-events"), "GET", "/x", { auth: token(ctx.users.auditor), query: { stream, limit: "200" } });
    expect(res.status).toBe(200);
    return (res.body.items as { chainSeq: string | null; integrity: string; sealed: boolean }[])
      .reverse()
      .map((i) => [i.chainSeq, i.integrity, i.sealed]);
  };

  it("events wait unsealed until the sealer links them: chainSeq 1..n, genesis 64 zeros, HMAC(key, prev || canonical JSON), keyId", async () => {
    const stream = await writeEvents(5);
    for (const e of await rowsOf(stream)) expect([e.chainSeq, e.prevHash, e.hash, e.sealedAt, e.keyId]).toEqual([null, null, null, null, null]);
    expect(await report(stream)).toMatchObject({ status: "unverified", ok: false, chained: 0, pending: 5 });

    expect(await sealAll(HOLDER)).toBeGreaterThanOrEqual(5);
    const rows = await rowsOf(stream);
    let prev = ZEROS;
    rows.forEach((e, i) => {
      expect(e.chainSeq).toBe(BigInt(i + 1));
      expect(e.prevHash).toBe(prev);
      expect(e.keyId).toBe(keyIdOf(env().AUDIT_KEY));
      expect(e.hash).toBe(expectedHash(prev, e));
      expect(e.hash).not.toBe(createHash("sha256").update(prev).digest("hex"));
      expect(e.sealedAt).not.toBeNull();
      prev = e.hash!;
    });
    expect(await chainHead(stream)).toEqual({ chainSeq: "5", hash: prev });
    // sealed, but not verified until the check has run
    expect(await integrityOf(stream)).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), "pending", false]));
    const r = await check(stream);
    expect(r).toMatchObject({ stream, status: "verified", ok: true, chained: 5, verified: 5, pending: 0, quarantined: 0, unchained: 0, firstBroken: null });
    expect(r.verifiedThrough).toEqual({ chainSeq: "5", hash: prev, eventId: rows[4].id, time: rows[4].time.toISOString() });
    expect(await integrityOf(stream)).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), "verified", true]));
  });

  it("later events extend the chain from its head; the next check continues from the last verified point", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    expect(await check(stream)).toMatchObject({ verified: 2, ok: true });
    const tip = (await rowsOf(stream))[1];
    await writeEvents(2, stream);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    expect(rows.map((e) => e.chainSeq)).toEqual([1n, 2n, 3n, 4n]);
    expect(rows[2].prevHash).toBe(tip.hash);
    expect(await report(stream)).toMatchObject({ chained: 4, verified: 2, ok: true });
    expect(await check(stream)).toMatchObject({ chained: 4, verified: 4, ok: true });
    expect((await verifyStream(stream)).kind).toBe("incremental");
  });

  it("each stream has its own chain; console events written by recordAudit carry the credential and client", async () => {
    const a = await writeEvents(2);
    const b = await writeEvents(3);
    const actor = { ...actorOf(ctx.users.admin, "token"), credentialId: ctx.users.admin.tokenId, credentialLabel: "pcl_12345678", clientAddress: "198.51.100.4", userAgent: "curl/8" };
    await db().$transaction((tx) => recordAudit(tx, actor, { action: "test.console", target: { type: "x", id: "1" } }));
    await db().$transaction((tx) => recordAudit(tx, { kind: "system", label: "test" }, { action: "test.system" }));
    await sealAll(HOLDER);
    expect((await rowsOf(a)).map((e) => e.chainSeq)).toEqual([1n, 2n]);
    expect((await rowsOf(b)).map((e) => [e.chainSeq, e.prevHash === ZEROS])).toEqual([[1n, true], [2n, false], [3n, false]]);
    const consoleRow = await db().auditEvent.findFirstOrThrow({ where: { action: "test.console" } });
    expect(consoleRow).toMatchObject({ via: "token", credentialId: ctx.users.admin.tokenId, credentialLabel: "pcl_12345678", clientAddress: "198.51.100.4", userAgent: "curl/8" });
    const systemRow = await db().auditEvent.findFirstOrThrow({ where: { action: "test.system" } });
    expect(systemRow).toMatchObject({ via: null, credentialId: null, credentialLabel: null, clientAddress: null, userAgent: null });
    for (const s of [a, b, "console"]) expect(await check(s)).toMatchObject({ ok: true });
    const list = await call(route("GET", "/api/v1/audit-events"), "GET", "/x", { auth: token(ctx.users.auditor), query: { stream: "console" } });
    const byAction = (action: string) => list.body.items.find((i: { action: string }) => i.action === action);
    expect(byAction("test.console")).toMatchObject({
      credential: { via: "token", id: ctx.users.admin.tokenId, label: "pcl_12345678" },
      client: { address: "198.51.100.4", userAgent: "curl/8" },
    });
    expect(byAction("test.system")).toMatchObject({ credential: null, client: null });
  });

  const TAMPER: [string, (e: Row) => [string, unknown[]]][] = [
    ["the actor label", (e) => [`UPDATE "AuditEvent" SET "actorLabel" = ? WHERE "id" = ?`, ["someone-else@test.local", e.id]]],
    ["the action", (e) => [`UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["thing.view", e.id]]],
    ["the after JSON", (e) => [`UPDATE "AuditEvent" SET "after" = ? WHERE "id" = ?`, [jsonParam({ n: 999 }), e.id]]],
    ["the target", (e) => [`UPDATE "AuditEvent" SET "targetId" = NULL WHERE "id" = ?`, [e.id]]],
    ["the credential", (e) => [`UPDATE "AuditEvent" SET "credentialId" = ? WHERE "id" = ?`, ["tok-other", e.id]]],
    ["the client address", (e) => [`UPDATE "AuditEvent" SET "clientAddress" = ? WHERE "id" = ?`, ["192.0.2.1", e.id]]],
  ];
  it.each(TAMPER)("tampering with %s names that event as the first broken link; it and every later event are unverified", async (_what, tamper) => {
    const stream = await writeEvents(5);
    await sealAll(HOLDER);
    const victim = (await rowsOf(stream))[2];
    const [sql, params] = tamper(victim);
    await rawSql(ctx.url, sql, params);
    const r = await check(stream);
    expect(r).toMatchObject({ status: "broken", ok: false, chained: 5, verified: 2 });
    expect(r.firstBroken).toEqual({
      chainSeq: "3",
      eventId: victim.id,
      reason: "hash_mismatch",
      message: "stored fields do not match the event's hash",
      detectedAt: expect.any(String),
    });
    expect(await integrityOf(stream)).toEqual([
      ["1", "verified", true],
      ["2", "verified", true],
      ["3", "unverified", false],
      ["4", "unverified", false],
      ["5", "unverified", false],
    ]);
  });

  it("recomputing a changed event's hash without the key does not help the forger", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    const forged = { ...rows[1], actorLabel: "forger" };
    const plain = createHash("sha256").update(rows[1].prevHash! + "forged").digest("hex");
    const wrongKey = expectedHash(rows[1].prevHash!, forged, "a-guessed-key-a-guessed-key-a-guessed-key");
    for (const hash of [plain, wrongKey]) {
      await rawSql(ctx.url, `UPDATE "AuditEvent" SET "actorLabel" = ?, "hash" = ? WHERE "id" = ?`, ["forger", hash, rows[1].id]);
      expect((await check(stream, true)).firstBroken).toMatchObject({ chainSeq: "2", eventId: rows[1].id, reason: "hash_mismatch" });
    }
  });

  it("a changed prev_hash breaks that link (prev_hash_mismatch)", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "prevHash" = ? WHERE "id" = ?`, ["f".repeat(64), rows[2].id]);
    expect((await check(stream)).firstBroken).toMatchObject({
      chainSeq: "3",
      eventId: rows[2].id,
      reason: "prev_hash_mismatch",
      message: "prev_hash does not match the previous event's hash",
    });
  });

  it("reordering events (swapping their seq, the list order) is detected", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    const [a, b] = await rowsOf(stream);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "seq" = ? WHERE "id" = ?`, [engine === "sqlite" ? -1 : "-1", a.id]);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "seq" = ? WHERE "id" = ?`, [engine === "sqlite" ? a.seq : a.seq.toString(), b.id]);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "seq" = ? WHERE "id" = ?`, [engine === "sqlite" ? b.seq : b.seq.toString(), a.id]);
    expect((await check(stream)).firstBroken).toMatchObject({ chainSeq: "1", eventId: a.id, reason: "hash_mismatch" });
  });

  it("an event sealed with a key that is neither AUDIT_KEY nor retired is unverified (unknown_key)", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "keyId" = ? WHERE "id" = ?`, ["0123456789abcdef", rows[1].id]);
    expect((await check(stream)).firstBroken).toMatchObject({
      chainSeq: "2",
      reason: "unknown_key",
      message: "sealed with key 0123456789abcdef, which is neither AUDIT_KEY nor one of AUDIT_KEYS_RETIRED",
    });
  });

  it("key rotation: events sealed with a retired key still verify; dropping the retired key makes them unknown", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    const oldKey = env().AUDIT_KEY;
    const newKey = `rotated-${"n".repeat(40)}`;
    try {
      vi.stubEnv("AUDIT_KEY", newKey);
      vi.stubEnv("AUDIT_KEYS_RETIRED", `some-other-retired-key-xxxxxxxxxxxxxxxxx,${oldKey}`);
      resetEnvCache();
      await writeEvents(2, stream);
      await sealAll(HOLDER);
      const rows = await rowsOf(stream);
      expect(rows.map((e) => e.keyId)).toEqual([keyIdOf(oldKey), keyIdOf(oldKey), keyIdOf(newKey), keyIdOf(newKey)]);
      expect(rows[2].hash).toBe(expectedHash(rows[1].hash!, rows[2], newKey));
      expect(await check(stream, true)).toMatchObject({ ok: true, verified: 4 });

      vi.stubEnv("AUDIT_KEYS_RETIRED", "");
      resetEnvCache();
      expect((await check(stream, true)).firstBroken).toMatchObject({ chainSeq: "1", reason: "unknown_key" });
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
    }
  });

  it("deleting a middle event is a gap at its place", async () => {
    const stream = await writeEvents(5);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[1].id]);
    const r = await check(stream);
    expect(r).toMatchObject({ verified: 1, ok: false });
    expect(r.firstBroken).toMatchObject({ chainSeq: "2", eventId: null, reason: "gap", message: "event 2 of the chain is missing" });
    expect(await integrityOf(stream)).toEqual([
      ["1", "verified", true],
      ["3", "unverified", false],
      ["4", "unverified", false],
      ["5", "unverified", false],
    ]);
  });

  it("deleting the first event is a gap at 1", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[0].id]);
    expect((await check(stream)).firstBroken).toMatchObject({ chainSeq: "1", reason: "gap" });
  });

  it("deleting the last event is caught by the head the sealer kept (head_mismatch)", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[3].id]);
    const r = await check(stream);
    expect(r).toMatchObject({ verified: 3, chained: 4 });
    expect(r.firstBroken).toMatchObject({ chainSeq: "4", eventId: null, reason: "head_mismatch", message: "the chain ends at 3 but the sealer recorded 4" });
  });

  it("a deleted last event stays detectable after new events are sealed", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[2].id]);
    await writeEvents(2, stream);
    await sealAll(HOLDER);
    expect((await check(stream)).firstBroken).toMatchObject({ chainSeq: "3", eventId: null, reason: "gap" });
  });

  it("a stream whose events were all deleted is still reported", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "stream" = ?`, [stream]);
    expect((await check(stream)).firstBroken).toMatchObject({ chainSeq: "1", reason: "head_mismatch", message: "the chain ends at 0 but the sealer recorded 3" });
  });

  it("a row inserted with sealedAt set and no chain position does not pass as sealed (unchained)", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    await rawSql(
      ctx.url,
      `INSERT INTO "AuditEvent" ("id", "stream", "actorType", "action", "sealedAt") VALUES (?, ?, 'user', 'user.create', ?)`,
      ["forged-event", stream, engine === "sqlite" ? "2026-01-01T00:00:00.000+00:00" : "2026-01-01 00:00:00"],
    );
    const r = await check(stream);
    expect(r).toMatchObject({ status: "broken", verified: 2, unchained: 1 });
    expect(r.firstBroken).toMatchObject({ chainSeq: null, eventId: "forged-event", reason: "unchained", message: "1 event is marked sealed but has no place in the chain" });
    expect(await integrityOf(stream)).toEqual([
      ["1", "verified", true],
      ["2", "verified", true],
      [null, "unverified", false],
    ]);
  });

  it("the last verified event changed: the next incremental check starts over from genesis and finds it", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    await check(stream);
    const rows = await rowsOf(stream);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["x.y", rows[2].id]);
    const state = await verifyStream(stream);
    expect(state.kind).toBe("full");
    expect(state.broken).toMatchObject({ chainSeq: "3", reason: "hash_mismatch" });
  });

  it("an incremental check looks at new events only; the full check finds a change further back", async () => {
    const stream = await writeEvents(4);
    await sealAll(HOLDER);
    await check(stream);
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["x.y", (await rowsOf(stream))[1].id]);
    expect(await check(stream)).toMatchObject({ ok: true, verified: 4 });
    expect(await check(stream, true)).toMatchObject({ ok: false, verified: 1, firstBroken: { chainSeq: "2" } });
    // once broken, later incremental checks keep reporting it from the last good point
    expect(await check(stream)).toMatchObject({ ok: false, verified: 1, firstBroken: { chainSeq: "2" } });
  });

  it("a repaired chain (the row restored) verifies again", async () => {
    const stream = await writeEvents(3);
    await sealAll(HOLDER);
    const victim = (await rowsOf(stream))[1];
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, ["x.y", victim.id]);
    expect(await check(stream, true)).toMatchObject({ ok: false });
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "action" = ? WHERE "id" = ?`, [victim.action, victim.id]);
    expect(await check(stream)).toMatchObject({ ok: true, verified: 3, firstBroken: null });
  });

  it("a break is logged as a warning naming the stream, position and reason", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    await rawSql(ctx.url, `DELETE FROM "AuditEvent" WHERE "id" = ?`, [(await rowsOf(stream))[0].id]);
    const { logger } = await import("@/lib/log");
    const warn = vi.spyOn(logger(), "warn");
    await verifyStream(stream);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ stream, chainSeq: "1", reason: "gap" }),
      "audit chain broken: event 1 of the chain is missing",
    );
  });

  it("unsealed events are counted as pending, not verified", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    await writeEvents(3, stream);
    expect(await check(stream)).toMatchObject({ ok: true, chained: 2, verified: 2, pending: 3 });
    expect((await integrityOf(stream)).map(([, i]) => i)).toEqual(["verified", "verified", "pending", "pending", "pending"]);
  });

  // Quarantine
  async function insertDeepEvent(stream: string, levels: number) {
    const text = `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    await rawSql(
      ctx.url,
      engine === "sqlite"
        ? `INSERT INTO "AuditEvent" ("id", "stream", "actorType", "action", "data") VALUES (?, ?, 'gateway', 'tool.call', ?)`
        : `INSERT INTO "AuditEvent" ("id", "stream", "actorType", "action", "data") VALUES (?, ?, 'gateway', 'tool.call', ?::jsonb)`,
      [`deep-${uid()}`, stream, text],
    );
  }

  it("an event that cannot be canonicalised is quarantined with the reason; its stream and every other go on sealing", async () => {
    const stream = await writeEvents(2);
    await insertDeepEvent(stream, 4000);
    await writeEvents(2, stream);
    const other = await writeEvents(2);
    await sealAll(HOLDER);
    const rows = await rowsOf(stream);
    expect(rows.map((e) => [e.action, e.chainSeq, e.quarantinedAt !== null])).toEqual([
      ["thing.change", 1n, false],
      ["thing.change", 2n, false],
      ["tool.call", null, true],
      ["thing.change", 3n, false],
      ["thing.change", 4n, false],
    ]);
    expect(rows[2]).toMatchObject({ sealedAt: null, hash: null, quarantineReason: "cannot be canonicalised: data is nested deeper than 256 levels" });
    expect((await rowsOf(other)).map((e) => e.chainSeq)).toEqual([1n, 2n]);
    expect(await check(stream)).toMatchObject({ ok: true, chained: 4, verified: 4, pending: 0, quarantined: 1 });
    const list = await call(route("GET", "/api/v1/audit-events"), "GET", "/x", { auth: token(ctx.users.auditor), query: { stream } });
    expect(list.body.items[2]).toMatchObject({
      id: rows[2].id,
      integrity: "quarantined",
      sealed: false,
      chainSeq: null,
      quarantine: { at: rows[2].quarantinedAt!.toISOString(), reason: "cannot be canonicalised: data is nested deeper than 256 levels" },
    });
  });

  // The sealer's lease
  it("only one of two racing sealers seals, and nothing is chained twice", async () => {
    const stream = await writeEvents(6);
    const sealed = await Promise.all([sealOnce("replica-a"), sealOnce("replica-b")]);
    expect(sealed.filter((n) => n === 0)).toHaveLength(1);
    expect(sealed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    expect((await rowsOf(stream)).map((e) => e.chainSeq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(await check(stream)).toMatchObject({ ok: true, verified: 6 });
  });

  it("stopping the in-process sealer (shutdown) seals what is left and releases its lease", async () => {
    const stop = startSealer(3_600_000);
    const stream = await writeEvents(3);
    await stop();
    expect(await check(stream)).toMatchObject({ ok: true, verified: 3, pending: 0 });
    expect(await db().lease.findUnique({ where: { name: SEALER_LEASE } })).toBeNull();
  });

  it("racing sealers over an expired lease: still exactly one wins", async () => {
    await db().lease.create({ data: { name: SEALER_LEASE, holder: "crashed-replica", expiresAt: new Date(Date.now() - 1000) } });
    const stream = await writeEvents(3);
    const sealed = await Promise.all(["a", "b", "c"].map((h) => sealOnce(`replica-${h}`)));
    expect(sealed.filter((n) => n > 0)).toHaveLength(1);
    expect(await check(stream)).toMatchObject({ ok: true, verified: 3 });
  });

  it("while one replica holds the lease, another seals nothing; after it expires, the other takes over", async () => {
    expect(await acquireLease(SEALER_LEASE, "replica-a", 60_000)).toBe(true);
    const stream = await writeEvents(2);
    expect(await sealOnce("replica-b")).toBe(0);
    expect(await report(stream)).toMatchObject({ chained: 0, pending: 2 });
    await db().lease.update({ where: { name: SEALER_LEASE }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await sealOnce("replica-b")).toBeGreaterThanOrEqual(2);
    expect(await check(stream)).toMatchObject({ ok: true, verified: 2, pending: 0 });
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
  const integrity = (query?: Record<string, string>, as = ctx.users.auditor) =>
    call(route("GET", "/api/v1/audit/integrity"), "GET", "/x", { auth: token(as), query });

  it("GET /api/v1/audit/integrity returns the stored state of every stream, or one with ?stream=; it does not walk the chain itself", async () => {
    const good = await writeEvents(2);
    const bad = await writeEvents(3);
    await sealAll(HOLDER);
    const victim = (await rowsOf(bad))[0];
    await rawSql(ctx.url, `UPDATE "AuditEvent" SET "actorLabel" = ? WHERE "id" = ?`, ["x", victim.id]);
    // not checked yet: the request reports what the last check found (nothing), not a fresh walk
    expect((await integrity({ stream: bad })).body.streams[0]).toMatchObject({ status: "unverified", ok: false });
    await verifyStream(good);
    await verifyStream(bad);
    const all = await integrity();
    expect(all.status).toBe(200);
    expect(all.body.streams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: good, status: "verified", ok: true, chained: 2, verified: 2, pending: 0, quarantined: 0 }),
        expect.objectContaining({
          stream: bad,
          status: "broken",
          ok: false,
          chained: 3,
          verified: 0,
          verifiedThrough: null,
          firstBroken: { chainSeq: "1", eventId: victim.id, reason: "hash_mismatch", message: "stored fields do not match the event's hash", detectedAt: expect.any(String) },
        }),
      ]),
    );
    expect(all.body.verifier).toEqual(expect.objectContaining({ intervalMinutes: 5, requested: null }));
    const one = await integrity({ stream: good });
    expect(one.body.streams).toHaveLength(1);
    expect(one.body.streams[0]).toMatchObject({ stream: good, ok: true });
  });

  it("an unknown stream is a 404, never ok", async () => {
    const res = await integrity({ stream: `nope-${uid()}` });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found", "Unknown stream: it has no audit events"));
  });

  it("POST /api/v1/audit/integrity asks for a background run (audited), 202", async () => {
    const res = await call(route("POST", "/api/v1/audit/integrity"), "POST", "/x", { auth: token(ctx.users.auditor), json: { full: true } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ requested: { full: true, at: expect.any(String) } });
    expect((await integrity()).body.verifier.requested).toEqual(res.body.requested);
    expect(await db().auditEvent.findFirst({ where: { action: "audit.verify.request", actorId: ctx.users.auditor.id } })).toMatchObject({ data: { full: true } });
    const bad = await call(route("POST", "/api/v1/audit/integrity"), "POST", "/x", { auth: token(ctx.users.auditor), json: { full: "yes" } });
    expect(bad.status).toBe(422);
    const publisher = await call(route("POST", "/api/v1/audit/integrity"), "POST", "/x", { auth: token(ctx.users.publisher), json: {} });
    expect(publisher.status).toBe(403);
  });

  it("GET /api/v1/audit-events/:id returns one event with its integrity; 404 for an unknown id", async () => {
    const stream = await writeEvents(2);
    await sealAll(HOLDER);
    await check(stream);
    const [first] = await rowsOf(stream);
    const get = (id: string) => call(route("GET", "/api/v1/audit-events/[id]"), "GET", "/x", { auth: token(ctx.users.auditor), params: { id } });
    const res = await get(first.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.id, stream, integrity: "verified", sealed: true, chainSeq: "1" });
    expect((await get("no-such-event")).status).toBe(404);
    expect((await get("no such event")).status).toBe(422);
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
    await check(stream);
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
      credential: { via: "token", id: "tok-1", label: "pcl_abcdefgh" },
      client: { address: "203.0.113.7", userAgent: "test-agent/1.0" },
      action: "thing.change",
      target: { type: "thing", id: "thing-1", label: "Thing 1" },
      before: { n: 0, tags: ["a", "b"] },
      after: { n: 1, nested: { z: 1, a: [3, 2, 1], s: 'ünï"code' } },
      data: null,
      integrity: "pending",
      sealed: false,
      chainSeq: null,
      sealedAt: null,
      quarantine: null,
    });
    expect(res.body.items[1]).toMatchObject({ integrity: "verified", sealed: true, chainSeq: "3", sealedAt: rows[1].sealedAt!.toISOString() });
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

  it("refuses a cursor beyond the 64-bit range with a 422, not a 500", async () => {
    const cursor = Buffer.from("c1:9999999999999999999").toString("base64url");
    const res = await list({ cursor });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid cursor", [{ field: "query.cursor", message: "not a cursor from this API" }]));
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
