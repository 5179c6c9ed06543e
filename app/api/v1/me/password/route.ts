// POST /api/v1/me/password — change your own password { currentPassword, newPassword }
import { z } from "zod";
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { changeOwnPassword } from "@/lib/auth/password-change";
import { sessionSetCookie } from "@/lib/auth/sessions";
import { clientInfo } from "@/lib/server/client";
import { getSetting } from "@/lib/settings/data";
import { passwordSchema } from "@/lib/users/schema";

// The current password is compared as typed (no trimming), like at sign-in; bounded like it.
const body = z.strictObject({
  currentPassword: z.string().min(1, "is required").max(256, "must be at most 256 characters"),
  newPassword: passwordSchema,
});

export const POST = withAuth(
  async ({ req, actor, body }) => {
    const result = await changeOwnPassword(actor, body, clientInfo(req.headers));
    const headers = new Headers({ "cache-control": "no-store" });
    if (result.session) {
      const hours = await getSetting("sessionMaxAgeHours");
      headers.append("set-cookie", await sessionSetCookie({ sub: actor.id, sid: result.session.id, sv: result.session.version }, hours * 3600));
    }
    return Response.json({ changed: true, sessionsEnded: result.sessionsEnded }, { headers });
  },
  { permission: null, body },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
