import type { Db } from "@/lib/db";

// Liveness plus a database round trip, bounded so a hung database answers 503 quickly.

export async function checkHealth(client: Db, timeoutMs = 3000): Promise<{ status: number; body: Record<string, string> }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
    return { status: 200, body: { status: "ok", database: "ok" } };
  } catch {
    return { status: 503, body: { status: "degraded", database: "unavailable" } };
  } finally {
    clearTimeout(timer);
  }
}
