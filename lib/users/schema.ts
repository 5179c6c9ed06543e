import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

// These schemas also validate the console's forms in the browser. Zod probes for eval support
// with `new Function("")` on first parse; under our CSP (no 'unsafe-eval') the probe is refused
// and Chromium reports a CSP violation for it. jitless skips the probe (e2e/security.spec.ts).
if (typeof window !== "undefined") z.config({ jitless: true });

export const roleSchema = z.enum(ROLES);
export const passwordSchema = z.string().min(12, "must be at least 12 characters").max(256);
export const emailSchema = z
  .email("must be an e-mail address")
  .max(254)
  .transform((v) => v.toLowerCase());
const nameSchema = z.string().trim().min(1, "is required").max(120);

export const createUserSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({ name: nameSchema, role: roleSchema, disabled: z.boolean(), password: passwordSchema })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one of name, role, disabled, password" });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const createServiceAccountSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, dot, dash or underscore"),
  role: roleSchema,
});
export type CreateServiceAccountInput = z.infer<typeof createServiceAccountSchema>;

export const createTokenSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  name: z.string().trim().min(1, "is required").max(64),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const setupSchema = createUserSchema.omit({ role: true }).extend({ code: z.string().trim().min(1, "is required").max(64) });
export type SetupInput = z.infer<typeof setupSchema>;
