import { beforeAll, expect, it } from "vitest";
import fc from "fast-check";
import { POST as setupPOST } from "@/app/api/setup/route";
import { encodeCursor } from "@/lib/api/cursor";
import { ERROR_STATUS } from "@/lib/api/errors";
import { SECURITY_HEADERS } from "@/lib/api/headers";
import { isRefusal, METHODS } from "@/lib/api/methods";
import { db } from "@/lib/db";
import { submitForReview } from "@/lib/reviews/data";
import { registerReviewSubject } from "@/lib/reviews/subjects";
import { SEED_PASSWORD } from "../helpers/constants";
import { actorOf, counts, describeEngines, insertToken, insertUser, useTestDatabase } from "../helpers/context";
import { bearer, buildRequest, type CallOptions, type Handler } from "../helpers/http";
import { API_V1_MODULES } from "../helpers/routes";

// Property-based input fuzzing: arbitrary strings (NUL, lone surrogates, bidi overrides, 10k
// characters, %-sequences), numbers (2^63, -0, 1e400, NaN-ish strings), arrays, objects and
// nesting, thrown at the body, query and route params of every endpoint, as an admin, on both
// engines. Never a 5xx; every error has the one JSON shape; a refused request writes nothing.
//
// Deterministic: FUZZ_SEED (default below) and FUZZ_RUNS (runs per endpoint) reproduce a run;
// a failure prints the seed, the path and the shrunk request.

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** FUZZ_STATS=1 prints how often each endpoint answered each status (to see what the runs reach). */
const STATS = process.env.FUZZ_STATS === "1";

registerReviewSubject("fuzz-fixture", { async onDecision() {} });

// ---------------------------------------------------------------------------------------------
// Arbitraries

const HOSTILE = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDFFFy",
  "\uDBFF\uDFFF",
  "\u202Eevil\u202C",
  "\u200F\u05D0\u05D1",
  "\uFEFF",
  "\uFFFE",
  "\u0085",
  "\u2028",
  "\n",
  "\r\n",
  "\t",
  "\u001B[31m",
  "%",
  "%%",
  "_",
  "\\",
  "%00",
  "%FF",
  "%ED%A0%80",
  "%25",
  "'",
  '"',
  "'; DROP TABLE \"User\"; --",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "0x10",
  "1e1",
  "1e400",
  "010",
  "+1",
  "1.5",
  "１２",
  "٣",
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775809",
  "18446744073709551616",
  "0000-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z",
  "9999-12-31T23:59:59Z",
  "+010000-01-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "2026-01-01T00:00:00+25:00",
  "true",
  "null",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "admin",
  "approve",
  "pending",
  "human",
  "x".repeat(10_000),
  "é".repeat(300),
  "😀".repeat(150),
  encodeCursor("9223372036854775808"),
  encodeCursor("-1"),
  encodeCursor("\u0000"),
  encodeCursor(""),
  Buffer.from("c1:\uD800").toString("base64url"),
];

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  // any UTF-16 code unit, so lone surrogates and controls too
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE.filter((s) => s.length < 50)) },
);
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: fc.array(unit, { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE), fc.constantFrom(...HOSTILE)).map(([a, b]) => a + b) },
);

/** JSON number tokens, written as is into the body text (JSON.stringify cannot write 1e400). */
const numberToken = fc.oneof(
  fc.constantFrom("0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1e-400", "9223372036854775808", "9223372036854775807", "9007199254740993", "4294967296", "2147483648", "1" + "0".repeat(400), "0.1e1", "3650", "3651", "100", "101", "200", "201"),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
);

// A JSON tree as text: numbers as tokens, strings via JSON.stringify (lone surrogates become
// \uD800 escapes, which JSON.parse turns back into lone surrogates), keys may repeat.
const KEYS = [
  "email",
  "name",
  "role",
  "password",
  "disabled",
  "reason",
  "userId",
  "expiresInDays",
  "decision",
  "comment",
  "code",
  "currentPassword",
  "newPassword",
  "tokenDefaultLifetimeDays",
  "tokenMaxLifetimeDays",
  "lockoutFailures",
  "sessionMaxAgeHours",
  "driftAction",
  "auditRetentionDays",
  "__proto__",
  "constructor",
  "prototype",
];
const keyArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: hostileString });
const { json } = fc.letrec<{ json: string; leaf: string; arr: string; obj: string }>((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom("null", "true", "false"),
    numberToken,
    hostileString.map((s) => JSON.stringify(s)),
    fc.constantFrom('"admin"', '"auditor"', '"approve"', '"reject"', '"flag"', '"a long enough password"', '"fuzz@test.local"'),
  ),
  arr: fc.array(tie("json"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
  obj: fc.array(fc.tuple(keyArb, tie("json")), { maxLength: 5 }).map((kvs) => `{${kvs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  json: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("arr"), tie("obj")),
}));

const deepBody = fc
  .tuple(fc.constantFrom(63, 64, 65, 1000, 20_000), fc.constantFrom("[", '{"a":'))
  .map(([n, open]) => `{"name":${open.repeat(n)}1${(open === "[" ? "]" : "}").repeat(n)}}`);

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes EF BF BD, as in a browser). */
function encodeBytes(s: string): string {
  return [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

// Plausible values, so most requests get past the first check and reach the schema's later
// rules, the data functions and the database with one hostile part.
const plainText = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);
const isoInstant = fc
  .tuple(fc.integer({ min: -1, max: 10_000 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom("Z", "+00:00", "-12:00", "+14:00", ".999Z"))
  .map(([y, m, z]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-01T00:00:00${z}`);
const cursorish = fc.oneof(fc.constantFrom("0", "1", "9223372036854775807", "9223372036854775808", "-1", "x"), plainText).map((k) => encodeCursor(k));
const stringToken = (a: fc.Arbitrary<string>) => a.map((v) => JSON.stringify(v));

function plausibleBodyFields(ids: string[]): Record<string, fc.Arbitrary<string>> {
  const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
  return {
    email: stringToken(fc.oneof({ weight: 3, arbitrary: word.map((w) => `fuzz-${w}@test.local`) }, { weight: 1, arbitrary: fc.emailAddress() })),
    name: stringToken(fc.oneof({ weight: 3, arbitrary: word }, { weight: 1, arbitrary: plainText })),
    role: stringToken(fc.constantFrom("admin", "approver", "publisher", "auditor", "root")),
    password: stringToken(fc.string({ minLength: 12, maxLength: 40 })),
    disabled: fc.constantFrom("true", "false"),
    reason: stringToken(plainText),
    userId: stringToken(fc.constantFrom(...ids)),
    expiresInDays: int(-5, 4000),
    decision: stringToken(fc.constantFrom("approve", "reject")),
    comment: stringToken(plainText),
    code: stringToken(fc.string({ maxLength: 20 })),
    currentPassword: stringToken(fc.constantFrom(SEED_PASSWORD, "wrong password here")),
    newPassword: stringToken(fc.string({ minLength: 12, maxLength: 40 })),
    full: fc.constantFrom("true", "false"),
    tokenDefaultLifetimeDays: int(0, 400),
    tokenMaxLifetimeDays: int(300, 3651),
    lockoutFailures: int(0, 50),
    lockoutWindowMinutes: int(0, 1441),
    sessionMaxAgeHours: int(0, 721),
    driftAction: stringToken(fc.constantFrom("flag", "withdraw", "explode")),
    auditRetentionDays: int(-1, 40_000),
  };
}

/** The body fields each endpoint knows (others get a random selection). */
const BODY_FIELDS: Record<string, string[]> = {
  "POST /api/v1/users": ["email", "name", "role", "password"],
  "PATCH /api/v1/users/[id]": ["name", "role", "disabled", "password", "reason"],
  "POST /api/v1/service-accounts": ["name", "role", "expiresInDays"],
  "POST /api/v1/tokens": ["userId", "name", "expiresInDays"],
  "POST /api/v1/reviews/[id]/decision": ["decision", "comment"],
  "POST /api/v1/audit/integrity": ["full"],
  "POST /api/v1/me/password": ["currentPassword", "newPassword"],
  "PATCH /api/v1/settings": ["tokenDefaultLifetimeDays", "tokenMaxLifetimeDays", "lockoutFailures", "lockoutWindowMinutes", "sessionMaxAgeHours", "driftAction", "auditRetentionDays"],
  "POST /api/setup": ["email", "name", "password", "code"],
};

/** A body for one endpoint: mostly its own fields, each plausible or hostile; sometimes anything. */
function bodyFor(name: string, ids: string[]): fc.Arbitrary<string> {
  const plausible = plausibleBodyFields(ids);
  const fields = BODY_FIELDS[name] ?? Object.keys(plausible);
  const field = (k: string) => fc.oneof({ weight: 5, arbitrary: Object.hasOwn(plausible, k) ? plausible[k] : json }, { weight: 1, arbitrary: json });
  const structured = fc
    .tuple(
      fc.oneof({ weight: 2, arbitrary: fc.constant(fields) }, { weight: 1, arbitrary: fc.subarray(fields, { minLength: 1 }) }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(keyArb, json) }),
    )
    .chain(([keys, extra]) =>
      fc.tuple(...keys.map((k) => field(k).map((v) => [k, v] as const))).map((kvs) => {
        const all = extra ? [...kvs, extra] : kvs;
        return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
      }),
    );
  return fc.oneof(
    { weight: 8, arbitrary: structured },
    { weight: 2, arbitrary: json },
    { weight: 1, arbitrary: deepBody },
    { weight: 1, arbitrary: hostileString },
  );
}

function plausibleQueryValues(ids: string[]): Record<string, fc.Arbitrary<string>> {
  return {
    q: plainText,
    cursor: cursorish,
    limit: fc.integer({ min: -1, max: 300 }).map(String),
    state: fc.constantFrom("pending", "approved", "rejected", "open"),
    type: plainText,
    stream: fc.constantFrom("console", "gateway", "nope"),
    actor: plainText,
    action: fc.constantFrom("user.create", "auth.signin", "x"),
    targetType: fc.constantFrom("user", "token", "review"),
    targetId: fc.constantFrom(...ids),
    from: isoInstant,
    to: isoInstant,
    userId: fc.constantFrom(...ids),
    expiring: fc.constantFrom("true", "false", "yes"),
  };
}

function queryFor(method: string, ids: string[]): fc.Arbitrary<string> {
  const plausible = plausibleQueryValues(ids);
  const keys = [...Object.keys(plausible), "__proto__"];
  const value = (k: string) =>
    fc.oneof(
      { weight: 3, arbitrary: (Object.hasOwn(plausible, k) ? plausible[k] : hostileString).map(encodeBytes) },
      { weight: 1, arbitrary: hostileString.map(encodeBytes) },
      // raw, so malformed %-sequences reach the URL parser as they are
      { weight: 1, arbitrary: fc.constantFrom("%", "%%", "%FF", "%ED%A0%80", "%00", "%C0%80", "%E2%82", "a%2", "%u0041") },
    );
  const pairs = fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileString.map(encodeBytes) }), { maxLength: 5 })
    .chain((ks) => fc.tuple(...ks.map((k) => value(k).map((v) => `${k}=${v}`))))
    .map((ps) => ps.join("&"));
  return method === "GET" ? fc.oneof({ weight: 1, arbitrary: fc.constant("") }, { weight: 4, arbitrary: pairs }) : fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: pairs });
}

/**
 * Refusals that are recorded on purpose: a wrong current password or setup code is a failed
 * attempt (counted for the lockout) and an audit event. Only these tables, only there.
 */
const RECORDED_REFUSALS: Record<string, string[]> = {
  "POST /api/v1/me/password": ["auditEvents", "loginFailures"],
  "POST /api/setup": ["auditEvents", "loginFailures"],
};

function withoutRecorded(c: Record<string, number>, name: string) {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !(RECORDED_REFUSALS[name] ?? []).includes(k)));
}

// ---------------------------------------------------------------------------------------------

interface Target {
  name: string;
  method: string;
  handler: Handler;
  params: string[];
  anonymous?: boolean;
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const [pattern, mod] of Object.entries(API_V1_MODULES)) {
    if (pattern.includes("[...rest]")) continue;
    const params = [...pattern.matchAll(/\[([a-z]+)\]/gi)].map((m) => m[1]);
    for (const method of METHODS) {
      const h = mod[method];
      if (typeof h === "function" && !isRefusal(h)) out.push({ name: `${method} ${pattern}`, method, handler: h as Handler, params });
    }
  }
  out.push({ name: "POST /api/setup", method: "POST", handler: setupPOST as unknown as Handler, params: [], anonymous: true });
  return out;
}

/** Calls the handler; parses the body only when it is one JSON document (exports are NDJSON). */
async function send(handler: Handler, method: string, o: CallOptions) {
  const res = await handler(buildRequest(method, "/fuzz", o), { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  return { status: res.status, headers: res.headers, body: type === "application/json" && text ? (JSON.parse(text) as unknown) : text };
}

/** The error JSON, exactly: { error: { code, message, details? } } with the code's status. */
function expectErrorShape(status: number, body: unknown, label: string) {
  expect(body, label).toBeTypeOf("object");
  const b = body as { error?: Record<string, unknown> };
  expect(Object.keys(b), label).toEqual(["error"]);
  const e = b.error!;
  expect(Object.keys(e).filter((k) => !["code", "message", "details"].includes(k)), label).toEqual([]);
  expect(e.code, label).toBeTypeOf("string");
  expect(e.message, label).toBeTypeOf("string");
  expect(ERROR_STATUS[e.code as keyof typeof ERROR_STATUS], `${label}: status of ${String(e.code)}`).toBe(status);
  if (e.details !== undefined) expect(typeof e.details, label).toBe("object");
}

/** Runs the property for one endpoint: `auth` is the bearer token (none for setup). */
async function fuzzEndpoint(engine: string, t: Target, ids: string[], auth: string | undefined) {
  const idArb = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: hostileString });
  const request = fc.record({
    query: queryFor(t.method, ids),
    params: fc.tuple(...t.params.map(() => idArb)),
    body: t.method === "GET" || t.method === "DELETE" ? fc.constant(undefined) : bodyFor(t.name, ids),
  });
  const seen: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const params = Object.fromEntries(t.params.map((p, i) => [p, r.params[i]]));
      const o: CallOptions = {
        auth: auth ? bearer(auth) : undefined,
        query: r.query,
        params,
        ...(r.body === undefined ? {} : { body: r.body, headers: { "content-type": "application/json" } }),
      };
      const before = await counts();
      const res = await send(t.handler, t.method, o);
      const label = `${t.name} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      const error = (res.body as { error?: { code?: string; details?: { field?: string }[] } })?.error;
      const fields = STATS && Array.isArray(error?.details) ? ` ${error.details.map((d) => d.field).join(",")}` : "";
      const key = `${res.status} ${error?.code ?? ""}${fields}`.trim();
      seen[key] = (seen[key] ?? 0) + 1;
      expect(res.status, label).toBeLessThan(500);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), `${label}: ${name}`).toBe(value);
      if (res.status >= 400) {
        expectErrorShape(res.status, res.body, label);
        expect(res.headers.get("cache-control"), label).toBe("no-store");
        expect(withoutRecorded(await counts(), t.name), `${label}: a refused request wrote rows`).toEqual(withoutRecorded(before, t.name));
      } else if (!t.anonymous) {
        expect(res.headers.get("cache-control"), label).toBe("no-store");
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  if (STATS) process.stderr.write(`[${engine}] ${t.name} ${JSON.stringify(seen)}\n`);
}

describeEngines("fuzz: every endpoint, hostile input", (engine) => {
  const ctx = useTestDatabase(engine);
  let ids: string[] = [];

  beforeAll(async () => {
    // Things an id can name: a person, a service account, a token, a pending review (never the
    // admin the fuzz acts as, so it cannot lock itself out).
    const person = await insertUser({ role: "publisher" });
    const sa = await insertUser({ kind: "service", role: "auditor" });
    const { row } = await insertToken(person.id);
    const review = await db().$transaction((tx) => submitForReview(tx, { type: "fuzz-fixture", id: "subject-1", name: "S" }, actorOf(ctx.users.publisher)));
    ids = [person.id, sa.id, row.id, review.id, ctx.users.auditor.id];
  });

  it.each(targets().map((t) => ({ ...t, label: t.anonymous ? `${t.name} (after setup)` : t.name })))("$label", async (t) => {
    // A fresh admin token per endpoint: a request that revokes credentials cannot blind the rest.
    const { token } = await insertToken(ctx.users.admin.id, { name: `fuzz-${t.name}` });
    await fuzzEndpoint(engine, t, ids, t.anonymous ? undefined : token);
  });
});

describeEngines("fuzz: POST /api/setup before setup", (engine) => {
  // Nobody exists yet, so setup reads the body: the schema, the code check and its failure count.
  useTestDatabase(engine, { seed: false });
  it("POST /api/setup", async () => {
    await fuzzEndpoint(engine, targets().find((t) => t.anonymous)!, ["no-such-id"], undefined);
  });
});
