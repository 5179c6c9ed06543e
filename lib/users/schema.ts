import { z } from "zod";
import { HUMAN_ROLES, ROLES } from "@/lib/auth/permissions";
import { idString, queryInt, safeString } from "@/lib/validation/strings";

// These schemas also validate the console's forms in the browser. Zod probes for eval support
// with `new Function("")` on first parse; under our CSP (no 'unsafe-eval') the probe is refused
// and Chromium reports a CSP violation for it. jitless skips the probe (e2e/security.spec.ts).
if (typeof window !== "undefined") z.config({ jitless: true });

/** A person's role; `gateway` belongs to service accounts only. */
export const roleSchema = z.enum(HUMAN_ROLES, { error: "must be one of admin, approver, publisher, auditor (gateway is for service accounts)" });
export const serviceAccountRoleSchema = z.enum(ROLES, { error: "must be one of admin, approver, publisher, auditor, gateway" });
/** Passwords are taken as typed: not trimmed, but never control characters or broken Unicode. */
export const passwordSchema = safeString({ min: 12, max: 256, trim: false });
export const emailSchema = safeString({ max: 254 })
  .pipe(z.email("must be an e-mail address"))
  .transform((v) => v.toLowerCase());
const nameSchema = safeString({ max: 120 });
/** Why an admin made a change (role changes above all); recorded in the audit event. */
export const reasonSchema = safeString({ max: 500, multiline: true });
/** Lifetime of a new token; the upper bound in force is the tokenMaxLifetimeDays setting. */
export const expiresInDaysSchema = z.number().int("must be a whole number of days").min(1, "must be at least 1").max(3650, "must be at most 3650");

export const createUserSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({ name: nameSchema, role: roleSchema, disabled: z.boolean(), password: passwordSchema, reason: reasonSchema })
  .partial()
  .refine((v) => ["name", "role", "disabled", "password"].some((k) => k in v), {
    message: "send at least one of name, role, disabled, password",
  });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const createServiceAccountSchema = z.strictObject({
  name: safeString({ max: 64 }).pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, dot, dash or underscore")),
  role: serviceAccountRoleSchema,
  expiresInDays: expiresInDaysSchema.optional(),
});
export type CreateServiceAccountInput = z.infer<typeof createServiceAccountSchema>;

/** A token for yourself (userId omitted or your own id) or for a service account. */
export const createTokenSchema = z.strictObject({
  userId: idString.optional(),
  name: safeString({ max: 64 }),
  expiresInDays: expiresInDaysSchema.optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const idParamsSchema = z.object({ id: idString });

/** `?q=` (empty means no search), `?cursor=`, `?limit=` (1..100, default 25). */
export const listQuerySchema = z.object({
  q: safeString({ max: 200, min: 0 })
    .transform((v) => v || undefined)
    .optional(),
  cursor: safeString({ max: 200 }).optional(),
  limit: queryInt(1, 100).transform((v) => v ?? 25),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const booleanQuery = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");

/** GET /api/v1/tokens: the list query plus an owner and the expiring-soon filter. */
export const listTokensQuerySchema = listQuerySchema.extend({
  userId: idString.optional(),
  expiring: booleanQuery.optional(),
});
export type ListTokensQuery = z.infer<typeof listTokensQuerySchema>;

/** GET /api/v1/me/tokens: your own tokens; the owner is you. */
export const listOwnTokensQuerySchema = listTokensQuerySchema.omit({ userId: true });

export const setupSchema = createUserSchema.omit({ role: true }).extend({ code: safeString({ max: 64 }) });
export type SetupInput = z.infer<typeof setupSchema>;
