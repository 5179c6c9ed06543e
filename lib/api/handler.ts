import { z } from "zod";
import { ApiError, toErrorResponse, zodIssues, type FieldIssue } from "@/lib/api/errors";
import { withApiHeaders } from "@/lib/api/headers";
import { toOAuthErrorResponse } from "@/lib/api/oauth-errors";
import { can, type Actor } from "@/lib/auth/actor";
import { authenticate } from "@/lib/auth/authenticate";
import type { Permission } from "@/lib/auth/permissions";
import { textProblem } from "@/lib/validation/strings";

// The one wrapper for /api/v1 route handlers: authentication (session cookie or bearer token),
// permission, CSRF for cookie-authenticated mutations, body/query/params validation with zod, and
// error mapping. Handler bodies read parse -> act -> respond.
//
// Standard endpoints plug in what differs: `auth: "none"` skips the console's authentication
// (no cookie, no CSRF: the OAuth token endpoint authenticates its clients itself), `bodyFormat:
// "form"` reads application/x-www-form-urlencoded (each parameter once, the same text checks),
// and `errorFormat: "oauth"` answers RFC 6749 `{ error, error_description }` (lib/api/oauth-errors.ts).
//
// Before any schema runs, the wrapper refuses what no schema should ever have to think about, so
// no input can reach the database or a recursive parser in a shape that makes it fail: a body
// that is not UTF-8, nests deeper than MAX_JSON_DEPTH, has a `__proto__` key, a number JSON
// cannot represent, or a string with control characters or lone surrogates; a query parameter
// given twice; a query or route parameter with control characters or lone surrogates.
// Responses are marked personal (`Cache-Control: no-store` unless the handler set one) and carry
// the security headers. Authentication and permission come first (401/403 before 422).

export const MAX_BODY_BYTES = 1_048_576;
/** Form bodies (OAuth requests) are small: a few tokens and parameters. */
export const MAX_FORM_BYTES = 65_536;
/** Arrays and objects nested deeper than this are refused (400) before JSON.parse. */
export const MAX_JSON_DEPTH = 64;

export interface HandlerContext<B, Q, P, A = Actor> {
  req: Request;
  actor: A;
  body: B;
  query: Q;
  params: P;
}

interface Options<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  permission: Permission | null;
  /** "none": no console authentication at all (the handler authenticates its callers itself). */
  auth?: "console" | "none";
  body?: B;
  /** How the body is read before `body` validates it (default json). */
  bodyFormat?: "json" | "form";
  query?: Q;
  params?: P;
  /** The error shape (default api: `{ error: { code, message } }`; oauth: RFC 6749). */
  errorFormat?: "api" | "oauth";
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export async function readJsonBody(req: Request): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new ApiError("unsupported_media_type", "Content-Type must be application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  const text = await readLimited(req, MAX_BODY_BYTES);
  if (!text.trim()) throw new ApiError("bad_request", "Request body is empty; send a JSON object");
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError("bad_request", `Request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Request body is not valid JSON");
  }
  const issues = jsonValueIssues(value);
  if (issues.length > 0) throw new ApiError("validation_failed", `Invalid ${issues.map((d) => d.field).join(", ")}`, issues);
  return value;
}

/**
 * An application/x-www-form-urlencoded body as an object of strings: UTF-8 only, at most
 * MAX_FORM_BYTES, each parameter given once, empty ones left out (RFC 6749 §3.1), names and
 * values checked like query parameters.
 */
export async function readFormBody(req: Request): Promise<Record<string, string>> {
  const [type, ...parameters] = (req.headers.get("content-type") ?? "").split(";").map((p) => p.trim().toLowerCase());
  if (type !== "application/x-www-form-urlencoded") throw new ApiError("unsupported_media_type", "Content-Type must be application/x-www-form-urlencoded");
  const charset = parameters.find((p) => p.startsWith("charset="))?.slice(8).replace(/"/g, "");
  if (charset && charset !== "utf-8") throw new ApiError("unsupported_media_type", "The form must be UTF-8");
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) throw new ApiError("payload_too_large", `Request body exceeds ${MAX_FORM_BYTES} bytes`);
  return formObject(await readLimited(req, MAX_FORM_BYTES));
}

/** Parses form text (see readFormBody); refuses a malformed %-escape, a repeated or unsafe parameter. */
export function formObject(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      throw new ApiError("bad_request", "Request body is not valid application/x-www-form-urlencoded (a %-escape is malformed or not UTF-8)");
    }
  };
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decode(part.slice(eq + 1));
    const keyProblem = textProblem(key, false);
    if (keyProblem) {
      issues.push({ field: "(body)", message: `has a parameter name that ${keyProblem}` });
      continue;
    }
    if (key === "__proto__") {
      issues.push({ field: key, message: "is not an allowed parameter name" });
      continue;
    }
    if (value === "") continue;
    if (Object.hasOwn(out, key)) {
      if (!issues.some((i) => i.field === key)) issues.push({ field: key, message: "must be given at most once" });
      continue;
    }
    const problem = textProblem(value, false);
    if (problem) issues.push({ field: key, message: problem });
    out[key] = value;
  }
  if (issues.length > 0) refuse(issues);
  return out;
}

/** True when `[`/`{` nest deeper than `limit` outside strings (checked on the text, so no
 * recursive parser ever sees the value). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const MAX_REPORTED_ISSUES = 20;

/**
 * Problems in a parsed body that hold whatever the schema: `__proto__` keys, non-finite numbers
 * (1e400), strings (values or keys) with control characters other than tab and line breaks, or
 * lone surrogates. Iterative, so depth cannot exhaust the stack.
 */
export function jsonValueIssues(root: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const field = (path: string[]) => path.join(".") || "(body)";
  // Depth-first in document order; a bad key is queued as its issue, so it is reported in place.
  const stack: ({ value: unknown; path: string[] } | { issue: FieldIssue })[] = [{ value: root, path: [] }];
  while (stack.length > 0 && issues.length < MAX_REPORTED_ISSUES) {
    const next = stack.pop()!;
    if ("issue" in next) {
      issues.push(next.issue);
      continue;
    }
    const { value, path } = next;
    if (typeof value === "string") {
      const problem = textProblem(value, true);
      if (problem) issues.push({ field: field(path), message: problem });
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) issues.push({ field: field(path), message: "must be a finite number" });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, String(i)] });
    } else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value).reverse()) {
        const keyProblem = textProblem(key, false);
        if (key === "__proto__") stack.push({ issue: { field: field([...path, key]), message: "is not an allowed field name" } });
        else if (keyProblem) stack.push({ issue: { field: field(path), message: `has a field name that ${keyProblem}` } });
        else stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return issues;
}

async function readLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ApiError("payload_too_large", `Request body exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("bad_request", "Request body is not valid UTF-8");
  }
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = zodIssues(r.error, where === "body" ? undefined : where);
  throw new ApiError("validation_failed", `Invalid ${details.map((d) => d.field).join(", ")}`, details);
}

function refuse(issues: FieldIssue[]): never {
  throw new ApiError("validation_failed", `Invalid ${issues.map((d) => d.field).join(", ")}`, issues);
}

/**
 * The query string as an object of strings, each parameter given once, with no control
 * characters or lone surrogates in names or values (refused with a 422 naming the parameter).
 */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  for (const [key, value] of url.searchParams) {
    const keyProblem = textProblem(key, false);
    if (keyProblem) {
      issues.push({ field: "query", message: `has a parameter name that ${keyProblem}` });
      continue;
    }
    if (key === "__proto__") {
      issues.push({ field: `query.${key}`, message: "is not an allowed parameter name" });
      continue;
    }
    if (Object.hasOwn(out, key)) {
      if (!issues.some((i) => i.field === `query.${key}`)) issues.push({ field: `query.${key}`, message: "must be given at most once" });
      continue;
    }
    const problem = textProblem(value, false);
    if (problem) issues.push({ field: `query.${key}`, message: problem });
    out[key] = value;
  }
  if (issues.length > 0) refuse(issues);
  return out;
}

/** Route params as Next passes them (decoded), checked like query values. */
export function paramsObject(raw: unknown): Record<string, string | string[]> {
  if (typeof raw !== "object" || raw === null) return {};
  const issues: FieldIssue[] = [];
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    const bad = values.find((v) => typeof v !== "string" || textProblem(v, false));
    if (bad !== undefined) {
      issues.push({ field: `params.${key}`, message: typeof bad === "string" ? textProblem(bad, false)! : "is not text" });
      continue;
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (issues.length > 0) refuse(issues);
  return out;
}

type RouteHandler = (req: Request, route?: RouteContext) => Promise<Response>;

/** A route whose callers are not console users: no actor, the handler authenticates them. */
export function withAuth<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
  handler: (ctx: HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>, null>) => Promise<Response>,
  options: Options<B, Q, P> & { auth: "none"; permission: null },
): RouteHandler;
export function withAuth<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
  handler: (ctx: HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Response>,
  options: Options<B, Q, P> & { auth?: "console" },
): RouteHandler;
export function withAuth<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  // `never`: either overload's handler fits; the context it gets is built below.
  handler: (ctx: HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>, never>) => Promise<Response>,
  options: Options<B, Q, P>,
): RouteHandler {
  return async (req: Request, route?: RouteContext): Promise<Response> => {
    let res: Response;
    try {
      const actor = options.auth === "none" ? null : await authenticate(req);
      if (options.permission && !can(actor, options.permission)) {
        throw new ApiError("forbidden", `This needs the ${options.permission} permission`);
      }
      // Checked for every route, with or without a schema: nothing malformed reaches a handler.
      const rawParams = paramsObject(route ? await route.params : {});
      const rawQuery = queryObject(new URL(req.url));
      const params = options.params ? validate(options.params, rawParams, "params") : undefined;
      const query = options.query ? validate(options.query, rawQuery, "query") : undefined;
      const body = options.body ? validate(options.body, options.bodyFormat === "form" ? await readFormBody(req) : await readJsonBody(req), "body") : undefined;
      res = await handler({ req, actor, body, query, params } as HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>, never>);
    } catch (err) {
      const context = { method: req.method, path: safePath(req.url) };
      res = options.errorFormat === "oauth" ? await toOAuthErrorResponse(err, context) : toErrorResponse(err, context);
    }
    // Everything behind authentication is personal: never stored by a shared cache.
    return withApiHeaders(res, { noStore: true });
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "(unparsable)";
  }
}
