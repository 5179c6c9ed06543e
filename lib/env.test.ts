import { readFileSync, statSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env, EnvError, loadEnv, resetEnvCache } from "@/lib/env";
import { tempDir } from "@/tests/helpers/temp";

const dataDir = () => tempDir("env");
/** A source with a private DATA_DIR and given secrets, so nothing touches ./data. */
const base = () => ({ DATA_DIR: dataDir(), AUTH_SECRET: "a".repeat(32), ENCRYPTION_KEY: "A".repeat(43) + "=" });

function errorOf(source: Record<string, string>): string {
  try {
    loadEnv(source as NodeJS.ProcessEnv);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return (err as Error).message;
  }
  throw new Error("loadEnv accepted the configuration");
}

describe("loadEnv: bad values are refused with a message naming the variable", () => {
  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/x" }, "DATABASE_URL: must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)"],
    ["DATABASE_URL", { DATABASE_URL: "portcullis.db" }, "DATABASE_URL: must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)"],
    ["PORT", { PORT: "abc" }, "PORT: Invalid input: expected number, received NaN"],
    ["PORT", { PORT: "70000" }, "PORT: Too big: expected number to be <=65535"],
    ["PORT", { PORT: "80.5" }, "PORT: Invalid input: expected int, received number"],
    ["OIDC_ROLE_MAP", { OIDC_ROLE_MAP: "not json" }, 'OIDC_ROLE_MAP: must be JSON mapping group to role, e.g. {"sec-reviewers":"approver"}'],
    ["OIDC_ROLE_MAP", { OIDC_ROLE_MAP: '{"g":"root"}' }, 'OIDC_ROLE_MAP: must be JSON mapping group to role, e.g. {"sec-reviewers":"approver"}'],
    ["OIDC_ROLE_MAP", { OIDC_ROLE_MAP: '["approver"]' }, 'OIDC_ROLE_MAP: must be JSON mapping group to role, e.g. {"sec-reviewers":"approver"}'],
    ["BOOTSTRAP_ADMIN_PASSWORD", { BOOTSTRAP_ADMIN_EMAIL: "a@b.co" }, "BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together"],
    ["BOOTSTRAP_ADMIN_PASSWORD", { BOOTSTRAP_ADMIN_PASSWORD: "long enough password" }, "BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together"],
    ["BOOTSTRAP_ADMIN_PASSWORD", { BOOTSTRAP_ADMIN_EMAIL: "a@b.co", BOOTSTRAP_ADMIN_PASSWORD: "short" }, "BOOTSTRAP_ADMIN_PASSWORD: must be at least 12 characters"],
    ["BOOTSTRAP_ADMIN_EMAIL", { BOOTSTRAP_ADMIN_EMAIL: "not-an-email", BOOTSTRAP_ADMIN_PASSWORD: "long enough password" }, "BOOTSTRAP_ADMIN_EMAIL: Invalid email address"],
    ["BOOTSTRAP_ADMIN_TOKEN", { BOOTSTRAP_ADMIN_TOKEN: "short" }, "BOOTSTRAP_ADMIN_TOKEN: must be at least 32 characters"],
    ["AUTH_SECRET", { AUTH_SECRET: "short" }, "AUTH_SECRET: must be at least 32 characters"],
    ["ENCRYPTION_KEY", { ENCRYPTION_KEY: "not base64 at all" }, "ENCRYPTION_KEY: must be 32 bytes, base64 encoded"],
    ["OIDC_ISSUER", { OIDC_ISSUER: "https://idp.example.com" }, "OIDC_ISSUER: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together"],
    ["MIGRATE_ON_START", { MIGRATE_ON_START: "maybe" }, 'MIGRATE_ON_START: Invalid option: expected one of "0"|"1"|"true"|"false"|"yes"|"no"|""'],
    ["PUBLIC_BASE_URL", { PUBLIC_BASE_URL: "ftp://example.com" }, "PUBLIC_BASE_URL: Invalid URL"],
    ["CIMD_MAX_AGE_SECONDS", { CIMD_MAX_AGE_SECONDS: "-1" }, "CIMD_MAX_AGE_SECONDS: Too small: expected number to be >=0"],
  ])("%s: %j", (_name, bad, line) => {
    expect(errorOf({ ...base(), ...bad })).toBe(`Invalid configuration:\n  ${line}`);
  });

  it("lists every bad variable at once", () => {
    const msg = errorOf({ ...base(), PORT: "abc", DATABASE_URL: "mysql://x", OIDC_ROLE_MAP: "{" });
    expect(msg.split("\n").slice(1).map((l) => l.trim().split(":")[0]).sort()).toEqual(["DATABASE_URL", "OIDC_ROLE_MAP", "PORT"]);
  });
});

describe("loadEnv: defaults and derived values", () => {
  it("defaults to SQLite under ./data, port 3000 and a localhost base URL", () => {
    const e = loadEnv(base());
    expect(e.DATABASE_URL).toBe("file:./data/portcullis.db");
    expect(e.PORT).toBe(3000);
    expect(e.PUBLIC_BASE_URL).toBe("http://localhost:3000");
    expect(e.MIGRATE_ON_START).toBe(true);
    expect(e.REGISTRY_PRIVATE).toBe(false);
    expect(e.CIMD_MAX_AGE_SECONDS).toBe(300);
    expect(e.OIDC_ROLES_CLAIM).toBe("groups");
    expect(e.OIDC_ROLE_MAP).toEqual({});
    expect(e.oidcEnabled).toBe(false);
  });

  it("derives the base URL from PORT, trims a trailing slash, parses booleans and the role map", () => {
    expect(loadEnv({ ...base(), PORT: "8080" }).PUBLIC_BASE_URL).toBe("http://localhost:8080");
    expect(loadEnv({ ...base(), PUBLIC_BASE_URL: "https://console.example.com/" }).PUBLIC_BASE_URL).toBe("https://console.example.com");
    for (const [v, b] of [["false", false], ["0", false], ["no", false], ["true", true], ["1", true], ["yes", true], ["", true]] as const) {
      expect(loadEnv({ ...base(), MIGRATE_ON_START: v }).MIGRATE_ON_START).toBe(b);
    }
    const e = loadEnv({
      ...base(),
      OIDC_ISSUER: "https://idp.example.com",
      OIDC_CLIENT_ID: "portcullis",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_ROLE_MAP: '{"sec-reviewers":"approver","platform":"admin"}',
    });
    expect(e.OIDC_ROLE_MAP).toEqual({ "sec-reviewers": "approver", platform: "admin" });
    expect(e.oidcEnabled).toBe(true);
    expect(loadEnv({ ...base(), DATABASE_URL: "  postgres://u@db/x  " }).DATABASE_URL).toBe("postgres://u@db/x");
  });
});

describe("loadEnv: generated secrets", () => {
  it("creates AUTH_SECRET and ENCRYPTION_KEY under DATA_DIR with mode 0600, then reuses them", () => {
    const dir = join(dataDir(), "nested", "data");
    const first = loadEnv({ DATA_DIR: dir });
    for (const [file, value] of [["auth-secret", first.AUTH_SECRET], ["encryption-key", first.ENCRYPTION_KEY]]) {
      const path = join(dir, file);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, "utf8").trim()).toBe(value);
    }
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(first.ENCRYPTION_KEY, "base64")).toHaveLength(32);
    const second = loadEnv({ DATA_DIR: dir });
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.ENCRYPTION_KEY).toBe(first.ENCRYPTION_KEY);
    // what it generated is also valid when an operator copies it into the environment
    expect(() => loadEnv({ DATA_DIR: dataDir(), AUTH_SECRET: first.AUTH_SECRET, ENCRYPTION_KEY: first.ENCRYPTION_KEY })).not.toThrow();
  });

  it("generates different secrets for different data directories", () => {
    const a = loadEnv({ DATA_DIR: dataDir() });
    const b = loadEnv({ DATA_DIR: dataDir() });
    expect(a.AUTH_SECRET).not.toBe(b.AUTH_SECRET);
    expect(a.ENCRYPTION_KEY).not.toBe(b.ENCRYPTION_KEY);
  });

  it("writes no file when both secrets are set", () => {
    const dir = dataDir();
    const e = loadEnv({ ...base(), DATA_DIR: dir });
    expect(e.AUTH_SECRET).toBe("a".repeat(32));
    expect(existsSync(join(dir, "auth-secret"))).toBe(false);
    expect(existsSync(join(dir, "encryption-key"))).toBe(false);
  });

  it("reads a kept secret that an operator put there", () => {
    const dir = dataDir();
    writeFileSync(join(dir, "auth-secret"), "operator-provided-secret-0123456789abcdef\n", { mode: 0o600 });
    expect(loadEnv({ DATA_DIR: dir }).AUTH_SECRET).toBe("operator-provided-secret-0123456789abcdef");
  });
});

describe("env()", () => {
  afterEach(() => resetEnvCache());

  it("derives next-auth's variables from ours and caches until reset", () => {
    vi.stubEnv("AUTH_SECRET", "b".repeat(40));
    vi.stubEnv("PUBLIC_BASE_URL", "https://console.example.com");
    resetEnvCache();
    const e = env();
    expect(process.env.NEXTAUTH_SECRET).toBe("b".repeat(40));
    expect(process.env.NEXTAUTH_URL).toBe("https://console.example.com");
    vi.stubEnv("PUBLIC_BASE_URL", "https://other.example.com");
    expect(env()).toBe(e);
    resetEnvCache();
    expect(env().PUBLIC_BASE_URL).toBe("https://other.example.com");
  });
});
