import { z } from "zod";
import { MAX_DOCUMENTS_PER_REQUEST } from "@/lib/registry/import-file";
import { idString } from "@/lib/validation/strings";

/** POST /api/v1/servers/import: one chunk of an upload; `batchId` continues an earlier chunk. */
export const importServersSchema = z.strictObject({
  documents: z
    .array(z.unknown(), "must be an array of server.json documents")
    .min(1, "must hold at least one document")
    .max(MAX_DOCUMENTS_PER_REQUEST, `must hold at most ${MAX_DOCUMENTS_PER_REQUEST} documents; send a larger file in parts with one batchId`),
  batchId: idString.optional(),
});
export type ImportServersInput = z.infer<typeof importServersSchema>;
