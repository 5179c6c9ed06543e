import { db, type Tx } from "@/lib/db";
import { SETTING_DEFAULTS, settingsShape, type SettingKey, type Settings } from "@/lib/settings/schema";

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
