import { prismaErrorCode } from "@/lib/api/errors";
import { db } from "@/lib/db";

// A lease row per background job, so that among several console replicas only one runs it.
// The holder renews before expiry; a crashed holder's lease simply runs out.

export async function acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db().lease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lt: now } }] },
    data: { holder, expiresAt },
  });
  if (taken.count > 0) return true;
  try {
    await db().lease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (err) {
    if (prismaErrorCode(err) === "P2002") return false;
    throw err;
  }
}

export async function releaseLease(name: string, holder: string): Promise<void> {
  await db().lease.deleteMany({ where: { name, holder } });
}
