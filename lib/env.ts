import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { HUMAN_ROLES } from "@/lib/auth/permissions";

// All configuration, validated once. Every variable here is listed in the README.

const boolString = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes"].includes(v)));

const roleMap = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return {} as Record<string, Role>;
    try {
      return z.record(z.string(), z.enum(HUMAN_ROLES)).parse(JSON.parse(raw));
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'must be JSON mapping group to role, e.g. {"sec-reviewers":"approver"}',
      });
      return z.NEVER;
    }
  });

type Role = "admin" | "approver" | "publisher" | "auditor";

const databaseUrl = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : "file:./data/portcullis.db"))
  .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
    message: "must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
  });

/** One trusted proxy range: an address (a /32 or /128) or a CIDR. */
export type ProxyRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

const plainAddress = (a: string) => ipaddr.IPv4.isValidFourPartDecimal(a) || (a.includes(":") && ipaddr.IPv6.isValid(a));

/** An address (as a /32 or /128) or a CIDR, IPv4 in dotted decimal or IPv6; null if it is neither. */
function parseRange(item: string): ProxyRange | null {
  const [address, prefix, extra] = item.split("/");
  const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (extra !== undefined || !plainAddress(address) || Number.isNaN(bits)) return null;
  const parsed = ipaddr.parse(address);
  const max = parsed.kind() === "ipv4" ? 32 : 128;
  if (bits !== undefined && bits > max) return null;
  return [parsed, bits ?? max];
}

const listItems = (raw: string | undefined) => (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/** TRUSTED_PROXIES: comma-separated addresses or CIDRs (IPv4 in dotted decimal, or IPv6). */
export function parseTrustedProxies(raw: string | undefined): { ranges: ProxyRange[]; bad: string[] } {
  const ranges: ProxyRange[] = [];
  const bad: string[] = [];
  for (const item of listItems(raw)) {
    const range = parseRange(item);
    if (range) ranges.push(range);
    else bad.push(item);
  }
  return { ranges, bad };
}

const trustedProxies = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const { ranges, bad } = parseTrustedProxies(raw);
    if (bad.length) {
      ctx.addIssue({
        code: "custom",
        message: `not an IP address or CIDR: ${bad.map((b) => JSON.stringify(b)).join(", ")} (expected e.g. 10.0.0.0/8,192.0.2.7,fd00::/8)`,
      });
      return z.NEVER;
    }
    return ranges;
  });

/** Hosts and address ranges outbound fetches may reach although special-use (lib/net/outbound.ts). */
export interface OutboundAllowlist {
  /** Lower-case host names without a trailing dot, matched exactly. */
  hosts: string[];
  ranges: ProxyRange[];
}

// A DNS name: letter/digit/hyphen labels, the last not all digits (so "10.1" is not a host name).
const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*(?![0-9]+$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** OUTBOUND_ALLOWLIST: comma-separated host names, addresses and CIDRs. */
export function parseOutboundAllowlist(raw: string | undefined): OutboundAllowlist & { bad: string[] } {
  const list: OutboundAllowlist & { bad: string[] } = { hosts: [], ranges: [], bad: [] };
  for (const item of listItems(raw)) {
    const range = parseRange(item);
    const host = item.toLowerCase().replace(/\.$/, "");
    if (range) list.ranges.push(range);
    else if (hostName.test(host)) list.hosts.push(host);
    else list.bad.push(item);
  }
  return list;
}

const outboundAllowlist = z
  .string()
  .optional()
  .transform((raw, ctx): OutboundAllowlist => {
    const { hosts, ranges, bad } = parseOutboundAllowlist(raw);
    if (bad.length) {
      ctx.addIssue({
        code: "custom",
        message: `not a host name, IP address or CIDR: ${bad.map((b) => JSON.stringify(b)).join(", ")} (expected e.g. registry.internal,10.0.0.0/8,fd00::/8)`,
      });
      return z.NEVER;
    }
    return { hosts, ranges };
  });

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]{43}=?$/, "must be 32 bytes, base64 encoded")
  .optional();

const envSchema = z
  .object({
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: boolString(true),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z
      .string()
      .optional()
      .transform((v) => v?.trim() || "0.0.0.0"),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    ENCRYPTION_KEY: base64Key,
    /** The key stored credentials were encrypted with before ENCRYPTION_KEY (for rotating it). */
    ENCRYPTION_KEY_PREVIOUS: base64Key,
    BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    BOOTSTRAP_ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_ROLES_CLAIM: z.string().min(1).default("groups"),
    OIDC_ROLE_MAP: roleMap,
    OIDC_DISPLAY_NAME: z.string().min(1).default("SSO"),
    OUTBOUND_ALLOWLIST: outboundAllowlist,
    XAA_IDP_ISSUER: z.url().optional(),
    XAA_IDP_JWKS_URI: z.url().optional(),
    /** The subject token claim holding the user's groups (docs/xaa-token-exchange.md). */
    XAA_IDP_GROUPS_CLAIM: z.string().min(1).default("groups"),
    REGISTRY_PRIVATE: boolString(false),
    CIMD_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86400).default(300),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATA_DIR: z.string().default("./data"),
    SEALER_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
    /** How often the tool re-check job looks for due versions; 0 turns it off (docs/tool-snapshots.md). */
    RECHECK_POLL_MS: z.coerce.number().int().refine((v) => v === 0 || v >= 1000, "must be 0 (off) or at least 1000").default(60_000),
    AUDIT_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    /** Retired audit keys (comma-separated), still accepted when verifying older events. */
    AUDIT_KEYS_RETIRED: z.string().optional(),
    TRUSTED_PROXIES: trustedProxies,
  })
  .superRefine((e, ctx) => {
    if (!!e.BOOTSTRAP_ADMIN_EMAIL !== !!e.BOOTSTRAP_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: "custom",
        path: ["BOOTSTRAP_ADMIN_PASSWORD"],
        message: "BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together",
      });
    }
    const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc !== 0 && oidc !== 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
    if (e.ENCRYPTION_KEY_PREVIOUS && e.ENCRYPTION_KEY_PREVIOUS === e.ENCRYPTION_KEY) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY_PREVIOUS"], message: "must differ from ENCRYPTION_KEY" });
    }
  });

export type Env = z.infer<typeof envSchema> & {
  PUBLIC_BASE_URL: string;
  AUTH_SECRET: string;
  ENCRYPTION_KEY: string;
  AUDIT_KEY: string;
  oidcEnabled: boolean;
};

export class EnvError extends Error {}

function readKept(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const value = text.trim();
  if (!value) throw new EnvError(`Invalid configuration:\n  ${path} is empty: delete it to have a new secret generated`);
  return value;
}

/**
 * Reads a generated secret kept under the data directory, creating it (mode 0600, folder 0700)
 * if absent. Creation is atomic, so replicas or processes starting together agree on one value:
 * the secret is written in full to a private temp file first, then hard-linked into place,
 * which fails if another process got there first; then the winner's value is read.
 */
export function keptSecret(dataDir: string, file: string, make: () => string): string {
  const path = resolve(dataDir, file);
  const existing = readKept(path);
  if (existing !== undefined) return existing;
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const value = make();
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, value + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const winner = readKept(path);
    if (winner === undefined) throw err;
    return winner;
  } finally {
    unlinkSync(tmp);
  }
}

let cached: Env | undefined;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    ...e,
    PUBLIC_BASE_URL: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    AUTH_SECRET: e.AUTH_SECRET ?? keptSecret(e.DATA_DIR, "auth-secret", () => randomBytes(32).toString("base64url")),
    ENCRYPTION_KEY:
      e.ENCRYPTION_KEY ?? keptSecret(e.DATA_DIR, "encryption-key", () => randomBytes(32).toString("base64")),
    AUDIT_KEY: e.AUDIT_KEY ?? keptSecret(e.DATA_DIR, "audit-key", () => randomBytes(32).toString("base64url")),
    oidcEnabled: Boolean(e.OIDC_ISSUER),
  };
}

/** The validated configuration; next-auth's own variables are derived from ours. */
export function env(): Env {
  if (!cached) {
    cached = loadEnv();
    process.env.NEXTAUTH_SECRET = cached.AUTH_SECRET;
    process.env.NEXTAUTH_URL = cached.PUBLIC_BASE_URL;
  }
  return cached;
}

/** For tests that change configuration. */
export function resetEnvCache() {
  cached = undefined;
}
