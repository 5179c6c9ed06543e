import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
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
    ["ENCRYPTION_KEY_PREVIOUS", { ENCRYPTION_KEY_PREVIOUS: "short" }, "ENCRYPTION_KEY_PREVIOUS: must be 32 bytes, base64 encoded"],
    ["ENCRYPTION_KEY_PREVIOUS", { ENCRYPTION_KEY_PREVIOUS: "A".repeat(43) + "=" }, "ENCRYPTION_KEY_PREVIOUS: must differ from ENCRYPTION_KEY"],
    ...(
      [
        ["10.0.0.0/8,proxy.internal", '"proxy.internal"'],
        ["10.0.0.0/33", '"10.0.0.0/33"'],
        ["10.1", '"10.1"'],
        ["0x0a.0.0.1", '"0x0a.0.0.1"'],
        ["10.0.0.0/8/8", '"10.0.0.0/8/8"'],
        ["10.0.0.0/", '"10.0.0.0/"'],
        ["fd00::/129, 192.0.2.1/x", '"fd00::/129", "192.0.2.1/x"'],
        ["*", '"*"'],
      ] as const
    ).map(([raw, named]) => [
      "TRUSTED_PROXIES",
      { TRUSTED_PROXIES: raw },
      `TRUSTED_PROXIES: not an IP address or CIDR: ${named} (expected e.g. 10.0.0.0/8,192.0.2.7,fd00::/8)`,
    ]),
    ...(
      [
        ["registry.internal,http://registry.internal", '"http://registry.internal"'],
        ["registry.internal:8443", '"registry.internal:8443"'],
        ["*.internal, 10.0.0.0/33", '"*.internal", "10.0.0.0/33"'],
        ["10.1", '"10.1"'],
        ["[::1]", '"[::1]"'],
      ] as const
    ).map(([raw, named]) => [
      "OUTBOUND_ALLOWLIST",
      { OUTBOUND_ALLOWLIST: raw },
      `OUTBOUND_ALLOWLIST: not a host name, IP address or CIDR: ${named} (expected e.g. registry.internal,10.0.0.0/8,fd00::/8)`,
    ]),
  ] as [string, Record<string, string>, string][])("%s: %j", (_name, bad, line) => {
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

describe("loadEnv: TRUSTED_PROXIES", () => {
  const ranges = (raw?: string) => loadEnv({ ...base(), ...(raw === undefined ? {} : { TRUSTED_PROXIES: raw }) }).TRUSTED_PROXIES.map(([a, bits]) => `${a.toString()}/${bits}`);

  it("is empty by default: X-Forwarded-* is believed from nobody", () => {
    expect(ranges()).toEqual([]);
    expect(ranges("")).toEqual([]);
    expect(ranges(" , ")).toEqual([]);
  });

  it("takes addresses (as /32 or /128) and CIDRs, IPv4 and IPv6, with spaces around commas", () => {
    expect(ranges("10.0.0.0/8, 192.0.2.7 ,fd00::/8,::1,2001:db8::1/128")).toEqual(["10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "::1/128", "2001:db8::1/128"]);
  });
});

describe("loadEnv: OUTBOUND_ALLOWLIST", () => {
  const allow = (raw?: string) => {
    const { hosts, ranges } = loadEnv({ ...base(), ...(raw === undefined ? {} : { OUTBOUND_ALLOWLIST: raw }) }).OUTBOUND_ALLOWLIST;
    return { hosts, ranges: ranges.map(([a, bits]) => `${a.toString()}/${bits}`) };
  };

  it("is empty by default: no special-use address may be reached", () => {
    expect(allow()).toEqual({ hosts: [], ranges: [] });
    expect(allow(" , ")).toEqual({ hosts: [], ranges: [] });
  });

  it("takes host names (lower-cased, without a trailing dot), addresses and CIDRs", () => {
    expect(allow("Registry.Internal., localhost,10.0.0.0/8, 127.0.0.1 ,fd00::/8")).toEqual({
      hosts: ["registry.internal", "localhost"],
      ranges: ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8"],
    });
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

  it("creates the data directory 0700", () => {
    const dir = join(dataDir(), "fresh", "data");
    loadEnv({ DATA_DIR: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "..")).mode & 0o777).toBe(0o700);
  });

  it("refuses an empty kept secret with a message naming the file", () => {
    const dir = dataDir();
    writeFileSync(join(dir, "auth-secret"), "\n", { mode: 0o600 });
    expect(() => loadEnv({ DATA_DIR: dir })).toThrow(`${join(dir, "auth-secret")} is empty: delete it to have a new secret generated`);
  });

  it("processes creating the same secret at once all end with the one that was kept (0600, no temp files left)", async () => {
    const dir = dataDir();
    const barrier = join(dir, "barrier");
    mkdirSync(barrier);
    const n = 4;
    // Each creator generates its value and then waits until every creator has generated one, so
    // all of them really race to store theirs (no timing involved).
    const script = join(tempDir("creator"), "creator.ts");
    writeFileSync(
      script,
      `import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keptSecret } from ${JSON.stringify(join(process.cwd(), "lib/env.ts"))};
const [dir, barrier, n, me] = process.argv.slice(2);
const nap = new Int32Array(new SharedArrayBuffer(4));
const value = keptSecret(dir, "auth-secret", () => {
  writeFileSync(join(barrier, me), "");
  while (readdirSync(barrier).length < Number(n)) Atomics.wait(nap, 0, 0, 5);
  return "secret-of-creator-" + me + "-".repeat(32);
});
process.stdout.write(value);
`,
    );
    const run = promisify(execFile);
    const tsx = join(process.cwd(), "node_modules/tsx/dist/cli.mjs");
    const outputs = await Promise.all(
      Array.from({ length: n }, (_, i) => run(process.execPath, [tsx, script, dir, barrier, String(n), String(i)], { timeout: 60_000 }).then((r) => r.stdout)),
    );
    expect(readdirSync(barrier)).toHaveLength(n);
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toMatch(/^secret-of-creator-\d-{32}$/);
    expect(readFileSync(join(dir, "auth-secret"), "utf8")).toBe(`${outputs[0]}\n`);
    expect(statSync(join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(["auth-secret", "barrier"]);
  }, 120_000);

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
