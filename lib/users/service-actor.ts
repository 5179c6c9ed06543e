import { db, lockKey } from "@/lib/db";
import type { Actor } from "@/lib/auth/actor";
import { isRole } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";

// The service accounts background jobs act as (the upstream sync, the tool re-check), created
// with the publisher role on first use so that what they do is attributed and four-eyes holds:
// a person decides what a job submitted. An admin who disables the account stops the job.

export class ServiceAccountUnusable extends Error {
  readonly name = "ServiceAccountUnusable";
}

export async function serviceActor(name: string, purpose: string, creator: string): Promise<Actor> {
  const user = await db().$transaction(async (tx) => {
    await lockKey(tx, `service-account:${name}`);
    const found = await tx.user.findFirst({ where: { kind: "service", name }, orderBy: { createdAt: "asc" } });
    if (found) return found;
    const created = await tx.user.create({ data: { kind: "service", name, role: "publisher" } });
    await recordAudit(tx, { kind: "system", label: creator }, {
      action: "service_account.create",
      target: { type: "service_account", id: created.id, label: created.name },
      after: { name: created.name, role: created.role, purpose },
    });
    return created;
  });
  if (user.disabled) throw new ServiceAccountUnusable(`The service account ${name} is revoked, so it does not run`);
  if (!isRole(user.role)) throw new ServiceAccountUnusable(`The service account ${name} has no valid role`);
  return { id: user.id, kind: "service", name: user.name, email: null, role: user.role, via: "token" };
}
