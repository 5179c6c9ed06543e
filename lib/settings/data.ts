import type { Prisma } from "@/lib/generated/pg/client";
import { bumpGeneration, registryChanged } from "@/lib/registry/generation";
import { db, lockKey, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import {
  SETTING_DEFAULTS,
  settingsProblems,
  settingsShape,
  type SettingKey,
  type Settings,
  type UpdateSettingsInput,
} from "@/lib/settings/schema";

// Reads settings: stored values over defaults. A stored value that no longer validates (a
// hand-edited row, a narrowed range) falls back to the default rather than failing requests.

export const SETTING_KEY_PREFIX = "settings.";

export async function getSettings(client: Tx = db()): Promise<Settings> {
  const rows = await client.setting.findMany({ where: { key: { startsWith: SETTING_KEY_PREFIX } } });
  const out: Settings = { ...SETTING_DEFAULTS };
  for (const row of rows) {
    const key = row.key.slice(SETTING_KEY_PREFIX.length) as SettingKey;
    if (!Object.hasOwn(settingsShape, key)) continue;
    const parsed = settingsShape[key].safeParse(row.value);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
  }
  return out;
}

export async function getSetting<K extends SettingKey>(key: K, client: Tx = db()): Promise<Settings[K]> {
  return (await getSettings(client))[key];
}

/** GET /api/v1/settings: the values in force and the defaults. */
export async function settingsJson(client: Tx = db()) {
  return { settings: await getSettings(client), defaults: { ...SETTING_DEFAULTS } };
}

/**
 * Applies a partial change: checked on the merged values (settingsProblems), only changed keys
 * written, one `settings.update` audit event with their before and after, all in one transaction.
 */
export async function updateSettings(actor: Actor, input: UpdateSettingsInput) {
  const result = await db().$transaction(async (tx) => {
    // Two admins changing related settings at once must not each pass the cross-field check.
    await lockKey(tx, "settings");
    const current = await getSettings(tx);
    const merged: Settings = { ...current, ...input };
    const problems = settingsProblems(merged);
    if (problems.length > 0) {
      throw new ApiError("validation_failed", `Invalid ${problems.map((p) => p.field).join(", ")}`, problems);
    }
    const changed = (Object.keys(input) as SettingKey[]).filter((k) => input[k] !== undefined && input[k] !== current[k]);
    if (changed.length > 0) {
      for (const key of changed) {
        const value = merged[key] as Prisma.InputJsonValue;
        await tx.setting.upsert({ where: { key: SETTING_KEY_PREFIX + key }, create: { key: SETTING_KEY_PREFIX + key, value }, update: { value } });
      }
      await recordAudit(tx, actor, {
        action: "settings.update",
        target: { type: "settings", id: "settings", label: "Settings" },
        before: Object.fromEntries(changed.map((k) => [k, current[k]])),
        after: Object.fromEntries(changed.map((k) => [k, merged[k]])),
      });
    }
    // Whether drifted versions are served is decided when the registry snapshot is built.
    const registry = changed.includes("driftAction");
    if (registry) await bumpGeneration(tx);
    return { settings: merged, defaults: { ...SETTING_DEFAULTS }, registry };
  });
  if (result.registry) registryChanged();
  return { settings: result.settings, defaults: result.defaults };
}
