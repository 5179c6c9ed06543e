import { settingsShape, type SettingKey, type Settings } from "@/lib/settings/schema";

// How the Settings page presents each setting: a label, what it does, its unit and its group.
// Typed over every key, so a setting added to lib/settings/schema.ts must be described here.

export interface SettingMeta {
  label: string;
  description: string;
  /** The unit after the number ("days"); absent for choices. */
  unit?: string;
  /** For choices: the label of each value. */
  choices?: Record<string, string>;
  /** A text setting (empty means none, i.e. null): its placeholder. */
  text?: { placeholder: string };
}

export const SETTING_META: Record<SettingKey, SettingMeta> = {
  tokenDefaultLifetimeDays: {
    label: "Default token lifetime",
    description: "How long a new API token lasts when whoever creates it does not say.",
    unit: "days",
  },
  tokenMaxLifetimeDays: {
    label: "Longest token lifetime",
    description: "No new token may be issued for longer than this. Tokens already issued keep their expiry.",
    unit: "days",
  },
  tokenExpiryWarningDays: {
    label: "Expiry warning",
    description: "Tokens that expire within this many days are marked “expires soon” on the token pages.",
    unit: "days",
  },
  lockoutFailures: {
    label: "Failures from one address",
    description: "Wrong passwords for one account from one client address before the account is locked for that address.",
    unit: "failures",
  },
  lockoutAccountFailures: {
    label: "Failures from all addresses",
    description: "Wrong passwords for one account from anywhere before it is locked everywhere. Admins can unlock it on the Users page.",
    unit: "failures",
  },
  lockoutWindowMinutes: {
    label: "Lockout window",
    description: "Failures older than this no longer count; a lockout ends when its failures leave the window.",
    unit: "minutes",
  },
  throttlePerAddress: {
    label: "Sign-in attempts per address",
    description: "Sign-in attempts one client address may make within the window, across all accounts.",
    unit: "attempts",
  },
  sessionMaxAgeHours: {
    label: "Session length",
    description: "A console session ends this long after sign-in, however active it is.",
    unit: "hours",
  },
  driftAction: {
    label: "When a server's tools drift",
    description: "What happens to an approved server version whose tools no longer match what was reviewed.",
    choices: { flag: "Flag it for review", withdraw: "Withdraw it until reviewed again" },
  },
  recheckIntervalHours: {
    label: "Re-check interval",
    description: "How often approved servers are contacted to compare their tools with what was reviewed.",
    unit: "hours",
  },
  auditRetentionDays: {
    label: "Audit retention",
    description: "Audit events older than this may be archived. 0 keeps every event for ever.",
    unit: "days",
  },
  auditVerifyIntervalMinutes: {
    label: "Integrity check interval",
    description: "How often the background check verifies the audit chain.",
    unit: "minutes",
  },
  xaaIdpIssuer: {
    label: "Identity provider issuer",
    description: "The enterprise IdP whose ID tokens Portcullis exchanges for ID-JAGs. Empty: the XAA_IDP_ISSUER variable applies.",
    text: { placeholder: "https://idp.example.com" },
  },
  xaaIdpJwksUri: {
    label: "Identity provider key set",
    description: "Where that IdP publishes its signing keys (JWKS). Set together with the issuer. Empty: XAA_IDP_JWKS_URI.",
    text: { placeholder: "https://idp.example.com/.well-known/jwks.json" },
  },
  xaaIdpGroupsClaim: {
    label: "Groups claim",
    description: "The ID token claim holding the user's groups, which delegation policies match. Empty: XAA_IDP_GROUPS_CLAIM (default groups).",
    text: { placeholder: "groups" },
  },
};

export interface SettingGroup {
  id: string;
  title: string;
  description: string;
  keys: SettingKey[];
}

export const SETTING_GROUPS: SettingGroup[] = [
  {
    id: "tokens",
    title: "Tokens",
    description: "Lifetimes of API tokens for people and service accounts.",
    keys: ["tokenDefaultLifetimeDays", "tokenMaxLifetimeDays", "tokenExpiryWarningDays"],
  },
  {
    id: "signin",
    title: "Sign-in & lockout",
    description: "Limits on wrong passwords, per account and per client address.",
    keys: ["lockoutFailures", "lockoutAccountFailures", "lockoutWindowMinutes", "throttlePerAddress"],
  },
  {
    id: "sessions",
    title: "Sessions",
    description: "Console sessions in the browser. Changing the length applies to new sign-ins.",
    keys: ["sessionMaxAgeHours"],
  },
  {
    id: "servers",
    title: "Servers",
    description: "Drift detection and re-checks of approved MCP servers.",
    keys: ["driftAction", "recheckIntervalHours"],
  },
  {
    id: "xaa",
    title: "Enterprise-managed authorization (XAA)",
    description: "The identity provider whose ID tokens token exchange accepts. These override the XAA_IDP_* environment variables.",
    keys: ["xaaIdpIssuer", "xaaIdpJwksUri", "xaaIdpGroupsClaim"],
  },
  {
    id: "audit",
    title: "Audit",
    description: "Retention and the background integrity check of the audit trail.",
    keys: ["auditRetentionDays", "auditVerifyIntervalMinutes"],
  },
];

/** The allowed range of a numeric setting, from its schema. */
export function rangeOf(key: SettingKey): { min?: number; max?: number } {
  const schema = settingsShape[key] as unknown as { minValue?: number | null; maxValue?: number | null };
  return { min: schema.minValue ?? undefined, max: schema.maxValue ?? undefined };
}

/** A value for people: "90 days", "Flag it for review". */
export function formatSetting(key: SettingKey, value: Settings[SettingKey]): string {
  const meta = SETTING_META[key];
  if (meta.text) return value === null || value === "" ? "not set" : String(value);
  if (meta.choices) return meta.choices[String(value)] ?? String(value);
  const n = Number(value);
  const unit = meta.unit ?? "";
  return `${n} ${n === 1 ? unit.replace(/s$/, "") : unit}`.trim();
}

/** API messages name other settings by key ("must not exceed tokenMaxLifetimeDays"): use labels. */
export function humanizeMessage(message: string): string {
  return message.replace(/\b([a-z]+[A-Z][A-Za-z]*)\b/g, (word) =>
    Object.hasOwn(SETTING_META, word) ? `“${SETTING_META[word as SettingKey].label.toLowerCase()}”` : word,
  );
}
