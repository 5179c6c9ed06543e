import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { describeEngine, insertUser, uid, useTestDatabase } from "../helpers/context";
import { tempDir } from "../helpers/temp";

// `npm run import -- <file> --as <email>` (scripts/import.ts) spawned against a scratch SQLite
// database: progress lines, the report, exit codes, the batch and the audit trail; refusals
// (usage, file, user) are exit code 2 with nothing stored.

const run = promisify(execFile);

const doc = (name: string, version = "1.0.0") => ({
  name,
  description: `Tools for ${name}`,
  version,
  remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp" }],
});

describeEngine("sqlite", "npm run import", () => {
  const ctx = useTestDatabase("sqlite");
  const dir = () => tempDir("import-cli");

  const cli = (args: string[]) =>
    run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/import.ts", "--", ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: ctx.url, DATA_DIR: dir(), PUBLIC_BASE_URL: "https://portcullis.example.com" } as unknown as NodeJS.ProcessEnv,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it("imports a 60-document file in chunks with progress, reports every rejection, exit 1; again: unchanged", async () => {
    const ns = `io.cli${uid()}`;
    const docs: unknown[] = Array.from({ length: 60 }, (_, i) => (i % 10 === 3 ? { name: `${ns}/bad${i}`, version: "1.0.0" } : doc(`${ns}/s${i}`)));
    docs[59] = "not a document";
    const file = join(dir(), "servers.json");
    writeFileSync(file, JSON.stringify(docs, null, 2));

    const first = await cli([file, "--as", ctx.users.publisher.email.toUpperCase()]);
    expect(first.code, first.stderr).toBe(1);
    // not a terminal: a plain line every 10%, the last at 100%
    const lines = first.stderr.trim().split("\n");
    expect(lines.at(-1)).toBe("imported 60 of 60 documents (100%)");
    expect(lines.every((l) => /^imported \d+ of 60 documents \(\d+%\)$/.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    const batchId = /^batch (imp_[A-Za-z0-9_-]+): 60 documents$/m.exec(first.stdout)?.[1];
    expect(batchId).toBeDefined();
    expect(first.stdout).toBe(
      [
        `batch ${batchId}: 60 documents`,
        "  accepted:  53 (pending review)",
        "  unchanged: 0",
        "  rejected:  7",
        "rejected documents:",
        ...[3, 13, 23, 33, 43, 53].flatMap((i) => [`  #${i} ${ns}/bad${i}@1.0.0`, "    /description: is required"]),
        "  #59",
        "    (document): must be an object",
        `review the batch: https://portcullis.example.com/servers/reviews?batch=${batchId}`,
        "",
      ].join("\n"),
    );

    const versions = await db().serverVersion.findMany({ where: { server: { name: { startsWith: ns } } } });
    expect(versions).toHaveLength(53);
    expect(new Set(versions.map((v) => `${v.batchId} ${v.source} ${v.submittedById}`))).toEqual(new Set([`${batchId} import ${ctx.users.publisher.id}`]));
    const events = await db().auditEvent.findMany({ where: { action: "server.version.submit", targetId: { in: versions.map((v) => v.id) } } });
    expect(events).toHaveLength(53);
    expect(new Set(events.map((e) => `${e.actorId} ${e.actorLabel} ${e.via} ${e.credentialLabel} ${e.userAgent}`))).toEqual(
      new Set([`${ctx.users.publisher.id} ${ctx.users.publisher.email} cli npm run import portcullis-import-cli`]),
    );

    const again = await cli([file, "--as", ctx.users.publisher.email]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("  accepted:  0 (pending review)\n  unchanged: 53\n  rejected:  7\n");
    expect(again.stdout).not.toContain("review the batch");
    expect(await db().serverVersion.count({ where: { server: { name: { startsWith: ns } } } })).toBe(53);
  }, 120_000);

  it("a single document with nothing rejected: exit 0", async () => {
    const name = `io.cli${uid()}/one`;
    const file = join(dir(), "one.json");
    writeFileSync(file, JSON.stringify(doc(name)));
    const r = await cli([`--as=${ctx.users.approver.email}`, file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^batch imp_[A-Za-z0-9_-]+: 1 document\n {2}accepted: {2}1 \(pending review\)\n {2}unchanged: 0\n {2}rejected: {2}0\n/);
    expect(await db().serverVersion.count({ where: { server: { name } } })).toBe(1);
  }, 60_000);

  it("refusals are exit code 2 with a clear message and store nothing", async () => {
    const disabled = await insertUser({ role: "publisher", disabled: true });
    const good = join(dir(), "good.json");
    writeFileSync(good, JSON.stringify([doc(`io.cli${uid()}/never`)]));
    const broken = join(dir(), "broken.json");
    writeFileSync(broken, '[\n  {"name": "a"}\n  {"name": "b"}\n]');
    const empty = join(dir(), "empty.json");
    writeFileSync(empty, "[]");
    const before = await db().serverVersion.count();
    const cases: [string[], RegExp][] = [
      [[good, "--as", "nobody@test.local"], /^no user with e-mail nobody@test\.local\n$/],
      [[good, "--as", disabled.email!], /is disabled: an import cannot act as a disabled user\n$/],
      [[good, "--as", ctx.users.auditor.email], /^auditor@test\.local \(auditor\) may not submit servers \(needs servers\.submit\)\n$/],
      [[good], /^--as <email> is required/],
      [["--as", ctx.users.publisher.email], /^no file given\nusage: npm run import -- <file> --as <email>\n$/],
      [[join(dir(), "missing.json"), "--as", ctx.users.publisher.email], /^cannot read .*missing\.json: no such file\n$/],
      [[broken, "--as", ctx.users.publisher.email], /broken\.json: The file is not valid JSON: Expected ',' or '\]' after array element \(line 3, column 3\)\n$/],
      [[empty, "--as", ctx.users.publisher.email], /empty\.json: The file holds an empty array: there are no documents to import\n$/],
      [[good, "--as", ctx.users.publisher.email, "--dry-run"], /^unknown option --dry-run\n/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      expect([cases[i][0].join(" "), r.code, r.stdout]).toEqual([cases[i][0].join(" "), 2, ""]);
      expect(r.stderr).toMatch(cases[i][1]);
    });
    expect(await db().serverVersion.count()).toBe(before);
  }, 180_000);
});
