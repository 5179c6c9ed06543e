import type { Prisma } from "@/lib/generated/pg/client";
import type { Actor } from "@/lib/auth/actor";

// Writes a console audit event inside the caller's transaction, so the change and its record
// commit together. The sealer chains it later; writers never wait on the chain.

export const CONSOLE_STREAM = "console";

export interface AuditInput {
  action: string;
  target?: { type: string; id: string; label?: string | null };
  before?: unknown;
  after?: unknown;
  data?: unknown;
}

export type SystemActor = { kind: "system"; label: string };

function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}

export async function recordAudit(tx: Prisma.TransactionClient, actor: Actor | SystemActor, input: AuditInput) {
  const who =
    actor.kind === "system"
      ? { actorType: "system", actorId: null, actorLabel: actor.label }
      : {
          actorType: actor.kind === "service" ? "service" : "user",
          actorId: actor.id,
          actorLabel: actor.email ?? actor.name,
          // The credential used and where the request came from (lib/auth/actor.ts fills them).
          via: actor.via,
          credentialId: actor.credentialId ?? (actor.via === "token" ? actor.tokenId : undefined) ?? null,
          credentialLabel: actor.credentialLabel ?? null,
          clientAddress: actor.clientAddress ?? null,
          userAgent: actor.userAgent ?? null,
        };
  await tx.auditEvent.create({
    data: {
      stream: CONSOLE_STREAM,
      ...who,
      action: input.action,
      targetType: input.target?.type,
      targetId: input.target?.id,
      targetLabel: input.target?.label ?? undefined,
      before: json(input.before),
      after: json(input.after),
      data: json(input.data),
    },
  });
}
