// GET /api/v1/me/sessions — your live console sessions; DELETE — sign out everywhere
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { clearSessionCookies, endAllSessions } from "@/lib/auth/sessions";

export const GET = withAuth(
  async ({ actor }) => {
    const rows = await db().userSession.findMany({
      where: { userId: actor.id, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      take: 100,
    });
    return Response.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          current: actor.via === "session" && actor.credentialId === r.id,
          createdAt: r.createdAt.toISOString(),
          lastSeenAt: r.lastSeenAt.toISOString(),
          expiresAt: r.expiresAt.toISOString(),
          address: r.address,
          userAgent: r.userAgent,
        })),
      },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { permission: null },
);

/** Ends every session of the caller (this one too): bumps sessionVersion, revokes every row. */
export const DELETE = withAuth(
  async ({ actor }) => {
    const result = await db().$transaction(async (tx) => {
      const ended = await endAllSessions(tx, actor.id);
      await recordAudit(tx, actor, {
        action: "auth.signout_everywhere",
        target: { type: "user", id: actor.id, label: actor.email ?? actor.name },
        data: { sessionsEnded: ended.revoked },
      });
      return ended;
    });
    const headers = new Headers({ "cache-control": "no-store" });
    if (actor.via === "session") for (const c of clearSessionCookies()) headers.append("set-cookie", c);
    return Response.json({ sessionsEnded: result.revoked }, { headers });
  },
  { permission: null },
);

export const { POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["GET", "DELETE"]);
