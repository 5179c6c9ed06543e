// Where the end-to-end servers run and who can sign in: shared by playwright.config.ts (which
// starts the servers with these values) and the tests.

const consolePort = Number(process.env.E2E_CONSOLE_PORT ?? 3410);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3909);

export const CONSOLE_PORT = consolePort;
export const OIDC_PORT = oidcPort;
export const CONSOLE_URL = `http://127.0.0.1:${consolePort}`;
export const OIDC_ISSUER = `http://127.0.0.1:${oidcPort}`;

export const OIDC_CLIENT_ID = "portcullis-e2e";
export const OIDC_CLIENT_SECRET = "e2e-client-secret-not-for-production";
export const OIDC_DISPLAY_NAME = "Test IdP";
export const OIDC_ROLE_MAP = { "sec-reviewers": "approver", platform: "admin" } as const;

/** The first admin, created by the server from BOOTSTRAP_ADMIN_* on its fresh database. */
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1", name: "Administrator" };
/** An admin API token provisioned at start (BOOTSTRAP_ADMIN_TOKEN), for arranging test data. */
export const BOOTSTRAP_TOKEN = "e2e-bootstrap-admin-token-0123456789abcdef";

/** The password every user made by the tests gets. */
export const USER_PASSWORD = "e2e-user-password-1";

export const ROLES = ["admin", "approver", "publisher", "auditor"] as const;
export type Role = (typeof ROLES)[number];

/** The people the setup project signs in once, one per role; their sessions live in e2e/.auth/. */
export const ROLE_USERS: Record<Role, { email: string; name: string }> = {
  admin: { email: ADMIN.email, name: ADMIN.name },
  approver: { email: "approver@e2e.test", name: "Avery Approver" },
  publisher: { email: "publisher@e2e.test", name: "Pat Publisher" },
  auditor: { email: "auditor@e2e.test", name: "Audrey Auditor" },
};

export const storageStateFor = (role: Role) => `e2e/.auth/${role}.json`;
