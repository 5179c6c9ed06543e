import { z } from "zod";
import { ApiError, toErrorResponse, zodIssues } from "@/lib/api/errors";
import { actorFromBearer, actorFromSessionCookie, bearerFrom, can, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { env } from "@/lib/env";

// The one wrapper for /api/v1 route handlers: authentication (session cookie or bearer token),
// permission, CSRF for cookie-authenticated mutations, body/query/params validation with zod, and
// error mapping. Handler bodies read parse -> act -> respond.

export const MAX_BODY_BYTES = 1_048_576;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface HandlerContext<B, Q, P> {
  req: Request;
  actor: Actor;
  body: B;
  query: Q;
  params: P;
}

interface Options<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  permission: Permission | null;
  body?: B;
  query?: Q;
  params?: P;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export async function authenticate(req: Request): Promise<Actor> {
  const creds = bearerFrom(req.headers.get("authorization"));
  if (creds.kind === "malformed") throw new ApiError("unauthenticated", "Authorization header must be `Bearer <token>`");
  if (creds.kind === "bearer") {
    const actor = await actorFromBearer(creds.token);
    if (!actor) throw new ApiError("unauthenticated", "Invalid, expired or revoked token");
    return actor;
  }
  const actor = await actorFromSessionCookie(req.headers.get("cookie"));
  if (!actor) throw new ApiError("unauthenticated", "Sign in or send an API token");
  if (!SAFE_METHODS.has(req.method)) checkSameOrigin(req);
  return actor;
}

/** CSRF: a cookie-authenticated mutation must come from our own origin. */
export function checkSameOrigin(req: Request) {
  const origin = req.headers.get("origin");
  if (origin) {
    const allowed = new Set([new URL(env().PUBLIC_BASE_URL).origin]);
    const host = req.headers.get("host");
    if (host) {
      const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
      allowed.add(`${proto}://${host}`);
    }
    if (allowed.has(origin)) return;
    throw new ApiError("csrf", "Cross-site request refused");
  }
  if (req.headers.get("sec-fetch-site") === "same-origin") return;
  throw new ApiError("csrf", "Cross-site request refused: Origin header missing");
}

export async function readJsonBody(req: Request): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new ApiError("unsupported_media_type", "Content-Type must be application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  const text = await readLimited(req, MAX_BODY_BYTES);
  if (!text.trim()) throw new ApiError("bad_request", "Request body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Request body is not valid JSON");
  }
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
  return Buffer.concat(chunks).toString("utf8");
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = zodIssues(r.error, where === "body" ? undefined : where);
  throw new ApiError("validation_failed", `Invalid ${details.map((d) => d.field).join(", ")}`, details);
}

export function withAuth<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(
  handler: (ctx: HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Response>,
  options: Options<B, Q, P>,
) {
  return async (req: Request, route?: RouteContext): Promise<Response> => {
    try {
      const actor = await authenticate(req);
      if (options.permission && !can(actor, options.permission)) {
        throw new ApiError("forbidden", `This needs the ${options.permission} permission`);
      }
      const params = options.params ? validate(options.params, route ? await route.params : {}, "params") : undefined;
      const query = options.query
        ? validate(options.query, Object.fromEntries(new URL(req.url).searchParams), "query")
        : undefined;
      const body = options.body ? validate(options.body, await readJsonBody(req), "body") : undefined;
      return await handler({ req, actor, body, query, params } as HandlerContext<z.infer<B>, z.infer<Q>, z.infer<P>>);
    } catch (err) {
      return toErrorResponse(err, { method: req.method, path: new URL(req.url).pathname });
    }
  };
}
