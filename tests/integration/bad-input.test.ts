import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as setupPOST } from "@/app/api/setup/route";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/api/cursor";
import { submitForReview } from "@/lib/reviews/data";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { TransitionRefused } from "@/lib/reviews/lifecycle";
import { SECURITY_HEADERS } from "@/lib/api/headers";
import { actorOf, counts, describeEngines, insertToken, insertUser, sessionCookieFor, uid, useTestDatabase, type TestContext } from "../helpers/context";
import { apiError, bearer, call, session, token, type CallOptions, type Handler } from "../helpers/http";
import { route } from "../helpers/routes";

// Bad input to every endpoint: the exact status and error JSON, and nothing written.

registerReviewSubject("bad-input-fixture", { async onDecision() {} });

const MIB = 1_048_576;

interface Endpoint {
  name: string;
  method: string;
  handler: () => Handler;
  /** A valid body for this endpoint, so single changes to it are the only fault. */
  valid: () => Record<string, unknown>;
  prepare?: (ctx: TestContext) => Promise<{ params?: Record<string, string>; probe?: () => Promise<unknown> }>;
  /** /api/setup takes no credentials. */
  anonymous?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: "POST /api/v1/users",
    method: "POST",
    handler: () => route("POST", "/api/v1/users"),
    valid: () => ({ email: "valid@test.local", name: "Valid", role: "auditor", password: "a long enough password" }),
  },
  {
    name: "PATCH /api/v1/users/{id}",
    method: "PATCH",
    handler: () => route("PATCH", "/api/v1/users/[id]"),
    valid: () => ({ name: "Renamed" }),
    prepare: async () => {
      const u = await insertUser({ role: "publisher" });
      return { params: { id: u.id }, probe: () => db().user.findUnique({ where: { id: u.id } }) };
    },
  },
  {
    name: "POST /api/v1/service-accounts",
    method: "POST",
    handler: () => route("POST", "/api/v1/service-accounts"),
    valid: () => ({ name: "valid-svc", role: "auditor" }),
  },
  {
    name: "POST /api/v1/tokens",
    method: "POST",
    handler: () => route("POST", "/api/v1/tokens"),
    valid: () => ({ userId: "set-in-test", name: "valid token" }),
  },
  {
    name: "POST /api/v1/reviews/{id}/decision",
    method: "POST",
    handler: () => route("POST", "/api/v1/reviews/[id]/decision"),
    valid: () => ({ decision: "approve" }),
    prepare: async (ctx) => {
      const review = await db().$transaction((tx) =>
        submitForReview(tx, { type: "bad-input-fixture", id: `s-${Math.random()}`, name: "S" }, actorOf(ctx.users.publisher)),
      );
      return { params: { id: review.id }, probe: () => db().review.findUnique({ where: { id: review.id } }) };
    },
  },
  {
    name: "POST /api/setup",
    method: "POST",
    handler: () => setupPOST as unknown as Handler,
    valid: () => ({ email: "first@test.local", name: "First", password: "a long enough password", code: "whatever" }),
    anonymous: true,
  },
];

/** A request body as raw text and content type, instead of JSON. */
const raw = (body: BodyInit | undefined, contentType?: string): Pick<CallOptions, "body" | "headers"> => ({
  body,
  headers: contentType ? { "content-type": contentType } : {},
});

const BODY_FAULTS: { name: string; request: () => Pick<CallOptions, "body" | "headers">; status: number; error: unknown }[] = [
  { name: "not JSON", request: () => raw("{not json", "application/json"), status: 400, error: apiError("bad_request", "Request body is not valid JSON") },
  { name: "truncated JSON", request: () => raw('{"name": "x"', "application/json"), status: 400, error: apiError("bad_request", "Request body is not valid JSON") },
  { name: "text/plain", request: () => raw('{"name":"x"}', "text/plain"), status: 400, error: apiError("unsupported_media_type", "Content-Type must be application/json") },
  { name: "form encoded", request: () => raw("name=x", "application/x-www-form-urlencoded"), status: 400, error: apiError("unsupported_media_type", "Content-Type must be application/json") },
  { name: "multipart", request: () => raw("--b\r\n", "multipart/form-data; boundary=b"), status: 400, error: apiError("unsupported_media_type", "Content-Type must be application/json") },
  { name: "no content type", request: () => raw('{"name":"x"}'), status: 400, error: apiError("unsupported_media_type", "Content-Type must be application/json") },
  { name: "no body", request: () => raw(undefined, "application/json"), status: 400, error: apiError("bad_request", "Request body is empty; send a JSON object") },
  { name: "empty body", request: () => raw("", "application/json"), status: 400, error: apiError("bad_request", "Request body is empty; send a JSON object") },
  { name: "white space", request: () => raw(" \n\t ", "application/json"), status: 400, error: apiError("bad_request", "Request body is empty; send a JSON object") },
  ...(
    [
      ["a JSON array", "[]", "array"],
      ["a JSON string", '"hello"', "string"],
      ["a JSON number", "42", "number"],
      ["JSON null", "null", "null"],
      ["JSON true", "true", "boolean"],
    ] as const
  ).map(([name, body, got]) => ({
    name,
    request: () => raw(body, "application/json"),
    status: 422,
    error: apiError("validation_failed", "Invalid (body)", [{ field: "(body)", message: `Invalid input: expected object, received ${got}` }]),
  })),
  {
    name: "over 1 MiB",
    request: () => raw(JSON.stringify({ name: "x".repeat(MIB) }), "application/json"),
    status: 413,
    error: apiError("payload_too_large", `Request body exceeds ${MIB} bytes`),
  },
  {
    name: "over 1 MiB, streamed in chunks",
    request: () => {
      const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent > MIB + chunk.length) return c.close();
          sent += chunk.length;
          c.enqueue(chunk);
        },
      });
      return raw(stream, "application/json");
    },
    status: 413,
    error: apiError("payload_too_large", `Request body exceeds ${MIB} bytes`),
  },
  {
    name: "declaring a Content-Length over 1 MiB",
    request: () => ({ body: '{"name":"x"}', headers: { "content-type": "application/json", "content-length": String(MIB + 1) } }),
    status: 413,
    error: apiError("payload_too_large", `Request body exceeds ${MIB} bytes`),
  },
];

/** Field-level faults per endpoint: a change to the valid body, and the details the 422 must carry. */
const FIELD_FAULTS: Record<string, { name: string; body: (valid: Record<string, unknown>) => unknown; details: { field: string; message: string }[] }[]> = {
  "POST /api/v1/users": [
    {
      name: "empty object",
      body: () => ({}),
      details: [
        { field: "email", message: "Invalid input: expected string, received undefined" },
        { field: "name", message: "Invalid input: expected string, received undefined" },
        { field: "role", message: 'must be one of admin, approver, publisher, auditor (gateway is for service accounts)' },
        { field: "password", message: "Invalid input: expected string, received undefined" },
      ],
    },
    { name: "bad email", body: (v) => ({ ...v, email: "not-an-email" }), details: [{ field: "email", message: "must be an e-mail address" }] },
    { name: "blank name", body: (v) => ({ ...v, name: "   " }), details: [{ field: "name", message: "is required" }] },
    { name: "long name", body: (v) => ({ ...v, name: "n".repeat(121) }), details: [{ field: "name", message: "must be at most 120 characters" }] },
    { name: "unknown role", body: (v) => ({ ...v, role: "root" }), details: [{ field: "role", message: 'must be one of admin, approver, publisher, auditor (gateway is for service accounts)' }] },
    { name: "short password", body: (v) => ({ ...v, password: "short" }), details: [{ field: "password", message: "must be at least 12 characters" }] },
    { name: "password not a string", body: (v) => ({ ...v, password: 123456789012 }), details: [{ field: "password", message: "Invalid input: expected string, received number" }] },
    { name: "unknown field", body: (v) => ({ ...v, isAdmin: true }), details: [{ field: "isAdmin", message: "is not a known field" }] },
    { name: "passwordHash smuggled in", body: (v) => ({ ...v, passwordHash: "scrypt$..." }), details: [{ field: "passwordHash", message: "is not a known field" }] },
  ],
  "PATCH /api/v1/users/{id}": [
    { name: "empty object", body: () => ({}), details: [{ field: "(body)", message: "send at least one of name, role, disabled, password" }] },
    { name: "disabled not boolean", body: () => ({ disabled: "yes" }), details: [{ field: "disabled", message: "Invalid input: expected boolean, received string" }] },
    { name: "unknown role", body: () => ({ role: "superuser" }), details: [{ field: "role", message: 'must be one of admin, approver, publisher, auditor (gateway is for service accounts)' }] },
    { name: "short password", body: () => ({ password: "short" }), details: [{ field: "password", message: "must be at least 12 characters" }] },
    {
      name: "e-mail cannot be changed",
      body: () => ({ email: "other@test.local" }),
      details: [
        { field: "email", message: "is not a known field" },
        { field: "(body)", message: "send at least one of name, role, disabled, password" },
      ],
    },
    { name: "kind cannot be changed", body: () => ({ name: "x", kind: "service" }), details: [{ field: "kind", message: "is not a known field" }] },
  ],
  "POST /api/v1/service-accounts": [
    {
      name: "empty object",
      body: () => ({}),
      details: [
        { field: "name", message: "Invalid input: expected string, received undefined" },
        { field: "role", message: 'must be one of admin, approver, publisher, auditor, gateway' },
      ],
    },
    { name: "bad characters", body: (v) => ({ ...v, name: "bad name!" }), details: [{ field: "name", message: "use letters, digits, dot, dash or underscore" }] },
    { name: "long name", body: (v) => ({ ...v, name: "s".repeat(65) }), details: [{ field: "name", message: "must be at most 64 characters" }] },
    { name: "unknown role", body: (v) => ({ ...v, role: "root" }), details: [{ field: "role", message: 'must be one of admin, approver, publisher, auditor, gateway' }] },
    { name: "token smuggled in", body: (v) => ({ ...v, token: "pcl_mine" }), details: [{ field: "token", message: "is not a known field" }] },
  ],
  "POST /api/v1/tokens": [
    {
      name: "empty object",
      body: () => ({}),
      details: [{ field: "name", message: "Invalid input: expected string, received undefined" }],
    },
    { name: "expiry zero", body: (v) => ({ ...v, expiresInDays: 0 }), details: [{ field: "expiresInDays", message: "must be at least 1" }] },
    { name: "expiry too far", body: (v) => ({ ...v, expiresInDays: 3651 }), details: [{ field: "expiresInDays", message: "must be at most 3650" }] },
    { name: "expiry fractional", body: (v) => ({ ...v, expiresInDays: 1.5 }), details: [{ field: "expiresInDays", message: "must be a whole number of days" }] },
    { name: "expiry as string", body: (v) => ({ ...v, expiresInDays: "7" }), details: [{ field: "expiresInDays", message: "Invalid input: expected number, received string" }] },
    { name: "blank name", body: (v) => ({ ...v, name: " " }), details: [{ field: "name", message: "is required" }] },
    { name: "no such user", body: (v) => ({ ...v, userId: "no-such-user" }), details: [{ field: "userId", message: "no such user" }] },
  ],
  "POST /api/v1/reviews/{id}/decision": [
    { name: "empty object", body: () => ({}), details: [{ field: "decision", message: 'Invalid option: expected one of "approve"|"reject"' }] },
    { name: "unknown decision", body: () => ({ decision: "maybe" }), details: [{ field: "decision", message: 'Invalid option: expected one of "approve"|"reject"' }] },
    { name: "comment too long", body: (v) => ({ ...v, comment: "c".repeat(4001) }), details: [{ field: "comment", message: "must be at most 4000 characters" }] },
    { name: "comment not a string", body: (v) => ({ ...v, comment: 5 }), details: [{ field: "comment", message: "Invalid input: expected string, received number" }] },
    { name: "reviewer smuggled in", body: (v) => ({ ...v, reviewerId: "someone" }), details: [{ field: "reviewerId", message: "is not a known field" }] },
  ],
  "POST /api/setup": [
    { name: "no code", body: (v) => ({ ...v, code: undefined }), details: [{ field: "code", message: "Invalid input: expected string, received undefined" }] },
    { name: "role smuggled in", body: (v) => ({ ...v, role: "admin" }), details: [{ field: "role", message: "is not a known field" }] },
    { name: "short password", body: (v) => ({ ...v, password: "short" }), details: [{ field: "password", message: "must be at least 12 characters" }] },
  ],
};

/** Every body and field fault against these endpoints: exact status and JSON, nothing written. */
function bodyAndFieldFaults(ctx: TestContext, endpoints: Endpoint[]) {
  async function send(e: Endpoint, o: CallOptions) {
    const prepared = (await e.prepare?.(ctx)) ?? {};
    const before = await counts();
    const probeBefore = await prepared.probe?.();
    const res = await call(e.handler(), e.method, `/x`, { auth: e.anonymous ? undefined : token(ctx.users.admin), params: prepared.params, ...o });
    // nothing written: no row in any table, the target unchanged
    expect(await counts()).toEqual(before);
    expect(await prepared.probe?.()).toEqual(probeBefore);
    return res;
  }

  const bodyRows = endpoints.flatMap((e) => BODY_FAULTS.map((f) => ({ name: `${e.name}: ${f.name} -> ${f.status}`, e, f })));
  it.each(bodyRows)("$name", async ({ e, f }) => {
    const res = await send(e, f.request());
    expect(res.status).toBe(f.status);
    expect(res.body).toEqual(f.error);
  });

  const fieldRows = endpoints.flatMap((e) => (FIELD_FAULTS[e.name] ?? []).map((f) => ({ name: `${e.name}: ${f.name} -> 422`, e, f })));
  it.each(fieldRows)("$name", async ({ e, f }) => {
    const valid = e.valid();
    if (e.name === "POST /api/v1/tokens") valid.userId = ctx.users.publisher.id;
    const res = await send(e, { json: f.body(valid) });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toBe(`Invalid ${f.details.map((d) => d.field).join(", ")}`);
    expect(res.body.error.details).toEqual(f.details);
  });

  // Text no schema may let through, in every string field of every endpoint (NUL was a 500 on
  // PostgreSQL, and stored by SQLite).
  const textRows = endpoints.flatMap((e) =>
    Object.entries(e.valid())
      .filter(([, v]) => typeof v === "string")
      .flatMap(([field]) =>
        (
          [
            ["a NUL byte", "a\u0000b", "must not contain control characters"],
            ["a lone surrogate", "a\uD800b", "must be well-formed Unicode (no lone surrogates)"],
            ["an escape character", "\u001B[2J", "must not contain control characters"],
          ] as const
        ).map(([what, value, message]) => ({ name: `${e.name}: ${what} in ${field} -> 422`, e, field, value, message })),
      ),
  );
  it.each(textRows)("$name", async ({ e, field, value, message }) => {
    const res = await send(e, { json: { ...e.valid(), [field]: value } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", `Invalid ${field}`, [{ field, message }]));
  });
}

/** Raw JSON text with the endpoint's valid body and one extra member. */
const withMember = (e: Endpoint, member: string) => JSON.stringify(e.valid()).replace(/}$/, `,${member}}`);

describeEngines("bad input: POST /api/setup before setup", (engine) => {
  // Setup answers 409 once anyone exists, before it reads the body: test its body on an empty database.
  const ctx = useTestDatabase(engine, { seed: false });
  bodyAndFieldFaults(ctx, ENDPOINTS.filter((e) => e.anonymous));
});

describeEngines("bad input", (engine) => {
  const ctx = useTestDatabase(engine);

  async function send(e: Endpoint, o: CallOptions) {
    const prepared = (await e.prepare?.(ctx)) ?? {};
    const before = await counts();
    const probeBefore = await prepared.probe?.();
    const res = await call(e.handler(), e.method, `/x`, { auth: e.anonymous ? undefined : token(ctx.users.admin), params: prepared.params, ...o });
    expect(await counts()).toEqual(before);
    expect(await prepared.probe?.()).toEqual(probeBefore);
    return res;
  }

  bodyAndFieldFaults(ctx, ENDPOINTS.filter((e) => !e.anonymous));

  it("POST /api/setup after setup: 409 whatever the body", async () => {
    const before = await counts();
    const res = await call(setupPOST as unknown as Handler, "POST", "/api/setup", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "Setup is already complete"));
    expect(await counts()).toEqual(before);
  });

  // What the wrapper refuses whatever a schema says
  const WRAPPER_FAULTS: { name: string; body: (e: Endpoint) => string; status: number; error: unknown }[] = [
    {
      name: "nested 65 levels deep",
      body: (e) => withMember(e, `"deep":${"[".repeat(65)}${"]".repeat(65)}`),
      status: 400,
      error: apiError("bad_request", "Request body nests arrays or objects deeper than 64 levels"),
    },
    {
      name: "nested 100,000 levels deep",
      body: () => "[".repeat(100_000) + "]".repeat(100_000),
      status: 400,
      error: apiError("bad_request", "Request body nests arrays or objects deeper than 64 levels"),
    },
    {
      name: "a __proto__ key",
      body: (e) => withMember(e, `"__proto__":{"isAdmin":true}`),
      status: 422,
      error: apiError("validation_failed", "Invalid __proto__", [{ field: "__proto__", message: "is not an allowed field name" }]),
    },
    {
      name: "a nested __proto__ key",
      body: (e) => withMember(e, `"x":[{"__proto__":1}]`),
      status: 422,
      error: apiError("validation_failed", "Invalid x.0.__proto__", [{ field: "x.0.__proto__", message: "is not an allowed field name" }]),
    },
    {
      name: "1e400",
      body: (e) => withMember(e, `"n":1e400`),
      status: 422,
      error: apiError("validation_failed", "Invalid n", [{ field: "n", message: "must be a finite number" }]),
    },
    {
      name: "a NUL in a key",
      body: (e) => withMember(e, `"a\\u0000":1`),
      status: 422,
      error: apiError("validation_failed", "Invalid (body)", [{ field: "(body)", message: "has a field name that must not contain control characters" }]),
    },
  ];
  const wrapperRows = ENDPOINTS.filter((e) => !e.anonymous).flatMap((e) => WRAPPER_FAULTS.map((f) => ({ name: `${e.name}: ${f.name} -> ${f.status}`, e, f })));
  it.each(wrapperRows)("$name", async ({ e, f }) => {
    const res = await send(e, { body: f.body(e), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(f.status);
    expect(res.body).toEqual(f.error);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it.each(ENDPOINTS.filter((e) => !e.anonymous))("$name: a body that is not UTF-8 -> 400", async (e) => {
    const bytes = Buffer.concat([Buffer.from(withMember(e, '"x":"').slice(0, -1)), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const res = await send(e, { body: bytes, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(apiError("bad_request", "Request body is not valid UTF-8"));
  });

  it("a large integer in a number field is refused by the schema (2^63, -0, 1e308)", async () => {
    const e = ENDPOINTS.find((x) => x.name === "POST /api/v1/service-accounts")!;
    for (const n of ["9223372036854775808", "1e308", "-0"]) {
      const res = await send(e, { body: withMember(e, `"expiresInDays":${n}`), headers: { "content-type": "application/json" } });
      expect(res.status, n).toBe(422);
      expect(res.body.error.details[0].field, n).toBe("expiresInDays");
    }
  });

  it("every endpoint with a body has field-level cases", () => {
    expect(Object.keys(FIELD_FAULTS).sort()).toEqual(ENDPOINTS.map((e) => e.name).sort());
  });

  it.each(["application/json; charset=utf-8", "application/merge-patch+json", "APPLICATION/JSON"])(
    "accepts content type %s",
    async (type) => {
      const u = await insertUser({ role: "publisher" });
      const res = await call(route("PATCH", "/api/v1/users/[id]"), "PATCH", `/api/v1/users/${u.id}`, {
        auth: token(ctx.users.admin),
        params: { id: u.id },
        body: JSON.stringify({ name: "Accepted" }),
        headers: { "content-type": type },
      });
      expect(res.status).toBe(200);
      expect(res.body.name).toBe("Accepted");
    },
  );

  it("accepts a body of exactly 1 MiB (refused by the schema, not by size)", async () => {
    const prefix = '{"decision":"approve","comment":"';
    const body = prefix + "c".repeat(MIB - prefix.length - 2) + '"}';
    expect(Buffer.byteLength(body)).toBe(MIB);
    const e = ENDPOINTS.find((x) => x.name === "POST /api/v1/reviews/{id}/decision")!;
    const res = await send(e, { body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: "comment", message: "must be at most 4000 characters" }]);
  });

  // Query strings of the list endpoints
  const LISTS = [
    { pattern: "/api/v1/users", max: 100 },
    { pattern: "/api/v1/service-accounts", max: 100 },
    { pattern: "/api/v1/tokens", max: 100 },
    { pattern: "/api/v1/reviews", max: 100 },
    { pattern: "/api/v1/audit-events", max: 200 },
  ];
  const queryRows = LISTS.flatMap(({ pattern, max }) => [
    { pattern, query: "limit=0", details: [{ field: "query.limit", message: "must be at least 1" }] },
    { pattern, query: "limit=-5", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=abc", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=2.5", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=0x10", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=1e1", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=%205%20", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=010", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: "limit=99999999999999999999", details: [{ field: "query.limit", message: "must be a whole number written in decimal" }] },
    { pattern, query: `limit=${max + 1}`, details: [{ field: "query.limit", message: `must be at most ${max}` }] },
    { pattern, query: "limit=5&limit=6", details: [{ field: "query.limit", message: "must be given at most once" }] },
    { pattern, query: "cursor=not-a-cursor", details: [{ field: "query.cursor", message: "not a cursor from this API" }], message: "Invalid cursor" },
    { pattern, query: `cursor=${"c".repeat(201)}`, details: [{ field: "query.cursor", message: "must be at most 200 characters" }] },
    { pattern, query: "cursor=%00", details: [{ field: "query.cursor", message: "must not contain control characters" }] },
  ]);
  queryRows.push(
    { pattern: "/api/v1/users", query: `q=${"q".repeat(201)}`, details: [{ field: "query.q", message: "must be at most 200 characters" }] },
    { pattern: "/api/v1/users", query: "q=a%00b", details: [{ field: "query.q", message: "must not contain control characters" }] },
    { pattern: "/api/v1/users", query: "q=a%0Ab", details: [{ field: "query.q", message: "must not contain tabs or line breaks" }] },
    { pattern: "/api/v1/users", query: "q=x&q=y", details: [{ field: "query.q", message: "must be given at most once" }] },
    { pattern: "/api/v1/users", query: "%00=1", details: [{ field: "query", message: "has a parameter name that must not contain control characters" }] },
    { pattern: "/api/v1/me", query: "x=%01", details: [{ field: "query.x", message: "must not contain control characters" }] },
    { pattern: "/api/v1/reviews", query: "state=open", details: [{ field: "query.state", message: "must be pending, approved, rejected or withdrawn" }] },
    { pattern: "/api/v1/reviews", query: "type=%00", details: [{ field: "query.type", message: "must not contain control characters" }] },
    { pattern: "/api/v1/audit-events", query: `cursor=${encodeCursor("12abc")}`, details: [{ field: "query.cursor", message: "not a cursor from this API" }], message: "Invalid cursor" },
    // above 2^63-1: was a 500 (Prisma cannot convert the BigInt)
    { pattern: "/api/v1/audit-events", query: `cursor=${encodeCursor("9223372036854775808")}`, details: [{ field: "query.cursor", message: "not a cursor from this API" }], message: "Invalid cursor" },
    { pattern: "/api/v1/audit-events", query: "from=yesterday", details: [{ field: "query.from", message: "Invalid ISO datetime" }] },
    { pattern: "/api/v1/audit-events", query: "to=2026-13-01T00:00:00Z", details: [{ field: "query.to", message: "Invalid ISO datetime" }] },
    // year 0: was a 500 on PostgreSQL
    { pattern: "/api/v1/audit-events", query: "from=0000-01-01T00:00:00Z", details: [{ field: "query.from", message: "must be between 1970-01-01 and 9999-12-31" }] },
    { pattern: "/api/v1/audit-events", query: "to=1969-12-31T23:59:59Z", details: [{ field: "query.to", message: "must be between 1970-01-01 and 9999-12-31" }] },
    { pattern: "/api/v1/audit-events", query: "actor=%00", details: [{ field: "query.actor", message: "must not contain control characters" }] },
    { pattern: "/api/v1/audit-events", query: "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", details: [{ field: "query.to", message: "must not be before from" }] },
    { pattern: "/api/v1/audit/integrity", query: "stream=", details: [{ field: "query.stream", message: "is required" }] },
    { pattern: "/api/v1/audit/integrity", query: "stream=a%00", details: [{ field: "query.stream", message: "must not contain control characters" }] },
  );
  it.each(queryRows.map((r) => ({ ...r, name: `GET ${r.pattern}?${r.query.slice(0, 40)} -> 422` })))("$name", async (r) => {
    const res = await call(route("GET", r.pattern), "GET", r.pattern, { auth: token(ctx.users.admin), query: r.query });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", r.message ?? `Invalid ${r.details.map((d) => d.field).join(", ")}`, r.details));
  });

  it.each([
    ["/api/v1/users", "unknownParam=1"],
    ["/api/v1/audit-events", "unknownParam=1"],
    ["/api/v1/users", "q="],
    // The URL parser turns bad %-encoding and encoded lone surrogates into U+FFFD: plain text.
    ["/api/v1/users", "q=%FF"],
    ["/api/v1/users", "q=%ED%A0%80"],
  ])("tolerates %s?%s", async (pattern, query) => {
    const res = await call(route("GET", pattern), "GET", pattern, { auth: token(ctx.users.admin), query });
    expect(res.status).toBe(200);
  });

  it("q=% is a literal percent sign, not a wildcard (likewise _ and \\)", async () => {
    const marker = uid();
    const percent = await insertUser({ name: `Fuzzy 100% ${marker}` });
    const underscore = await insertUser({ name: `Fuzzy a_b ${marker}` });
    await insertUser({ name: `Fuzzy plain ${marker}` });
    const search = async (q: string) => {
      const res = await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: token(ctx.users.admin), query: { q, limit: "100" } });
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((u) => u.id);
    };
    expect(await search("%")).toEqual([percent.id]);
    expect(await search(`% ${marker}`)).toEqual([percent.id]);
    expect(await search("a_b")).toEqual([underscore.id]);
    expect(await search("\\")).toEqual([]);
  });

  it("a well-formed cursor naming a row that no longer exists gives an empty page, not an error", async () => {
    for (const pattern of ["/api/v1/users", "/api/v1/service-accounts", "/api/v1/tokens", "/api/v1/reviews"]) {
      const res = await call(route("GET", pattern), "GET", pattern, { auth: token(ctx.users.admin), query: { cursor: encodeCursor("gone") } });
      expect(res.status, pattern).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    }
  });

  // Route params
  const ID_ROUTES = [
    { method: "PATCH", pattern: "/api/v1/users/[id]", json: { name: "x" }, notFound: (id: string) => `User ${id} not found` },
    { method: "DELETE", pattern: "/api/v1/service-accounts/[id]", notFound: (id: string) => `Service account ${id} not found` },
    { method: "DELETE", pattern: "/api/v1/tokens/[id]", notFound: (id: string) => `Token ${id} not found` },
    { method: "POST", pattern: "/api/v1/reviews/[id]/decision", json: { decision: "approve" }, notFound: (id: string) => `Review ${id} not found` },
  ];
  it.each(ID_ROUTES)("$method $pattern: an id over 64 characters -> 422 naming params.id", async (r) => {
    const before = await counts();
    const res = await call(route(r.method, r.pattern), r.method, "/x", { auth: token(ctx.users.admin), params: { id: "i".repeat(65) }, json: r.json });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid params.id", [{ field: "params.id", message: "must be at most 64 characters" }]));
    expect(await counts()).toEqual(before);
  });

  const PARAM_FAULTS = [
    ["a NUL byte", "a\u0000b", "must not contain control characters"],
    ["a lone surrogate", "\uD800", "must be well-formed Unicode (no lone surrogates)"],
    ["a line break", "a\nb", "must not contain tabs or line breaks"],
    ["a percent sign (never decoded twice)", "%FF", "is not a valid id"],
  ] as const;
  const paramRows = ID_ROUTES.flatMap((r) => PARAM_FAULTS.map(([what, id, message]) => ({ ...r, what, id, message })));
  it.each(paramRows)("$method $pattern: $what in the id -> 422 naming params.id", async (r) => {
    const before = await counts();
    const res = await call(route(r.method, r.pattern), r.method, "/x", { auth: token(ctx.users.admin), params: { id: r.id }, json: r.json });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid params.id", [{ field: "params.id", message: r.message }]));
    expect(await counts()).toEqual(before);
  });

  it.each(ID_ROUTES)("$method $pattern: an unknown id -> 404", async (r) => {
    const before = await counts();
    const res = await call(route(r.method, r.pattern), r.method, "/x", { auth: token(ctx.users.admin), params: { id: "no-such-id" }, json: r.json });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(apiError("not_found", r.notFound("no-such-id")));
    expect(await counts()).toEqual(before);
  });

  it("ids of the wrong kind are not found: a person is not a service account, and vice versa", async () => {
    const sa = await insertUser({ kind: "service", role: "auditor" });
    const before = await counts();
    const a = await call(route("DELETE", "/api/v1/service-accounts/[id]"), "DELETE", "/x", { auth: token(ctx.users.admin), params: { id: ctx.users.publisher.id } });
    expect(a.status).toBe(404);
    expect(a.body).toEqual(apiError("not_found", `Service account ${ctx.users.publisher.id} not found`));
    const b = await call(route("PATCH", "/api/v1/users/[id]"), "PATCH", "/x", { auth: token(ctx.users.admin), params: { id: sa.id }, json: { role: "admin" } });
    expect(b.status).toBe(404);
    expect(b.body).toEqual(apiError("not_found", `User ${sa.id} not found`));
    expect(await counts()).toEqual(before);
    expect((await db().user.findUniqueOrThrow({ where: { id: sa.id } })).role).toBe("auditor");
  });

  it("refuses to issue a token for a disabled service account (409) and writes nothing", async () => {
    const u = await insertUser({ kind: "service", role: "auditor", disabled: true });
    const before = await counts();
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/x", { auth: token(ctx.users.admin), json: { userId: u.id, name: "nope" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", `${u.name} is disabled; enable it before issuing tokens`));
    expect(await counts()).toEqual(before);
  });

  it("revoking a revoked token or service account again is a 409", async () => {
    const { row } = await insertToken(ctx.users.auditor.id, { revokedAt: new Date() });
    const sa = await insertUser({ kind: "service", role: "auditor", disabled: true });
    const before = await counts();
    const t = await call(route("DELETE", "/api/v1/tokens/[id]"), "DELETE", "/x", { auth: token(ctx.users.admin), params: { id: row.id } });
    expect(t.status).toBe(409);
    expect(t.body).toEqual(apiError("conflict", "Token is already revoked"));
    const s = await call(route("DELETE", "/api/v1/service-accounts/[id]"), "DELETE", "/x", { auth: token(ctx.users.admin), params: { id: sa.id } });
    expect(s.status).toBe(409);
    expect(s.body).toEqual(apiError("conflict", "Service account is already revoked"));
    expect(await counts()).toEqual(before);
  });

  it("a review whose subject refuses the transition -> 409 with from/to, and nothing is kept", async () => {
    registerReviewSubject("bad-input-refusing", {
      async onDecision() {
        throw new TransitionRefused("revoked", "approved", "Fixture subject");
      },
    });
    const review = await db().$transaction((tx) => submitForReview(tx, { type: "bad-input-refusing", id: `r-${uid()}`, name: "R" }, actorOf(ctx.users.publisher)));
    const before = await counts();
    const res = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", "/x", { auth: token(ctx.users.admin), params: { id: review.id }, json: { decision: "approve" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(apiError("conflict", "Fixture subject cannot go from revoked to approved", { from: "revoked", to: "approved" }));
    expect(await counts()).toEqual(before);
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).state).toBe("pending");
  });

  it("personal responses are never cached and carry the security headers, errors too", async () => {
    const responses = [
      await call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth: token(ctx.users.auditor) }),
      await call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", { auth: session(ctx.users.auditor) }),
      await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: token(ctx.users.admin) }),
      await call(route("GET", "/api/v1/tokens"), "GET", "/api/v1/tokens", { auth: token(ctx.users.admin) }),
      await call(route("GET", "/api/v1/reviews"), "GET", "/api/v1/reviews", { auth: token(ctx.users.admin) }),
      await call(route("GET", "/api/v1/me"), "GET", "/api/v1/me", {}),
      await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: token(ctx.users.publisher) }),
      await call(route("GET", "/api/v1/users"), "GET", "/api/v1/users", { auth: token(ctx.users.admin), query: "limit=0x10" }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 401, 403, 422]);
    for (const r of responses) {
      expect(r.headers.get("cache-control")).toBe("no-store");
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(r.headers.get(name), name).toBe(value);
    }
  });
});

// While the database is down every API call answers 503 `unavailable` with the JSON shape.
describe.each([
  ["sqlite", "a directory that does not exist", "file:/nonexistent-portcullis-dir/portcullis.db"],
  ["sqlite", "a path that is a directory", `file:${tmpdir()}`],
  ["postgresql", "a closed port", "postgresql://postgres@127.0.0.1:1/portcullis"],
])("database down [%s: %s]", (_engine, _what, url) => {
  const DOWN = { error: { code: "unavailable", message: "The database is unavailable; try again shortly" } };
  const previous = process.env.DATABASE_URL;
  beforeAll(() => {
    process.env.DATABASE_URL = url;
  });
  afterAll(async () => {
    const holder = globalThis as unknown as { __portcullisDb?: { client: { $disconnect(): Promise<void> } } };
    await holder.__portcullisDb?.client.$disconnect().catch(() => {});
    delete holder.__portcullisDb;
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  });

  it.each([
    ["GET", "/api/v1/me", {}],
    ["GET", "/api/v1/users", {}],
    ["POST", "/api/v1/users", { json: { email: "down@test.local", name: "Down", role: "auditor", password: "a long enough password" } }],
    ["DELETE", "/api/v1/tokens/[id]", { params: { id: "some-token" } }],
    ["GET", "/api/v1/audit-events", {}],
  ] as const)("%s %s with a token -> 503", async (method, pattern, o) => {
    const res = await call(route(method, pattern), method, "/x", { auth: bearer("pcl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ...o });
    expect(res.status).toBe(503);
    expect(res.body).toEqual(DOWN);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("cache-control")).toBe("no-store");
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
  });

  it("GET /api/v1/me with a session cookie -> 503", async () => {
    const res = await call(route("GET", "/api/v1/me"), "GET", "/x", { auth: { headers: { cookie: await sessionCookieFor("someone", { sid: "some-session", sv: 0 }) } } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual(DOWN);
  });

  it("POST /api/setup -> 503", async () => {
    const res = await call(setupPOST as unknown as Handler, "POST", "/api/setup", { json: { email: "a@test.local", name: "A", password: "a long enough password", code: "x" } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual(DOWN);
  });
});

