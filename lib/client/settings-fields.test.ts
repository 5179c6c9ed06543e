import { describe, expect, it } from "vitest";
import { formatSetting, humanizeMessage, rangeOf, SETTING_GROUPS, SETTING_META } from "@/lib/client/settings-fields";
import { SETTING_DEFAULTS, settingsShape, type SettingKey } from "@/lib/settings/schema";

describe("Settings page fields", () => {
  it("shows every setting exactly once, in one group", () => {
    const shown = SETTING_GROUPS.flatMap((g) => g.keys);
    expect([...shown].sort()).toEqual(Object.keys(settingsShape).sort());
    expect(new Set(shown).size).toBe(shown.length);
  });

  it("describes every setting, and numeric ones carry their unit and range from the schema", () => {
    for (const key of Object.keys(settingsShape) as SettingKey[]) {
      const meta = SETTING_META[key];
      expect(meta.label.length).toBeGreaterThan(3);
      expect(meta.description.length).toBeGreaterThan(10);
      if (typeof SETTING_DEFAULTS[key] === "number") {
        expect(meta.unit, key).toBeTruthy();
        expect(rangeOf(key).min, key).toBeTypeOf("number");
        expect(rangeOf(key).max, key).toBeTypeOf("number");
      } else if (meta.text) {
        // text settings: null (unset) by default, an empty field in the form
        expect(SETTING_DEFAULTS[key], key).toBeNull();
        expect(formatSetting(key, null), key).toBe("not set");
      } else {
        expect(Object.keys(meta.choices ?? {}).sort(), key).toEqual([...(settingsShape[key] as unknown as { options: string[] }).options].sort());
      }
    }
    expect(rangeOf("tokenMaxLifetimeDays")).toEqual({ min: 1, max: 3650 });
  });

  it("formats values for people and names settings by label in messages", () => {
    expect(formatSetting("tokenDefaultLifetimeDays", 90)).toBe("90 days");
    expect(formatSetting("sessionMaxAgeHours", 1)).toBe("1 hour");
    expect(formatSetting("driftAction", "withdraw")).toBe("Withdraw it until reviewed again");
    expect(humanizeMessage("must not exceed tokenMaxLifetimeDays")).toBe("must not exceed “longest token lifetime”");
    expect(humanizeMessage("must be at most 5")).toBe("must be at most 5");
  });
});
