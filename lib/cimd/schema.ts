import { z } from "zod";
import { idString, safeString } from "@/lib/validation/strings";
import { emailSchema, listQuerySchema } from "@/lib/users/schema";

// Console API inputs for agents. The client metadata document itself is any JSON value here:
// lib/cimd/validate.ts judges it rule by rule (422 with one entry per broken rule).

export const AGENT_KINDS = ["interactive", "headless"] as const;
export const ENVIRONMENTS = ["production", "staging", "dev"] as const;
export const AGENT_STATUSES = ["unpublished", "published", "revoked", "deleted"] as const;
export const KEY_ALGS = ["ES256", "RS256"] as const;
export const KEY_PLACEMENTS = ["jwks", "jwks_uri"] as const;

/** Lower-case letters, digits and dashes, 3-63, starting and ending with a letter or digit. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export const slugSchema = z
  .string()
  .min(3, "must be at least 3 characters")
  .max(63, "must be at most 63 characters")
  .regex(SLUG_PATTERN, "must be lower-case letters, digits and dashes, starting and ending with a letter or digit");

const kind = z.enum(AGENT_KINDS, "must be interactive or headless");
const environment = z.enum(ENVIRONMENTS, "must be production, staging or dev");
const label = (max: number) => safeString({ max, min: 0 }).nullable().optional();
const servers = z.array(idString).max(200, "at most 200 servers");

/** GET /api/v1/agents */
export const listAgentsQuerySchema = listQuerySchema.extend({
  kind: kind.optional(),
  environment: environment.optional(),
  status: z.enum(AGENT_STATUSES, `must be one of ${AGENT_STATUSES.join(", ")}`).optional(),
  owner: z.enum(["me"], "must be me").optional(),
});
export type ListAgentsQuery = z.infer<typeof listAgentsQuerySchema>;

/** POST /api/v1/agents */
export const createAgentSchema = z.strictObject({
  slug: slugSchema,
  name: safeString({ max: 120 }),
  kind,
  environment: environment.optional(),
  purpose: safeString({ max: 2000, min: 0, multiline: true }).optional(),
  ownerTeam: safeString({ max: 120, min: 0 }).optional(),
  servers: servers.optional(),
  document: z.unknown().optional(),
  draft: z.boolean("must be true or false").optional(),
});
export type CreateAgentInput = z.infer<typeof createAgentSchema>;

/** PATCH /api/v1/agents/{id}: console metadata (not the served document). */
export const updateAgentSchema = z
  .strictObject({
    name: safeString({ max: 120 }).optional(),
    environment: environment.optional(),
    purpose: safeString({ max: 2000, min: 0, multiline: true }).nullable().optional(),
    ownerTeam: label(120),
    servers: servers.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "name at least one field to change");
export type UpdateAgentInput = z.infer<typeof updateAgentSchema>;

/** POST /api/v1/agents/{id}/versions */
export const submitAgentVersionSchema = z.strictObject({
  document: z.unknown(),
  discardDraft: z.boolean("must be true or false").optional(),
});

/** PUT /api/v1/agents/{id}/draft: any JSON object, kept as typed (validated on submit). */
export const saveDraftSchema = z.strictObject({
  document: z.record(z.string(), z.unknown(), "must be a JSON object"),
});

/** POST /api/v1/agents/{id}/revoke */
export const revokeAgentSchema = z.strictObject({ reason: safeString({ max: 1000, min: 0 }).optional() });

export const agentIdParamsSchema = z.object({ id: idString });
export const agentOwnerParamsSchema = z.object({ id: idString, userId: idString });
/** A key id as written in a JWK (printable ASCII, spaces kept: it is matched exactly). */
export const agentKeyParamsSchema = z.object({
  id: idString,
  kid: z.string().min(1, "is required").max(200, "must be at most 200 characters").regex(/^[\x20-\x7e]+$/, "must be printable ASCII"),
});

export const addAgentOwnerSchema = z
  .strictObject({ email: emailSchema.optional(), userId: idString.optional() })
  .refine((v) => !!v.email !== !!v.userId, "give exactly one of email or userId");

/** POST /api/v1/agents/{id}/keys */
export const addKeySchema = z.discriminatedUnion(
  "action",
  [
    z.strictObject({
      action: z.literal("generate"),
      alg: z.enum(KEY_ALGS, "must be ES256 or RS256").optional(),
      placement: z.enum(KEY_PLACEMENTS, "must be jwks or jwks_uri").optional(),
    }),
    z.strictObject({
      action: z.literal("register"),
      jwk: z.record(z.string(), z.unknown(), "must be a JWK (a JSON object)"),
      placement: z.enum(KEY_PLACEMENTS, "must be jwks or jwks_uri").optional(),
    }),
  ],
  "must be generate or register",
);
export type AddKeyInput = z.infer<typeof addKeySchema>;

/** GET /api/v1/agents/client-ids */
export const exportQuerySchema = z.object({ format: z.enum(["json", "text"], "must be json or text").optional() });

