import { z } from "zod";
import { logger } from "@/lib/log";

// One typed error and one mapper: every /api/v1 error is
// { "error": { "code", "message", "details"? } } with the status below.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  four_eyes: 403,
  csrf: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_decided: 409,
  payload_too_large: 413,
  unsupported_media_type: 400,
  validation_failed: 422,
  rate_limited: 429,
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

export function errorResponse(code: ErrorCode, message: string, details?: unknown, headers?: HeadersInit) {
  return Response.json(errorBody(code, message, details), { status: ERROR_STATUS[code], headers });
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
  const prismaCode = prismaErrorCode(err);
  if (prismaCode === "P2002") return errorResponse("conflict", "A record with the same unique value already exists");
  if (prismaCode === "P2025") return errorResponse("not_found", "Not found");
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
