import { ApiError, toErrorResponse, type ErrorCode } from "@/lib/api/errors";
import { applyApiHeaders } from "@/lib/api/headers";

// OAuth endpoints keep their standard error shape (RFC 6749 §5.2): `{ error, error_description }`,
// 400 for a refused request, 401 for a client that failed to authenticate, never a field that
// says more than the standard asks. `withAuth(…, { errorFormat: "oauth" })` maps every error here:
// an OAuthError as thrown, anything else through the one API mapper (which logs and classifies
// database failures) and then onto the OAuth codes below.

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "insufficient_user_authentication"
  | "server_error"
  | "temporarily_unavailable";

export interface OAuthErrorOptions {
  /** Default: 401 for invalid_client, else 400. */
  status?: number;
  headers?: Record<string, string>;
  /** Standard members some errors carry (e.g. `acr_values`, `max_age` for a step-up). */
  extra?: Record<string, string | number>;
}

export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly options: OAuthErrorOptions = {},
  ) {
    super(description);
    this.status = options.status ?? (code === "invalid_client" ? 401 : 400);
  }
}

/** The OAuth error JSON with `Cache-Control: no-store`, `Pragma: no-cache` and the security headers. */
export function oauthErrorResponse(err: OAuthError): Response {
  const headers = applyApiHeaders(new Headers({ "cache-control": "no-store", pragma: "no-cache", ...err.options.headers }), { noStore: true });
  return Response.json({ error: err.code, error_description: err.description, ...err.options.extra }, { status: err.status, headers });
}

/** What an API error code means at an OAuth endpoint. */
const FROM_API: Partial<Record<ErrorCode, OAuthErrorCode>> = {
  bad_request: "invalid_request",
  validation_failed: "invalid_request",
  unsupported_media_type: "invalid_request",
  payload_too_large: "invalid_request",
  unauthenticated: "invalid_client",
  unavailable: "temporarily_unavailable",
};

/** Any error thrown in an OAuth handler, as its OAuth error response. */
export async function toOAuthErrorResponse(err: unknown, context?: Record<string, unknown>): Promise<Response> {
  if (err instanceof OAuthError) return oauthErrorResponse(err);
  // The API mapper decides what the error is (and logs the surprises); we only rename it.
  const { code, message } = err instanceof ApiError ? err : ((await toErrorResponse(err, context).json()) as { error: { code: ErrorCode; message: string } }).error;
  const mapped = FROM_API[code];
  if (mapped === "temporarily_unavailable") return oauthErrorResponse(new OAuthError(mapped, message, { status: 503, headers: { "retry-after": "5" } }));
  if (mapped) return oauthErrorResponse(new OAuthError(mapped, describe(err, message)));
  return oauthErrorResponse(new OAuthError("server_error", "Internal server error", { status: 500 }));
}

/** An API error's message, with its field details when it has them (they name the parameter). */
function describe(err: unknown, message: string): string {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return message;
  const issues = err.details.map((d) => `${d.field.replace(/^body\./, "")} ${d.message}`);
  return issues.length ? `Invalid request: ${issues.join("; ")}` : message;
}
