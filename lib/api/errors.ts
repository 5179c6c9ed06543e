import { z } from "zod";
import { applyApiHeaders } from "@/lib/api/headers";
import { logger } from "@/lib/log";

// One typed error and one mapper: every /api/v1 error is
// { "error": { "code", "message", "details"? } } with the status below.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  four_eyes: 403,
  csrf: 403,
  password_change_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_decided: 409,
  payload_too_large: 413,
  unsupported_media_type: 400,
  validation_failed: 422,
  rate_limited: 429,
  /** A remote the console called (an MCP server being snapshotted) failed or misbehaved. */
  snapshot_failed: 502,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: FieldIssue[] | Record<string, unknown>,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The error JSON with its status, the security headers and `Cache-Control: no-store`. */
export function errorResponse(code: ErrorCode, message: string, details?: unknown, headers?: HeadersInit) {
  return Response.json(errorBody(code, message, details), {
    status: ERROR_STATUS[code],
    headers: applyApiHeaders(new Headers(headers), { noStore: true }),
  });
}

export function zodIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  const field = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join(".") || "(body)";
  // An unknown key is reported on its parent object; name each key instead, so details name fields.
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ field: field([...i.path, k]), message: "is not a known field" }))
      : [{ field: field(i.path), message: i.message }],
  );
}

/** Maps anything thrown in a handler to the error JSON; only true surprises become a 500. */
export function toErrorResponse(err: unknown, context?: Record<string, unknown>): Response {
  if (err instanceof ApiError) return errorResponse(err.code, err.message, err.details);
  if (err instanceof z.ZodError) {
    const issues = zodIssues(err);
    return errorResponse("validation_failed", `Invalid ${issues.map((i) => i.field).join(", ")}`, issues);
  }
  const kind = classifyDatabaseError(err);
  switch (kind) {
    case "unavailable":
      logger().warn({ err, ...context }, "database unavailable");
      return errorResponse("unavailable", "The database is unavailable; try again shortly", undefined, { "retry-after": "5" });
    case "exists":
      return errorResponse("conflict", "A record with the same unique value already exists");
    case "missing":
      return errorResponse("not_found", "Not found");
    case "reference":
      return errorResponse("conflict", "The request refers to a record that does not exist, or one that is still referenced");
    case "write_conflict":
      return errorResponse("conflict", "The request conflicted with a concurrent change; try again");
    case "unstorable":
      // A schema let through a value the database refuses: answer as bad input, and log it so
      // the schema can be tightened.
      logger().warn({ err, ...context }, "database refused a value from the request");
      return errorResponse("validation_failed", "A value in the request cannot be stored: it is too long, out of range or not valid text");
  }
  logger().error({ err, ...context }, "unhandled error in API handler");
  return errorResponse("internal", "Internal server error");
}

/** Prisma's known-request error code (P2002 unique, P2025 not found), by shape: the class may
 * come from more than one copy of the runtime (custom server and Next bundle). */
export function prismaErrorCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && (err as { name?: unknown }).name === "PrismaClientKnownRequestError") {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export type DatabaseErrorKind = "unavailable" | "exists" | "missing" | "reference" | "write_conflict" | "unstorable";

// Prisma codes a client's request can provoke (https://www.prisma.io/docs/orm/reference/error-reference).
const PRISMA_CODES: Record<string, DatabaseErrorKind> = {
  P1000: "unavailable", // authentication failed
  P1001: "unavailable", // can't reach database server
  P1002: "unavailable", // timed out
  P1003: "unavailable", // database does not exist
  P1008: "unavailable", // operation timed out
  P1010: "unavailable", // access denied
  P1011: "unavailable", // TLS
  P1017: "unavailable", // server closed the connection
  P2024: "unavailable", // timed out fetching a connection from the pool
  P2028: "unavailable", // transaction API error (timed out, closed)
  P2002: "exists",
  P2025: "missing",
  P2003: "reference",
  P2034: "write_conflict",
  P2000: "unstorable", // value too long for the column
  P2005: "unstorable", // stored value invalid for the type
  P2006: "unstorable", // provided value not valid
  P2007: "unstorable", // data validation error
  P2019: "unstorable", // input error
  P2020: "unstorable", // value out of range for the type
  P2023: "unstorable", // inconsistent column data
  P2033: "unstorable", // number does not fit in a 64-bit integer
};

// Driver adapter error kinds (@prisma/driver-adapter-utils) and what they mean here.
const ADAPTER_KINDS: Record<string, DatabaseErrorKind> = {
  DatabaseNotReachable: "unavailable",
  DatabaseDoesNotExist: "unavailable",
  DatabaseAccessDenied: "unavailable",
  AuthenticationFailed: "unavailable",
  TlsConnectionError: "unavailable",
  ConnectionClosed: "unavailable",
  SocketTimeout: "unavailable",
  TooManyConnections: "unavailable",
  UniqueConstraintViolation: "exists",
  ForeignKeyConstraintViolation: "reference",
  TransactionWriteConflict: "write_conflict",
  LengthMismatch: "unstorable",
  ValueOutOfRange: "unstorable",
};

// Node socket errors, SQLite result codes and messages that mean "the database is not there".
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "SQLITE_CANTOPEN",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_READONLY",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_CORRUPT",
  "SQLITE_NOTADB",
  "SQLITE_PROTOCOL",
]);
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|Cannot open database|unable to open database file|database is locked|timeout exceeded when trying to connect|Connection terminated|connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;
// Query engine failures on values it cannot encode (a lone surrogate in a string, a BigInt or a
// date beyond the column's range).
const UNSTORABLE_MESSAGE = /JSON Error: unexpected end of hex escape|lone leading surrogate|Could not convert argument value|invalid byte sequence/i;

/** A PostgreSQL SQLSTATE, mapped by class: 22 data exception, 23 integrity, 08/53/57 availability. */
function sqlStateKind(code: string): DatabaseErrorKind | undefined {
  if (!/^[0-9]{2}[0-9A-Z]{3}$/.test(code)) return undefined;
  if (code === "23505") return "exists";
  if (code === "23503") return "reference";
  if (code === "40001" || code === "40P01") return "write_conflict";
  if (code.startsWith("22")) return "unstorable";
  if (code.startsWith("08") || code.startsWith("53") || code.startsWith("57")) return "unavailable";
  return undefined;
}

/**
 * What a database error means for the client, by shape (Prisma errors, driver adapter errors,
 * pg and better-sqlite3 errors, along their `cause` chain), or undefined when it is not one.
 */
export function classifyDatabaseError(err: unknown): DatabaseErrorKind | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && typeof e === "object" && e !== null; depth++) {
    const o = e as { name?: unknown; code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    const name = typeof o.name === "string" ? o.name : "";
    const code = typeof o.code === "string" ? o.code : "";
    const message = typeof o.message === "string" ? o.message : "";
    if (name === "PrismaClientInitializationError") return "unavailable";
    if (name === "PrismaClientKnownRequestError" && PRISMA_CODES[code]) return PRISMA_CODES[code];
    // The adapter's own error, either wrapped in a Prisma error's meta or thrown as is.
    const adapter = (o.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError?.cause;
    // A pg DatabaseError (thrown as is by pg itself) carries a SQLSTATE and a severity.
    const pgError = typeof (o as { severity?: unknown }).severity === "string" ? o : undefined;
    for (const c of [adapter, name === "DriverAdapterError" ? o.cause : undefined, pgError]) {
      if (typeof c !== "object" || c === null) continue;
      const k = (c as { kind?: unknown }).kind;
      if (typeof k === "string" && ADAPTER_KINDS[k]) return ADAPTER_KINDS[k];
      for (const sc of [(c as { originalCode?: unknown }).originalCode, (c as { code?: unknown }).code]) {
        const kind = typeof sc === "string" ? sqlStateKind(sc) : undefined;
        if (kind) return kind;
      }
    }
    if (UNAVAILABLE_CODES.has(code) || [...UNAVAILABLE_CODES].some((c) => c.startsWith("SQLITE_") && code.startsWith(`${c}_`))) return "unavailable";
    if (name.startsWith("PrismaClient") || name === "DriverAdapterError" || name === "SqliteError" || name === "TypeError" || name === "Error") {
      if (UNAVAILABLE_MESSAGE.test(message)) return "unavailable";
      if (name.startsWith("PrismaClient") && name !== "PrismaClientValidationError" && UNSTORABLE_MESSAGE.test(message)) return "unstorable";
    }
    e = o.cause;
  }
  return undefined;
}
