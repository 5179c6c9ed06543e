import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sealAll } from "@/lib/audit/sealer";
import { auditKeyring, keyring } from "@/lib/audit/keys";
import { verifyExport } from "@/lib/audit/offline";
import { describeEngines, uid, useTestDatabase } from "../helpers/context";
import { apiError, buildRequest, token } from "../helpers/http";
import { route } from "../helpers/routes";
import { tempDir } from "../helpers/temp";

// GET /api/v1/audit/export streams a stream's chain as NDJSON; lib/audit/offline.ts (and
// `npm run audit:verify -- <file>`) verifies such a file with the audit key alone.

const run = promisify(execFile);

describeEngines("audit export and offline verification", (engine) => {
  const ctx = useTestDatabase(engine);

  beforeEach(async () => {
    await db().lease.deleteMany();
  });

  async function sealedStream(n: number) {
    const stream = `x-${uid()}`;
    for (let i = 1; i <= n; i++) {
      await db().auditEvent.create({
        data: { stream, actorType: "user", actorId: ctx.users.admin.id, actorLabel: "admin@test.local", action: "thing.change", targetType: "thing", targetId: `t${i}`, after: { n: i, deep: { b: [1, { z: 2, a: 1 }] } }, via: "session", credentialId: `sid-${i}`, clientAddress: "203.0.113.5" },
      });
    }
    await sealAll("test-sealer");
    return stream;
  }

  /** The export, read as text (the `call` helper would parse the NDJSON as one JSON value). */
  const exportOf = async (query: Record<string, string>, as = ctx.users.auditor) => {
    const res = await route("GET", "/api/v1/audit/export")(buildRequest("GET", "/x", { auth: token(as), query }), { params: Promise.resolve({}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text };
  };
  const linesOf = (text: string) => text.split("\n").filter(Boolean);
  const verify = (lines: string[]) => verifyExport(lines, auditKeyring().byId);
  const edit = (lines: string[], i: number, change: (o: Record<string, unknown>) => void) => {
    const copy = [...lines];
    const o = JSON.parse(copy[i]);
    change(o);
    copy[i] = JSON.stringify(o);
    return copy;
  };

  it("exports a header, every sealed event in chain order with its chain fields, and a MACed end line; it verifies offline", async () => {
    const stream = await sealedStream(3);
    await db().auditEvent.create({ data: { stream, actorType: "system", action: "not.sealed.yet" } });
    const res = await exportOf({ stream });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="audit-${stream}-\\d{4}-\\d\\d-\\d\\d\\.ndjson"$`));
    expect(res.headers.get("cache-control")).toBe("no-store");
    const lines = linesOf(res.body);
    expect(lines).toHaveLength(5);
    const rows = await db().auditEvent.findMany({ where: { stream, chainSeq: { not: null } }, orderBy: { chainSeq: "asc" } });
    const head = { chainSeq: "3", hash: rows[2].hash };
    expect(JSON.parse(lines[0])).toEqual({ type: "header", format: "portcullis-audit-export", version: 1, stream, exportedAt: expect.any(String), fromChainSeq: "1", head });
    expect(JSON.parse(lines[1])).toEqual({
      type: "event",
      seq: rows[0].seq.toString(),
      id: rows[0].id,
      stream,
      sourceEventId: null,
      time: rows[0].time.toISOString(),
      actorType: "user",
      actorId: ctx.users.admin.id,
      actorLabel: "admin@test.local",
      action: "thing.change",
      targetType: "thing",
      targetId: "t1",
      targetLabel: null,
      before: null,
      after: { n: 1, deep: { b: [1, { z: 2, a: 1 }] } },
      data: null,
      via: "session",
      credentialId: "sid-1",
      credentialLabel: null,
      clientAddress: "203.0.113.5",
      userAgent: null,
      chainSeq: "1",
      keyId: rows[0].keyId,
      prevHash: "0".repeat(64),
      hash: rows[0].hash,
      sealedAt: rows[0].sealedAt!.toISOString(),
    });
    expect(JSON.parse(lines[4])).toEqual({ type: "end", events: 3, lastChainSeq: "3", lastHash: rows[2].hash, keyId: rows[0].keyId, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await verify(lines)).toEqual({ ok: true, stream, events: 3, through: head, head, firstBroken: null });
    expect(await db().auditEvent.findFirst({ where: { action: "audit.export", actorId: ctx.users.auditor.id, data: { equals: { stream, fromChainSeq: "1" } } } })).not.toBeNull();
  });

  it("from a later position: the first event links to one outside the file", async () => {
    const stream = await sealedStream(4);
    const lines = linesOf((await exportOf({ stream, fromChainSeq: "3" })).body);
    expect(lines.map((l) => JSON.parse(l).chainSeq).filter(Boolean)).toEqual(["3", "4"]);
    expect(await verify(lines)).toMatchObject({ ok: true, events: 2, through: { chainSeq: "4" } });
  });

  it("names the first broken link of an edited, reordered, shortened or re-signed file", async () => {
    const stream = await sealedStream(4);
    const lines = linesOf((await exportOf({ stream })).body);
    const id2 = JSON.parse(lines[2]).id;
    expect((await verify(edit(lines, 2, (o) => (o.actorLabel = "someone-else")))).firstBroken).toEqual({
      line: 3,
      chainSeq: "2",
      eventId: id2,
      reason: "hash_mismatch",
      message: "stored fields do not match the event's hash",
    });
    expect((await verify(edit(lines, 2, (o) => (o.seq = "1")))).firstBroken).toMatchObject({ line: 3, reason: "hash_mismatch" });
    expect((await verify([lines[0], lines[1], lines[3], lines[4], lines[5]])).firstBroken).toMatchObject({ line: 3, chainSeq: "2", reason: "gap" });
    expect((await verify(lines.slice(0, 4))).firstBroken).toMatchObject({ reason: "truncated", message: "the file ends without its end line (cut short?)" });
    // the last event dropped and the end line rewritten to match: the MAC gives it away
    const cut = [...lines.slice(0, 4), ...edit(lines, 5, (o) => {
      o.events = 3;
      o.lastChainSeq = "3";
      o.lastHash = JSON.parse(lines[3]).hash;
    }).slice(5)];
    expect((await verify(cut)).firstBroken).toMatchObject({ line: 5, reason: "truncated", message: expect.stringContaining("MAC does not match") });
    expect((await verify(edit(lines, 0, (o) => (o.format = "other")))).firstBroken).toMatchObject({ line: 1, reason: "malformed" });
    expect((await verify(["not json", ...lines.slice(1)])).firstBroken).toMatchObject({ line: 1, reason: "malformed" });
    // without the key nothing verifies
    expect((await verifyExport(lines, keyring("some-other-key-some-other-key-some-other").byId)).firstBroken).toMatchObject({ line: 2, reason: "unknown_key" });
  });

  it("refuses what it cannot export: unknown stream 404, bad position 422, no audit.export 403", async () => {
    const missing = await exportOf({ stream: `none-${uid()}` });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(apiError("not_found", "Unknown stream: it has no audit events"));
    const stream = await sealedStream(1);
    for (const fromChainSeq of ["0", "-1", "0x10", "1e3", "99999999999999999999"]) {
      const res = await exportOf({ stream, fromChainSeq });
      expect(res.status, fromChainSeq).toBe(422);
      expect(res.body.error.details).toEqual([{ field: "query.fromChainSeq", message: "must be a chain position (a whole number from 1)" }]);
    }
    expect((await exportOf({})).status).toBe(422);
    const publisher = await exportOf({ stream }, ctx.users.publisher);
    expect(publisher.status).toBe(403);
    expect(publisher.body).toEqual(apiError("forbidden", "This needs the audit.export permission"));
  });

  it("npm run audit:verify -- <file>: exit 0 when intact, 1 naming the first broken link, 2 without a key", async () => {
    const stream = await sealedStream(3);
    const lines = linesOf((await exportOf({ stream })).body);
    const dir = tempDir("export");
    const good = join(dir, "good.ndjson");
    const bad = join(dir, "bad.ndjson");
    writeFileSync(good, `${lines.join("\n")}\n`);
    writeFileSync(bad, `${edit(lines, 2, (o) => (o.action = "thing.view")).join("\n")}\n`);
    const cli = (file: string, extra: Record<string, string | undefined>) =>
      run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts", "--", file], {
        env: { PATH: process.env.PATH, ...extra } as unknown as NodeJS.ProcessEnv,
      }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    const rows = await db().auditEvent.findMany({ where: { stream }, orderBy: { chainSeq: "asc" } });
    // the key from the environment
    expect(await cli(good, { AUDIT_KEY: env().AUDIT_KEY })).toEqual({
      code: 0,
      out: `OK: stream ${stream}: 3 events verified through chain position 3, last hash ${rows[2].hash}\n`,
    });
    // or from the data directory the server generated it in
    expect((await cli(good, { DATA_DIR: process.env.DATA_DIR })).code).toBe(0);
    expect(await cli(bad, { AUDIT_KEY: env().AUDIT_KEY })).toEqual({
      code: 1,
      out: `BROKEN: stream ${stream}: first broken link at line 3, chain position 2, event ${rows[1].id}: hash_mismatch: stored fields do not match the event's hash (verified through position 1)\n`,
    });
    expect(await cli(good, { DATA_DIR: join(dir, "nowhere") })).toMatchObject({ code: 2, out: expect.stringContaining("no audit key") });
  }, 120_000); // four cold starts of tsx on a busy machine
});
