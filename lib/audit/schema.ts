import { z } from "zod";
import { idString, instantString, queryInt, safeString } from "@/lib/validation/strings";

const stream = safeString({ max: 100 });

export const listAuditQuerySchema = z
  .object({
    stream: stream.optional(),
    actor: safeString({ max: 200 }).optional(),
    action: safeString({ max: 100 }).optional(),
    targetType: safeString({ max: 64 }).optional(),
    targetId: safeString({ max: 200 }).optional(),
    from: instantString.optional(),
    to: instantString.optional(),
    cursor: safeString({ max: 200 }).optional(),
    limit: queryInt(1, 200, 50),
  })
  // Compare instants, not strings: offsets and fractional seconds do not sort as text.
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ["to"], message: "must not be before from" });
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export const auditEventParamsSchema = z.object({ id: idString });

export const integrityQuerySchema = z.object({ stream: stream.optional() });

/** POST /api/v1/audit/integrity: ask the background verifier for a run now. */
export const requestVerificationSchema = z.strictObject({
  /** Re-verify every stream from genesis rather than from the last verified point. */
  full: z.boolean().optional(),
});

export const exportQuerySchema = z.object({
  stream,
  /** First chain position to include (default 1: the whole chain). */
  fromChainSeq: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, "must be a chain position (a whole number from 1)")
    .optional(),
});
