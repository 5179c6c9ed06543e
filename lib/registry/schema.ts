import { z } from "zod";
import { serverAuthIssuerSchema } from "@/lib/xaa/schema";
import { idString, queryInt, safeString } from "@/lib/validation/strings";
import { emailSchema, listQuerySchema } from "@/lib/users/schema";
import { TAG_PATTERN } from "@/lib/registry/tags";

// Console API inputs for the catalog.

export const SERVER_STATES = ["pending", "approved", "rejected", "withdrawn", "deprecated", "deleted"] as const;
export const TRANSPORTS = ["stdio", "streamable-http", "sse"] as const;
export const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;

/** GET /api/v1/servers */
export const listServersQuerySchema = listQuerySchema.extend({
  limit: queryInt(1, 100).transform((v) => v ?? 25),
  status: z.enum(SERVER_STATES, `must be one of ${SERVER_STATES.join(", ")}`).optional(),
  transport: z.enum(TRANSPORTS, `must be one of ${TRANSPORTS.join(", ")}`).optional(),
  registryType: safeString({ max: 40 }).optional(),
  risk: z.enum(RISK_LEVELS, `must be one of ${RISK_LEVELS.join(", ")}`).optional(),
  owner: idString.optional(),
  tag: safeString({ max: 40 })
    .refine((t) => TAG_PATTERN.test(t.toLowerCase()), "must be letters, digits, dots or dashes (at most 40)")
    .optional(),
  sort: z.enum(["name", "updated"], "must be name or updated").optional(),
});
export type ListServersQuery = z.infer<typeof listServersQuerySchema>;

export const serverIdParamsSchema = z.object({ id: idString });

/** POST /api/v1/servers: a server.json, as pasted, uploaded or built by the form. */
export const submitServerSchema = z.strictObject({ document: z.unknown() });

/** PATCH /api/v1/servers/{id}: console metadata. */
export const updateServerSchema = z
  .strictObject({
    ownerTeam: safeString({ max: 120, min: 0 }).nullable().optional(),
    tags: z.array(safeString({ max: 40 }).refine((t) => TAG_PATTERN.test(t.toLowerCase()), "must be letters, digits, dots or dashes (at most 40)")).max(20, "at most 20 tags").optional(),
    riskLevel: z.enum(RISK_LEVELS, `must be one of ${RISK_LEVELS.join(", ")}`).nullable().optional(),
    reviewerNotes: safeString({ max: 4000, min: 0, multiline: true }).nullable().optional(),
    /** The issuer of the authorization server in front of its MCP endpoint (XAA policies' audience). */
    authIssuer: serverAuthIssuerSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "name at least one field to change");
export type UpdateServerInput = z.infer<typeof updateServerSchema>;

/** POST /api/v1/servers/{id}/owners: a co-owner by e-mail or user id. */
export const addOwnerSchema = z
  .strictObject({ email: emailSchema.optional(), userId: idString.optional() })
  .refine((v) => !!v.email !== !!v.userId, "give exactly one of email or userId");

export const ownerParamsSchema = z.object({ id: idString, userId: idString });

export const versionParamsSchema = z.object({ id: idString, versionId: idString });

/** PUT /api/v1/servers/{id}/versions/{versionId}/status */
export const versionStatusSchema = z.strictObject({
  status: z.enum(["active", "deprecated", "deleted"], "must be active, deprecated or deleted"),
  statusMessage: safeString({ max: 1000, min: 0 }).optional(),
});

/** A server.json version string in a body or query (the version a snapshot is of). */
const versionString = safeString({ max: 255 });

/** POST /api/v1/servers/{id}/snapshots */
export const takeSnapshotSchema = z.strictObject({ version: versionString.optional() });

/** GET /api/v1/servers/{id}/snapshots */
export const listSnapshotsQuerySchema = z.object({
  version: versionString.optional(),
  cursor: safeString({ max: 300 }).optional(),
  limit: queryInt(1, 100).transform((v) => v ?? 25),
});

/** GET /api/v1/servers/{id}/snapshots/latest */
export const latestSnapshotQuerySchema = z.object({ version: versionString.optional() });

export const snapshotParamsSchema = z.object({ id: idString, snapshotId: idString });

/** A finding key: 16 hex digits. */
export const findingParamsSchema = z.object({ id: idString, key: z.string().regex(/^[0-9a-f]{16}$/, "must be a finding key (16 hex digits)") });

/** A tool name in a route (MCP tool names: 1-128 of letters, digits, _ - . /). */
export const toolParamsSchema = z.object({ id: idString, tool: z.string().regex(/^[A-Za-z0-9_.\/-]{1,128}$/, "must be a tool name (1-128 letters, digits, _ - . /)") });
