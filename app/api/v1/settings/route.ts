// GET   /api/v1/settings — every setting in force, and the defaults
// PATCH /api/v1/settings — change some settings (validated together, audited)
import { withAuth } from "@/lib/api/handler";
import { methodsNotAllowed } from "@/lib/api/methods";
import { settingsJson, updateSettings } from "@/lib/settings/data";
import { updateSettingsSchema } from "@/lib/settings/schema";

const noStore = { headers: { "cache-control": "no-store" } };

export const GET = withAuth(async () => Response.json(await settingsJson(), noStore), { permission: "settings.manage" });

export const PATCH = withAuth(async ({ actor, body }) => Response.json(await updateSettings(actor, body), noStore), {
  permission: "settings.manage",
  body: updateSettingsSchema,
});

export const { POST, PUT, DELETE, OPTIONS } = methodsNotAllowed(["GET", "PATCH"]);
