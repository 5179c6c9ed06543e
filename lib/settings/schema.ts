import { z } from "zod";

// Every setting an admin can change at run time (GET/PATCH /api/v1/settings, the Settings page),
// with its default. Stored as one Setting row per key ("settings.<key>"); a missing row means
// the default. docs/operations.md lists them.

const int = (min: number, max: number) => z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** An https URL (http only on a loopback host), or null (then the environment variable applies). */
const urlOrNull = z
  .string()
  .max(2000, "must be at most 2000 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return !u.username && !u.password && !u.hash && (u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname)));
    } catch {
      return false;
    }
  }, "must be an https URL (http only on a loopback host), without credentials or fragment")
  .nullable();

export const settingsShape = {
  /** Lifetime given to a new API token when the request names none. */
  tokenDefaultLifetimeDays: int(1, 3650),
  /** No new token may live longer than this. */
  tokenMaxLifetimeDays: int(1, 3650),
  /** Tokens expiring within this many days are flagged in the console. */
  tokenExpiryWarningDays: int(1, 365),
  /** Failed sign-ins for one account from one client address before it is locked there. */
  lockoutFailures: int(1, 100),
  /** Failed sign-ins for one account from all addresses before it is locked everywhere. */
  lockoutAccountFailures: int(1, 10_000),
  /** Sliding window for failures, lockouts and throttles. */
  lockoutWindowMinutes: int(1, 1440),
  /** Sign-in attempts one client address may make in the window, across accounts. */
  throttlePerAddress: int(1, 100_000),
  /** Console sessions end after this many hours. */
  sessionMaxAgeHours: int(1, 720),
  /** What a tool-drift flag does to an approved server version (issue 8). */
  driftAction: z.enum(["flag", "withdraw"]),
  /** How often servers' tools are re-checked (issue 8). */
  recheckIntervalHours: int(1, 720),
  /** Audit events older than this are eligible for archival (0 keeps them for ever). */
  auditRetentionDays: int(0, 36_500),
  /** How often the background integrity check runs. */
  auditVerifyIntervalMinutes: int(1, 1440),
  /** The enterprise IdP whose ID tokens token exchange accepts (null: XAA_IDP_ISSUER). */
  xaaIdpIssuer: urlOrNull,
  /** Its key set (null: XAA_IDP_JWKS_URI). */
  xaaIdpJwksUri: urlOrNull,
  /** The ID token claim with the user's groups (null: XAA_IDP_GROUPS_CLAIM, default "groups"). */
  xaaIdpGroupsClaim: z.string().min(1, "is required").max(100, "must be at most 100 characters").regex(/^[\x21-\x7e]+$/, "must be a claim name (printable ASCII, no spaces)").nullable(),
} as const;

export const settingsSchema = z.strictObject(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Settings = {
  tokenDefaultLifetimeDays: 90,
  tokenMaxLifetimeDays: 365,
  tokenExpiryWarningDays: 14,
  lockoutFailures: 5,
  lockoutAccountFailures: 50,
  lockoutWindowMinutes: 15,
  throttlePerAddress: 100,
  sessionMaxAgeHours: 8,
  driftAction: "flag",
  recheckIntervalHours: 24,
  auditRetentionDays: 0,
  auditVerifyIntervalMinutes: 5,
  xaaIdpIssuer: null,
  xaaIdpJwksUri: null,
  xaaIdpGroupsClaim: null,
};

/** PATCH body: any subset, at least one key; cross-field rules checked on the merged result. */
export const updateSettingsSchema = settingsSchema
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one setting" });
export type UpdateSettingsInput = z.infer<typeof updateSettingsSchema>;

/** Rules across settings, on the values that would be in force after a change. */
export function settingsProblems(s: Settings): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (s.tokenDefaultLifetimeDays > s.tokenMaxLifetimeDays) {
    out.push({ field: "tokenDefaultLifetimeDays", message: "must not exceed tokenMaxLifetimeDays" });
  }
  if (s.lockoutAccountFailures < s.lockoutFailures) {
    out.push({ field: "lockoutAccountFailures", message: "must be at least lockoutFailures" });
  }
  if ((s.xaaIdpIssuer === null) !== (s.xaaIdpJwksUri === null)) {
    out.push({ field: s.xaaIdpIssuer === null ? "xaaIdpIssuer" : "xaaIdpJwksUri", message: "set the issuer and its key set URL together, or neither (then XAA_IDP_ISSUER and XAA_IDP_JWKS_URI apply)" });
  }
  return out;
}
