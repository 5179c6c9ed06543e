import { z } from "zod";
import { idString, queryInt, safeString } from "@/lib/validation/strings";
import { listQuerySchema } from "@/lib/users/schema";

// Delegation policies (enterprise-managed authorization, XAA; docs/xaa.md): the one schema for
// the API, the editor's advanced view and the simulator. `policyInputSchema` is what a caller
// sends (optional parts default); `PolicyDocument` is the normalised form stored in a version and
// read by the evaluation function (lib/xaa/evaluate.ts).

if (typeof window !== "undefined") z.config({ jitless: true });

export const MAX_TOKEN_LIFETIME_SECONDS = 3600;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;
/** A group that matches every subject (written explicitly, never implied by an empty list). */
export const EVERYONE = "*";

const list = (item: z.ZodType<string>, max: number) =>
  z
    .array(item)
    .max(max, `must list at most ${max}`)
    .transform((v) => [...new Set(v)]);

/** An OAuth scope token (RFC 6749 §3.3: printable ASCII without space, quote or backslash). */
export const scopeString = z
  .string()
  .min(1, "is required")
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "must be an OAuth scope token (printable ASCII, no spaces, quotes or backslashes)");

/** A client_id: a Portcullis agent's URL or an external one (a URL or an opaque id). */
export const clientIdString = safeString({ max: 2000 });
const groupString = safeString({ max: 200 });
/** A user by e-mail (compared lower-cased) or by `sub` (exact). */
const userString = safeString({ max: 320 });

const httpsOrLoopback = (what: string) =>
  safeString({ max: 2000 }).pipe(
    z.string().refine((v) => {
      try {
        const u = new URL(v);
        if (u.hash || u.username || u.password) return false;
        return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
      } catch {
        return false;
      }
    }, `must be an https URL (the ${what}; http only on a loopback host), without fragment or credentials`),
  );

const instant = z.iso.datetime({ offset: true, error: "must be an RFC 3339 date-time with a time zone" }).nullable();

const subjectSetSchema = z.strictObject({
  groups: list(groupString, 200).default([]),
  users: list(userString, 1000).default([]),
});

export const policyInputSchema = z
  .strictObject({
    name: safeString({ max: 200 }),
    description: safeString({ max: 2000, multiline: true, min: 0 }).optional(),
    effect: z.enum(["allow", "deny"], { error: "must be allow or deny" }),
    agents: list(clientIdString, 200).pipe(z.array(z.string()).min(1, "must name at least one agent (client_id)")),
    subjects: z.strictObject({
      include: subjectSetSchema,
      exclude: subjectSetSchema.default({ groups: [], users: [] }),
    }),
    target: z.strictObject({
      server: safeString({ max: 200 }),
      audience: httpsOrLoopback("authorization server's issuer"),
      resource: httpsOrLoopback("MCP endpoint's RFC 9728 resource identifier").optional(),
    }),
    scopes: list(scopeString, 200).default([]),
    conditions: z
      .strictObject({
        validFrom: instant.default(null),
        validUntil: instant.default(null),
        environments: list(safeString({ max: 64 }), 50).default([]),
        maxTokenLifetimeSeconds: z
          .number()
          .int("must be a whole number of seconds")
          .min(30, "must be at least 30")
          .max(MAX_TOKEN_LIFETIME_SECONDS, `must be at most ${MAX_TOKEN_LIFETIME_SECONDS}`)
          .default(DEFAULT_TOKEN_LIFETIME_SECONDS),
        stepUp: z
          .strictObject({
            scopes: list(scopeString, 200).default([]),
            acr: safeString({ max: 200 }).nullable().default(null),
            maxAgeSeconds: z.number().int("must be a whole number of seconds").min(0, "must be at least 0").max(31_536_000, "must be at most a year").nullable().default(null),
          })
          .default({ scopes: [], acr: null, maxAgeSeconds: null }),
      })
      .default({ validFrom: null, validUntil: null, environments: [], maxTokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS, stepUp: { scopes: [], acr: null, maxAgeSeconds: null } }),
  })
  .superRefine((p, ctx) => {
    if (p.subjects.include.groups.length === 0 && p.subjects.include.users.length === 0) {
      ctx.addIssue({ code: "custom", path: ["subjects", "include"], message: `must name at least one group or user (the group "${EVERYONE}" means everyone)` });
    }
    if (p.effect === "allow" && p.scopes.length === 0) ctx.addIssue({ code: "custom", path: ["scopes"], message: "an allow policy must grant at least one scope" });
    const { validFrom, validUntil, stepUp } = p.conditions;
    if (validFrom && validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
      ctx.addIssue({ code: "custom", path: ["conditions", "validUntil"], message: "must be later than validFrom" });
    }
    const extra = stepUp.scopes.filter((s) => !p.scopes.includes(s));
    if (extra.length) ctx.addIssue({ code: "custom", path: ["conditions", "stepUp", "scopes"], message: `must be among the policy's scopes (not ${extra.join(", ")})` });
    if (p.effect === "deny" && (stepUp.scopes.length || stepUp.acr !== null || stepUp.maxAgeSeconds !== null)) {
      ctx.addIssue({ code: "custom", path: ["conditions", "stepUp"], message: "a deny policy has no step-up: it denies whatever the authentication" });
    }
    if (stepUp.scopes.length && stepUp.acr === null && stepUp.maxAgeSeconds === null) {
      ctx.addIssue({ code: "custom", path: ["conditions", "stepUp"], message: "step-up scopes need an acr, a maxAgeSeconds, or both" });
    }
  });
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** A stored, normalised policy: the resource is always known (defaulted from the server). */
export type PolicyDocument = Omit<PolicyInput, "target"> & { target: { server: string; audience: string; resource: string } };

export const policyParamsSchema = z.object({ id: idString });

export const POLICY_FILTERS = ["active", "pending", "disabled", "all"] as const;
export const listPoliciesQuerySchema = listQuerySchema.extend({
  state: z.enum(POLICY_FILTERS, { error: `must be one of ${POLICY_FILTERS.join(", ")}` }).optional(),
  server: safeString({ max: 200 }).optional(),
  agent: clientIdString.optional(),
  effect: z.enum(["allow", "deny"], { error: "must be allow or deny" }).optional(),
});
export type ListPoliciesQuery = z.infer<typeof listPoliciesQuerySchema>;

/** A subject as the decision point sees it. `authTime` is epoch seconds (the ID token's auth_time). */
export const decisionSubjectSchema = z.strictObject({
  sub: safeString({ max: 320 }),
  email: safeString({ max: 320 }).nullable().optional(),
  groups: list(groupString, 500).default([]),
  acr: safeString({ max: 200 }).nullable().optional(),
  auth_time: z
    .number()
    .int("must be epoch seconds")
    .min(0)
    .refine((t) => t <= Date.now() / 1000 + 300, "must not be in the future")
    .nullable()
    .optional(),
});

/** POST /api/v1/xaa/decisions (SPECS.md §3; docs/xaa.md). */
export const decisionRequestSchema = z
  .strictObject({
    client_id: clientIdString,
    subject: decisionSubjectSchema,
    audience: safeString({ max: 2000 }).nullable().optional(),
    resource: safeString({ max: 2000 }).nullable().optional(),
    scopes: list(scopeString, 200).default([]),
    environment: safeString({ max: 64 }).nullable().optional(),
  })
  .refine((r) => !!r.audience || !!r.resource, { path: ["audience"], message: "give an audience, a resource, or both" });
export type DecisionRequestInput = z.infer<typeof decisionRequestSchema>;

/** POST /api/v1/policies/simulate: a decision request against the active policies, or with one
 * version (under review) in place of its policy's active version. */
export const simulateSchema = z.strictObject({
  client_id: clientIdString,
  subject: decisionSubjectSchema,
  /** A catalog server name: fills audience and resource from the policies that target it. */
  server: safeString({ max: 200 }).optional(),
  audience: safeString({ max: 2000 }).nullable().optional(),
  resource: safeString({ max: 2000 }).nullable().optional(),
  scopes: list(scopeString, 200).default([]),
  environment: safeString({ max: 64 }).nullable().optional(),
  /** Evaluate as if this policy version were the active one of its policy. */
  versionId: idString.optional(),
  at: z.iso.datetime({ offset: true, error: "must be an RFC 3339 date-time" }).optional(),
});
export type SimulateInput = z.infer<typeof simulateSchema>;

export const matrixQuerySchema = z.object({
  server: safeString({ max: 200 }),
  versionId: idString.optional(),
  /** At most this many agents and this many groups (cells = agents × groups). */
  limit: queryInt(1, 50, 25),
});

export const serverAuthIssuerSchema = httpsOrLoopback("authorization server's issuer").nullable();
