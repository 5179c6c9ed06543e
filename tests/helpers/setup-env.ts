import { resetEnvCache } from "@/lib/env";
import { BASE_URL, TEST_AUTH_SECRET } from "./constants";
import { tempDir } from "./temp";

// Runs before each test file: a known configuration, a private data directory, quiet logs.
process.env.AUTH_SECRET = TEST_AUTH_SECRET;
process.env.PUBLIC_BASE_URL = BASE_URL;
process.env.DATA_DIR = tempDir("data");
process.env.LOG_LEVEL = "silent";
// Only a scratch database (tests/helpers/context.ts) is ever used; never one from the shell.
delete process.env.DATABASE_URL;
delete process.env.BOOTSTRAP_ADMIN_EMAIL;
delete process.env.BOOTSTRAP_ADMIN_PASSWORD;
delete process.env.BOOTSTRAP_ADMIN_TOKEN;
delete process.env.OIDC_ISSUER;
delete process.env.OIDC_CLIENT_ID;
delete process.env.OIDC_CLIENT_SECRET;
resetEnvCache();
