import { expect, it } from "vitest";
import { db } from "@/lib/db";
import * as importRoute from "@/app/api/v1/servers/import/route";
import { importServerDocuments } from "@/lib/registry/import";
import { actorOf, counts, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, bearer, call, session, token, type Handler } from "../helpers/http";
import { doc } from "../helpers/server-json";

// Import through POST /api/v1/servers/import and importServerDocuments: the report (accepted,
// rejected with reasons, unchanged), re-imports, per-document isolation, ownership, batches, and
// bodies refused whole with nothing stored.


const PATH = "/api/v1/servers/import";
const handler = (method: string) => (importRoute as unknown as Record<string, Handler>)[method];

describeEngines("server.json import", (engine) => {
  const ctx = useTestDatabase(engine);
  const post = (json: unknown, as: Principal = ctx.users.publisher) => call(handler("POST"), "POST", PATH, { auth: session(as), json });

  it("answers a report: accepted (version, review, warnings), rejected with each reason, in document order", async () => {
    const ns = `io.example${uid()}`;
    const res = await post({
      documents: [
        doc(`${ns}/a`),
        { name: "bad", description: "", version: "1", packages: [{ registryType: "npm", transport: { type: "stdio" } }] },
        doc(`${ns}/b`, "2024.1"),
        "not an object",
      ],
    });
    expect(res.status).toBe(200);
    const versions = await db().serverVersion.findMany({ where: { server: { name: { startsWith: ns } } }, orderBy: { version: "asc" } });
    const reviews = await db().review.findMany({ where: { subjectName: { startsWith: ns } } });
    const review = (id: string) => reviews.find((r) => r.subjectId === id)!.id;
    const [a, b] = [versions.find((v) => v.version === "1.0.0")!, versions.find((v) => v.version === "2024.1")!];
    expect(res.body).toEqual({
      batchId: expect.stringMatching(/^imp_[A-Za-z0-9_-]{16}$/),
      accepted: [
        { index: 0, name: `${ns}/a`, version: "1.0.0", versionId: a.id, reviewId: review(a.id), warnings: [] },
        {
          index: 2,
          name: `${ns}/b`,
          version: "2024.1",
          versionId: b.id,
          reviewId: review(b.id),
          warnings: [{ pointer: "/version", message: "is not a semantic version (e.g. 1.0.2), so it may not sort predictably" }],
        },
      ],
      rejected: [
        {
          index: 1,
          name: "bad",
          version: "1",
          reasons: [
            { pointer: "/name", message: "must be a namespace, one \"/\" and a name, using letters, digits, \".\" and \"-\" (and \"_\" in the name), e.g. io.github.example/weather" },
            { pointer: "/description", message: "must not be empty" },
            { pointer: "/packages/0/identifier", message: "is required" },
          ],
        },
        { index: 3, reasons: [{ pointer: "", message: expect.stringMatching(/object/) }] },
      ],
      unchanged: [],
    });
    expect(versions.map((v) => [v.source, v.state, v.batchId])).toEqual([
      ["import", "pending", res.body.batchId],
      ["import", "pending", res.body.batchId],
    ]);
    const events = await db().auditEvent.findMany({ where: { action: "server.version.submit", targetId: { in: [a.id, b.id] } } });
    expect(events.map((e) => [e.actorId, (e.after as { source: string; batchId: string }).source, (e.after as { batchId: string }).batchId])).toEqual([
      [ctx.users.publisher.id, "import", res.body.batchId],
      [ctx.users.publisher.id, "import", res.body.batchId],
    ]);
  });

  it("re-importing: the same document is unchanged (key order aside); other content under an existing version is rejected", async () => {
    const name = `io.example${uid()}/again`;
    const first = await post({ documents: [doc(name, "1.0.0", { title: "Again" })] });
    expect(first.body.accepted).toHaveLength(1);
    const before = await counts();
    const reordered = Object.fromEntries(Object.entries(doc(name, "1.0.0", { title: "Again" })).reverse());
    const again = await post({ documents: [reordered, doc(name, "1.0.0", { title: "Changed" })] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      batchId: expect.any(String),
      accepted: [],
      rejected: [
        { index: 1, name, version: "1.0.0", reasons: [{ pointer: "/version", message: "version 1.0.0 already exists with different content (pending); give the changed document a new version" }] },
      ],
      unchanged: [{ index: 0, name, version: "1.0.0", versionId: first.body.accepted[0].versionId }],
    });
    expect(again.body.batchId).not.toBe(first.body.batchId);
    expect(await counts()).toEqual(before);
  });

  it("one document twice in one import: the second is unchanged", async () => {
    const name = `io.example${uid()}/twice`;
    const res = await post({ documents: [doc(name), doc(name)] });
    expect(res.body.accepted.map((a: { index: number }) => a.index)).toEqual([0]);
    expect(res.body.unchanged).toEqual([{ index: 1, name, version: "1.0.0", versionId: res.body.accepted[0].versionId }]);
  });

  it("a publisher importing a server they do not own: that document is rejected with the reason, the others are imported", async () => {
    const owned = `io.example${uid()}/owned`;
    expect((await post({ documents: [doc(owned)] }, ctx.users.approver)).body.accepted).toHaveLength(1);
    const mine = [`io.example${uid()}/one`, `io.example${uid()}/two`];
    const res = await post({ documents: [doc(mine[0]), doc(owned, "2.0.0"), doc(mine[1])] });
    expect(res.status).toBe(200);
    expect(res.body.accepted.map((a: { name: string }) => a.name)).toEqual(mine);
    expect(res.body.rejected).toEqual([
      { index: 1, name: owned, version: "2.0.0", reasons: [{ pointer: "", message: `You do not own ${owned}: only its owners (or an approver) may submit versions of it` }] },
    ]);
    expect(await db().serverVersion.count({ where: { server: { name: owned } } })).toBe(1);
    expect(await db().serverVersion.count({ where: { server: { name: { in: mine } } } })).toBe(2);
  });

  it("batches: a given batchId continues the batch; every version of it carries the id; another person's batch is refused", async () => {
    const names = [`io.example${uid()}/p1`, `io.example${uid()}/p2`];
    const first = await post({ documents: [doc(names[0])] });
    const batchId = first.body.batchId;
    const second = await post({ documents: [doc(names[1])], batchId });
    expect(second.status).toBe(200);
    expect(second.body.batchId).toBe(batchId);
    const rows = await db().serverVersion.findMany({ where: { batchId }, include: { server: true }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.server.name).sort()).toEqual([...names].sort());
    const before = await counts();
    const theirs = await post({ documents: [doc(`io.example${uid()}/p3`)], batchId }, ctx.users.approver);
    expect(theirs.status).toBe(403);
    expect(theirs.body).toEqual(apiError("forbidden", `Batch ${batchId} belongs to another import; leave batchId out to start a new one`));
    expect(await counts()).toEqual(before);
    // A batch id nobody used yet is taken as given.
    const fresh = await post({ documents: [doc(`io.example${uid()}/p4`)], batchId: `imp_${uid()}` });
    expect(fresh.status).toBe(200);
  });

  it("the library call imports the same way (the CLI's path), as the given actor", async () => {
    const name = `io.example${uid()}/lib`;
    const r = await importServerDocuments(actorOf(ctx.users.admin), [doc(name), doc(name, "1.0.1")]);
    expect(r.accepted.map((a) => a.version)).toEqual(["1.0.0", "1.0.1"]);
    expect(r.rejected).toEqual([]);
    const row = await db().serverVersion.findFirstOrThrow({ where: { id: r.accepted[0].versionId } });
    expect([row.submittedById, row.batchId, row.source]).toEqual([ctx.users.admin.id, r.batchId, "import"]);
    // text the API would refuse in any body is refused per document here
    const bad = await importServerDocuments(actorOf(ctx.users.admin), [doc(`io.example${uid()}/ctl`, "1.0.0", { description: "bell \u0007" })]);
    expect(bad.rejected).toEqual([{ index: 0, name: expect.any(String), version: "1.0.0", reasons: [{ pointer: "/description", message: "must not contain control characters" }] }]);
  });

  it("bad bodies are refused whole (400/422 naming the field) and store nothing", async () => {
    const ok = doc(`io.example${uid()}/never`);
    const cases: { json?: unknown; body?: string; status: number; error: unknown }[] = [
      { json: {}, status: 422, error: apiError("validation_failed", "Invalid documents", [{ field: "documents", message: "must be an array of server.json documents" }]) },
      { json: { documents: [] }, status: 422, error: apiError("validation_failed", "Invalid documents", [{ field: "documents", message: "must hold at least one document" }]) },
      {
        json: { documents: Array.from({ length: 101 }, () => ok) },
        status: 422,
        error: apiError("validation_failed", "Invalid documents", [{ field: "documents", message: "must hold at most 100 documents; send a larger file in parts with one batchId" }]),
      },
      { json: { documents: ok }, status: 422, error: apiError("validation_failed", "Invalid documents", [{ field: "documents", message: "must be an array of server.json documents" }]) },
      { json: { documents: [ok], batchId: "not an id!" }, status: 422, error: apiError("validation_failed", "Invalid batchId", [{ field: "batchId", message: "is not a valid id" }]) },
      { json: { documents: [ok], extra: 1 }, status: 422, error: expect.objectContaining({ error: expect.objectContaining({ code: "validation_failed", details: [expect.objectContaining({ field: "extra" })] }) }) },
      {
        json: { documents: [ok, { ...ok, description: "nul \u0000" }] },
        status: 422,
        error: apiError("validation_failed", "Invalid documents.1.description", [{ field: "documents.1.description", message: "must not contain control characters" }]),
      },
      { json: [ok], status: 422, error: expect.objectContaining({ error: expect.objectContaining({ code: "validation_failed" }) }) },
      { body: "{not json", status: 400, error: apiError("bad_request", "Request body is not valid JSON") },
      { body: "", status: 400, error: apiError("bad_request", "Request body is empty; send a JSON object") },
    ];
    const before = await counts();
    for (const c of cases) {
      const res =
        c.body !== undefined
          ? await call(handler("POST"), "POST", PATH, { auth: token(ctx.users.publisher), body: c.body, headers: { "content-type": "application/json" } })
          : await call(handler("POST"), "POST", PATH, { auth: token(ctx.users.publisher), json: c.json });
      expect([res.status, res.body], JSON.stringify(c.json ?? c.body).slice(0, 80)).toEqual([c.status, c.error]);
    }
    expect(await counts()).toEqual(before);
  });

  it("needs servers.submit (auditor 403) and a caller (401); checked before the body", async () => {
    const disabled = await insertUser({ role: "publisher", disabled: true });
    const { token: t } = await insertToken(disabled.id);
    const before = await counts();
    const auditor = await post({ documents: [doc(`io.example${uid()}/no`)] }, ctx.users.auditor);
    expect(auditor.status).toBe(403);
    expect(auditor.body).toEqual(apiError("forbidden", "This needs the servers.submit permission"));
    expect((await call(handler("POST"), "POST", PATH, { json: { documents: [] } })).status).toBe(401);
    expect((await call(handler("POST"), "POST", PATH, { auth: bearer(t), json: { documents: "x" } })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("other methods: 405 with Allow (GET /api/v1/servers/import is not a server lookup)", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const res = await call(handler(method), method, PATH, { auth: token(ctx.users.admin) });
      expect([method, res.status, res.headers.get("allow")]).toEqual([method, 405, "POST, OPTIONS"]);
      expect(res.body).toEqual(apiError("method_not_allowed", `${method} is not allowed here; use POST`));
    }
    const options = await call(handler("OPTIONS"), "OPTIONS", PATH);
    expect([options.status, options.headers.get("allow")]).toEqual([204, "POST, OPTIONS"]);
  });
});
