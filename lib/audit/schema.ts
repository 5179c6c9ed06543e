import { z } from "zod";

export const listAuditQuerySchema = z
  .object({
    stream: z.string().min(1).max(100).optional(),
    actor: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(100).optional(),
    targetType: z.string().min(1).max(64).optional(),
    targetId: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  // Compare instants, not strings: offsets and fractional seconds do not sort as text.
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ["to"], message: "must not be before from" });
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export const integrityQuerySchema = z.object({ stream: z.string().min(1).max(100).optional() });
