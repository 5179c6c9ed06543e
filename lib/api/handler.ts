import { z } from "zod";
import { ApiError, toErrorResponse, zodIssues } from "@/lib/api/errors";
import { can, type Actor } from "@/lib/auth/actor";
import { authenticate } from "@/lib/auth/authenticate";
import type { Permission } from "@/lib/auth/permissions";

// The one wrapper for /api/v1 route handlers: authentication (session cookie or bearer token),
// permission, CSRF for cookie-authenticated mutations, body/query/params validation with zod, and
// error mapping. Handler bodies read parse -> act -> respond.

export const MAX_BODY_BYTES = 1_048_576;

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
