import { expect, it } from "vitest";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { counts, describeEngines, insertToken, insertUser, uid, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, call, session, token } from "../helpers/http";
import { route } from "../helpers/routes";
import { doc } from "../helpers/server-json";

// The catalog through the console API: submit (pointer errors, ownership, races), list (search,
// filters, sort, pages), the server page's data, console metadata and who may set it.


describeEngines("catalog console API", (engine) => {
  const ctx = useTestDatabase(engine);
  const submit = (document: unknown, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/servers"), "POST", "/api/v1/servers", { auth: session(as), json: { document } });
  const list = (query: Record<string, string>, as: Principal = ctx.users.auditor) => call(route("GET", "/api/v1/servers"), "GET", "/api/v1/servers", { auth: token(as), query });
  const get = (id: string, as: Principal = ctx.users.publisher) => call(route("GET", "/api/v1/servers/[id]"), "GET", `/api/v1/servers/${id}`, { auth: token(as), params: { id } });
  const patch = (id: string, json: unknown, as: Principal) => call(route("PATCH", "/api/v1/servers/[id]"), "PATCH", `/api/v1/servers/${id}`, { auth: token(as), params: { id }, json });

  it("submit: 201 with the pending version and its review; warnings kept for the reviewer", async () => {
    const name = `io.example${uid()}/submit`;
    const res = await submit(doc(name, "2024.1"));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ server: { name, created: true }, version: { version: "2024.1", state: "pending" }, review: { id: expect.any(String) } });
    expect(res.body.warnings).toEqual([{ pointer: "/version", message: "is not a semantic version (e.g. 1.0.2), so it may not sort predictably" }]);
    const detail = await get(res.body.server.id);
    expect(detail.status).toBe(200);
    expect(detail.body.versions).toEqual([
      expect.objectContaining({ version: "2024.1", state: "pending", status: null, transports: ["streamable-http"], warnings: res.body.warnings, document: doc(name, "2024.1") }),
    ]);
    expect(detail.body.owners).toEqual([{ userId: ctx.users.publisher.id, name: ctx.users.publisher.name, addedAt: expect.any(String) }]);
    expect(detail.body.versions[0].reviews).toEqual([expect.objectContaining({ state: "pending", reviewedBy: null })]);
  });

  it("an invalid document is a 422 naming each field under body.document, and stores nothing", async () => {
    const before = await counts();
    const res = await submit({ name: "bad", description: "", version: "1", packages: [{ registryType: "npm", transport: { type: "stdio" } }] });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      apiError("validation_failed", "Invalid server.json: /name must be a namespace, one \"/\" and a name, using letters, digits, \".\" and \"-\" (and \"_\" in the name), e.g. io.github.example/weather", [
        { field: "body.document/name", message: "must be a namespace, one \"/\" and a name, using letters, digits, \".\" and \"-\" (and \"_\" in the name), e.g. io.github.example/weather" },
        { field: "body.document/description", message: "must not be empty" },
        { field: "body.document/packages/0/identifier", message: "is required" },
      ]),
    );
    expect((await submit("not an object")).status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("ownership: another publisher may not submit a version of your server; an approver may", async () => {
    const name = `io.example${uid()}/owned`;
    expect((await submit(doc(name))).status).toBe(201);
    const other = await insertUser({ role: "publisher" });
    const { token: t } = await insertToken(other.id);
    const before = await counts();
    const refused = await call(route("POST", "/api/v1/servers"), "POST", "/api/v1/servers", { auth: { headers: { authorization: `Bearer ${t}` } }, json: { document: doc(name, "2.0.0") } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(apiError("forbidden", `You do not own ${name}: only its owners (or an approver) may submit versions of it`));
    expect(await counts()).toEqual(before);
    expect((await submit(doc(name, "2.0.0"), ctx.users.approver)).status).toBe(201);
  });

  it("ten concurrent submissions of one new version: one succeeds, nine are 409, one server, one version, one review", async () => {
    const name = `io.example${uid()}/race`;
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(doc(name))));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.message).toMatch(new RegExp(`^${name.replace(/[.]/g, "\\.")} version 1\\.0\\.0 already exists`));
    expect(await db().server.count({ where: { name } })).toBe(1);
    expect(await db().serverVersion.count({ where: { server: { name } } })).toBe(1);
    expect(await db().review.count({ where: { subjectName: name } })).toBe(1);
  });

  it("list: search by name, title, description and tag; filters; sort; keyset pages", async () => {
    const tag = `t${uid()}`;
    const ids: string[] = [];
    for (const [i, extra] of [{ title: `Alpha ${tag}` }, { description: `beta ${tag} tools` }, {}].entries()) {
      const r = await submit(doc(`io.${tag}/s${i}`, "1.0.0", extra));
      ids.push(r.body.server.id);
    }
    await patch(ids[2], { tags: [tag], riskLevel: "high" }, ctx.users.approver);
    const names = (r: { body: { items: { name: string }[] } }) => r.body.items.map((s) => s.name);
    expect(names(await list({ q: tag }))).toEqual([`io.${tag}/s0`, `io.${tag}/s1`, `io.${tag}/s2`]);
    expect(names(await list({ q: `ALPHA ${tag}` }))).toEqual([`io.${tag}/s0`]);
    expect(names(await list({ tag }))).toEqual([`io.${tag}/s2`]);
    expect(names(await list({ q: tag, risk: "high" }))).toEqual([`io.${tag}/s2`]);
    expect(names(await list({ q: tag, status: "approved" }))).toEqual([]);
    expect(names(await list({ q: tag, status: "pending", transport: "streamable-http" }))).toHaveLength(3);
    expect(names(await list({ q: tag, transport: "stdio" }))).toEqual([]);
    expect(names(await list({ q: tag, owner: ctx.users.publisher.id }))).toHaveLength(3);
    expect(names(await list({ q: "%" }))).toEqual(names(await list({ q: "%" }))); // literal, no wildcard
    expect((await list({ q: `${tag}%` })).body.items).toEqual([]);
    const first = await list({ q: tag, limit: "2" });
    expect(first.body.items).toHaveLength(2);
    const second = await list({ q: tag, limit: "2", cursor: first.body.nextCursor });
    expect([...names(first), ...names(second)]).toEqual([`io.${tag}/s0`, `io.${tag}/s1`, `io.${tag}/s2`]);
    expect(second.body.nextCursor).toBeNull();
    expect(names(await list({ q: tag, sort: "updated" }))[0]).toBe(`io.${tag}/s2`);
    expect(first.body.items[0]).toMatchObject({ id: ids[0], title: `Alpha ${tag}`, latest: { version: "1.0.0", state: "pending" }, versionCount: 1, pendingCount: 1 });
    const bad = await list({ status: "open", limit: "0" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["query.limit", "query.status"]);
  });

  it("metadata: owners set team and tags; risk and reviewer notes are the reviewers'; auditors none", async () => {
    const r = await submit(doc(`io.example${uid()}/meta`));
    const id = r.body.server.id;
    const ok = await patch(id, { ownerTeam: "Platform", tags: ["Files", "db"] }, ctx.users.publisher);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ownerTeam: "Platform", tags: ["db", "files"] });
    const before = await db().server.findUniqueOrThrow({ where: { id } });
    const risk = await patch(id, { riskLevel: "critical" }, ctx.users.publisher);
    expect(risk.status).toBe(403);
    expect(risk.body).toEqual(apiError("forbidden", "Risk level, reviewer notes and the authorization server's issuer are set by reviewers (reviews.decide)"));
    expect((await patch(id, { tags: ["x"] }, ctx.users.auditor)).status).toBe(403);
    expect(await db().server.findUniqueOrThrow({ where: { id } })).toEqual(before);
    const byReviewer = await patch(id, { riskLevel: "critical", reviewerNotes: "talks to prod" }, ctx.users.approver);
    expect(byReviewer.body).toMatchObject({ riskLevel: "critical", reviewerNotes: "talks to prod" });
    expect((await get(id, ctx.users.auditor)).body.reviewerNotes).toBeNull();
    const invalid = await patch(id, { tags: ["has space"], riskLevel: "extreme" }, ctx.users.approver);
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["riskLevel", "tags.0"]);
    expect((await patch(id, {}, ctx.users.approver)).status).toBe(422);
    expect((await get("nope", ctx.users.approver)).status).toBe(404);
  });
});
