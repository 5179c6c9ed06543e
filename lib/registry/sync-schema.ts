import { z } from "zod";
import { idString, safeString } from "@/lib/validation/strings";

// Inputs of the upstream sync (console API and forms) and the shape of what an upstream
// registry answers (validated before anything of it is used).

export const MAX_INTERVAL_MINUTES = 10_080;

/**
 * An upstream's base URL: absolute http(s), no credentials, query or fragment. A trailing
 * "/v0.1" or "/v0.1/servers" (what people paste) and trailing slashes are dropped. Whether the
 * host may be reached is the SSRF guard's decision at fetch time, not this schema's.
 */
export const upstreamUrlSchema = safeString({ max: 500 }).transform((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an absolute URL, e.g. https://registry.modelcontextprotocol.io" });
    return z.NEVER;
  }
  const problem =
    url.protocol !== "https:" && url.protocol !== "http:"
      ? "must be an https (or http) URL"
      : url.username || url.password
        ? "must not contain credentials (user:password@)"
        : url.search || url.hash || raw.includes("?") || raw.includes("#")
          ? "must not have a query or fragment"
          : null;
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v0\.1(\/servers)?$/, "").replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
});

const intervalMinutes = z
  .number("must be a whole number of minutes")
  .int("must be a whole number of minutes")
  .min(0, "must be at least 0 (0 syncs only on demand)")
  .max(MAX_INTERVAL_MINUTES, `must be at most ${MAX_INTERVAL_MINUTES} (one week)`);

const upstreamFields = z.strictObject({
  name: safeString({ max: 80 }),
  baseUrl: upstreamUrlSchema,
  intervalMinutes,
  enabled: z.boolean("must be true or false"),
});

/** POST /api/v1/upstreams */
export const createUpstreamSchema = upstreamFields.extend({
  intervalMinutes: intervalMinutes.default(60),
  enabled: upstreamFields.shape.enabled.default(true),
});
export type CreateUpstreamInput = z.infer<typeof createUpstreamSchema>;

/** PATCH /api/v1/upstreams/{id}; `updatedSince: null` makes the next run a full one. */
export const updateUpstreamSchema = upstreamFields
  .partial()
  .extend({ updatedSince: z.null().optional() })
  .refine((v) => Object.keys(v).length > 0, "name at least one field to change");
export type UpdateUpstreamInput = z.infer<typeof updateUpstreamSchema>;

export const upstreamIdParamsSchema = z.object({ id: idString });
export const ruleIdParamsSchema = z.object({ id: idString, ruleId: idString });

// A reverse-DNS namespace ("io.github.acme/") or one exact server name ("io.github.acme/weather").
const NAMESPACE = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+\/([a-zA-Z0-9._-]+)?$/;

/** POST /api/v1/upstreams/{id}/rules */
export const createRuleSchema = z.strictObject({
  namespace: safeString({ max: 200 }).refine(
    (v) => v.length >= 3 && NAMESPACE.test(v),
    'must be a reverse-DNS namespace ending in "/" (io.github.acme/) or an exact server name (io.github.acme/weather)',
  ),
  comment: safeString({ max: 1000, min: 0, multiline: true }).optional(),
});
export type CreateRuleInput = z.infer<typeof createRuleSchema>;

/** True when a rule's namespace covers a server name: a prefix ending in "/", or the exact name. */
export function ruleMatches(namespace: string, serverName: string): boolean {
  return namespace.endsWith("/") ? serverName.startsWith(namespace) : serverName === namespace;
}

// What an upstream answers: GET <base>/v0.1/servers. Entries are checked one by one later, so
// one bad entry is a rejection, not a failed page.
export const upstreamPageSchema = z.object({
  servers: z.array(z.unknown()).max(1000),
  metadata: z
    .object({
      nextCursor: z.string().max(2000).nullable().optional(),
      count: z.number().optional(),
    })
    .optional(),
});

export const OFFICIAL_META = "io.modelcontextprotocol.registry/official";

export const upstreamEntrySchema = z.object({
  server: z.object({ name: z.string().max(200), version: z.string().max(255) }).loose(),
  _meta: z
    .object({
      [OFFICIAL_META]: z
        .object({
          status: z.enum(["active", "deprecated", "deleted"]).optional(),
          statusMessage: z.string().max(500).nullable().optional(),
          updatedAt: z.iso.datetime({ offset: true }).optional(),
          isLatest: z.boolean().optional(),
        })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
});
export type UpstreamEntry = z.infer<typeof upstreamEntrySchema>;
