import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, classifyDatabaseError, ERROR_STATUS, toErrorResponse, zodIssues } from "@/lib/api/errors";
import { SECURITY_HEADERS } from "@/lib/api/headers";

async function mapped(err: unknown) {
  const res = toErrorResponse(err);
  return { status: res.status, body: await res.json() };
}

describe("toErrorResponse", () => {
  it("maps each ApiError code to its status with the one error shape", async () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(await mapped(new ApiError(code as keyof typeof ERROR_STATUS, `m-${code}`))).toEqual({
        status,
        body: { error: { code, message: `m-${code}` } },
      });
    }
    expect(await mapped(new ApiError("conflict", "taken", [{ field: "email", message: "already in use" }]))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: "taken", details: [{ field: "email", message: "already in use" }] } },
    });
  });

  it("maps a ZodError to 422 naming each field", async () => {
    const r = z.object({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ b: { c: "x" } });
    expect(await mapped(r.error)).toEqual({
      status: 422,
      body: {
        error: {
          code: "validation_failed",
          message: "Invalid a, b.c",
          details: [
            { field: "a", message: "Invalid input: expected string, received undefined" },
            { field: "b.c", message: "Invalid input: expected number, received string" },
          ],
        },
      },
    });
  });

  it("maps Prisma unique and not-found errors by shape", async () => {
    const prismaError = (code: string) => Object.assign(new Error("prisma says"), { name: "PrismaClientKnownRequestError", code });
    expect(await mapped(prismaError("P2002"))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: "A record with the same unique value already exists" } },
    });
    expect(await mapped(prismaError("P2025"))).toEqual({ status: 404, body: { error: { code: "not_found", message: "Not found" } } });
  });

  it("turns anything else into a generic 500 that leaks nothing", async () => {
    for (const err of [
      new Error("password=hunter2 at /srv/secret"),
      Object.assign(new Error("x"), { name: "PrismaClientKnownRequestError", code: "P2999" }),
      Object.assign(new Error("Argument `take` is missing"), { name: "PrismaClientValidationError" }),
      new RangeError("Maximum call stack size exceeded"),
      "a string",
      null,
    ]) {
      expect(await mapped(err)).toEqual({ status: 500, body: { error: { code: "internal", message: "Internal server error" } } });
    }
  });

  it("carries the security headers and no-store on every error", () => {
    for (const err of [new ApiError("not_found", "x"), new Error("boom"), z.string().safeParse(1).error]) {
      const res = toErrorResponse(err);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toBe("application/json");
    }
  });
});

const prismaKnown = (code: string, meta?: unknown) => Object.assign(new Error("prisma says"), { name: "PrismaClientKnownRequestError", code, meta });
const adapterMeta = (cause: Record<string, unknown>) => ({ driverAdapterError: { name: "DriverAdapterError", cause } });
const unavailable = { error: { code: "unavailable", message: "The database is unavailable; try again shortly" } };
const unstorable = {
  error: { code: "validation_failed", message: "A value in the request cannot be stored: it is too long, out of range or not valid text" },
};

describe("database errors a client can provoke", () => {
  // Shapes as @prisma/adapter-pg and @prisma/adapter-better-sqlite3 produce them (seen in
  // tests/integration/bad-input.test.ts against real databases).
  it.each([
    ["PostgreSQL refused at connect (P1001)", prismaKnown("P1001", adapterMeta({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }))],
    ["timed out (P1002)", prismaKnown("P1002")],
    ["server closed the connection (P1017)", prismaKnown("P1017")],
    ["pool timeout (P2024)", prismaKnown("P2024")],
    ["transaction could not start (P2028)", prismaKnown("P2028")],
    ["initialization", Object.assign(new Error("Can't reach database server at db:5432"), { name: "PrismaClientInitializationError" })],
    ["driver adapter: connection closed", Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } })],
    ["driver adapter: too many connections", Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "TooManyConnections" } })],
    ["driver adapter: SQLITE_BUSY", prismaKnown("P2010", adapterMeta({ kind: "SocketTimeout", originalCode: "SQLITE_BUSY" }))],
    ["pg: server shutting down (57P01)", Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01" } })],
    ["node: ECONNREFUSED", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["pg pool: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["pg: connection terminated", new Error("Connection terminated unexpectedly")],
    ["better-sqlite3: directory missing", new TypeError("Cannot open database because the directory does not exist")],
    ["better-sqlite3: SQLITE_CANTOPEN", Object.assign(new Error("unable to open database file"), { name: "SqliteError", code: "SQLITE_CANTOPEN" })],
    ["better-sqlite3: SQLITE_IOERR_READ", Object.assign(new Error("disk I/O error"), { name: "SqliteError", code: "SQLITE_IOERR_READ" })],
    ["wrapped in a cause", Object.assign(new Error("query failed"), { cause: prismaKnown("P1001") })],
  ])("%s -> 503 unavailable with Retry-After", async (_name, err) => {
    const res = toErrorResponse(err);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual(unavailable);
  });

  it.each([
    ["value too long (P2000)", prismaKnown("P2000")],
    ["out of range (P2020, pg 22003)", prismaKnown("P2020", adapterMeta({ kind: "ValueOutOfRange", originalCode: "22003" }))],
    ["data validation (P2007)", prismaKnown("P2007")],
    ["64-bit overflow (P2033)", prismaKnown("P2033")],
    ["NUL on PostgreSQL (22021)", Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { name: "DriverAdapterError", cause: { kind: "postgres", code: "22021", originalCode: "22021" } })],
    ["raw query NUL (P2010 + 22021)", prismaKnown("P2010", adapterMeta({ kind: "postgres", code: "22021", originalCode: "22021" }))],
    ["datetime out of range (22008)", prismaKnown("P2010", adapterMeta({ kind: "postgres", code: "22008" }))],
    ["lone surrogate in the engine", Object.assign(new Error("JSON Error: unexpected end of hex escape at line 1 column 88"), { name: "PrismaClientUnknownRequestError" })],
    ["BigInt beyond 2^63-1", Object.assign(new Error('Could not convert argument value Object {"$type": String("BigInt")} to ArgumentValue.'), { name: "PrismaClientUnknownRequestError" })],
  ])("%s -> 422", async (_name, err) => {
    expect(await mapped(err)).toEqual({ status: 422, body: unstorable });
  });

  it("maps foreign-key violations and write conflicts to 409", async () => {
    const fk = { status: 409, body: { error: { code: "conflict", message: "The request refers to a record that does not exist, or one that is still referenced" } } };
    expect(await mapped(prismaKnown("P2003"))).toEqual(fk);
    expect(await mapped(prismaKnown("P2010", adapterMeta({ kind: "postgres", code: "23503" })))).toEqual(fk);
    const retry = { status: 409, body: { error: { code: "conflict", message: "The request conflicted with a concurrent change; try again" } } };
    expect(await mapped(prismaKnown("P2034"))).toEqual(retry);
    expect(await mapped(Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "TransactionWriteConflict" } }))).toEqual(retry);
    expect(await mapped(prismaKnown("P2010", adapterMeta({ kind: "postgres", code: "40P01" })))).toEqual(retry);
  });

  it("classifies nothing that is not a database error", () => {
    for (const err of [new Error("EPIPE"), { code: "22021" }, new TypeError("x is not a function"), { cause: { cause: { cause: "loop" } } }]) {
      expect(classifyDatabaseError(err)).toBeUndefined();
    }
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(classifyDatabaseError(loop)).toBeUndefined();
  });
});

describe("zodIssues", () => {
  it("names each unknown field of a strict object, not the body as a whole", () => {
    const r = z.strictObject({ name: z.string(), nested: z.strictObject({ ok: z.boolean() }) }).safeParse({
      name: "n",
      extra: 1,
      more: 2,
      nested: { ok: true, sneaky: 1 },
    });
    expect(zodIssues(r.error!).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: "extra", message: "is not a known field" },
      { field: "more", message: "is not a known field" },
      { field: "nested.sneaky", message: "is not a known field" },
    ]);
  });

  it("prefixes query and params fields and names the body when the whole value is wrong", () => {
    const r = z.object({ limit: z.number() }).safeParse({ limit: "x" });
    expect(zodIssues(r.error!, "query")).toEqual([{ field: "query.limit", message: "Invalid input: expected number, received string" }]);
    const whole = z.object({}).safeParse([]);
    expect(zodIssues(whole.error!)).toEqual([{ field: "(body)", message: "Invalid input: expected object, received array" }]);
  });
});
