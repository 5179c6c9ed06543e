// A real OpenID Provider (the `oidc-provider` package) for the SSO end-to-end tests, started by
// Playwright as a webServer before the console. Its dev interactions give a login form (any
// login; the password is not checked) and a consent form that the tests fill in Chromium.
// Usage: OIDC_PORT=3909 CONSOLE_URL=http://127.0.0.1:3410 OIDC_TEST_CLIENT_ID=… OIDC_TEST_CLIENT_SECRET=… \
//          node e2e/oidc-server.mjs
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3909);
const issuer = process.env.OIDC_ISSUER_URL ?? `http://127.0.0.1:${port}`;
const consoleUrl = (process.env.CONSOLE_URL ?? "http://127.0.0.1:3410").replace(/\/+$/, "");

const CLIENT_ID = process.env.OIDC_TEST_CLIENT_ID ?? "portcullis-e2e";
const CLIENT_SECRET = process.env.OIDC_TEST_CLIENT_SECRET ?? "e2e-client-secret-not-for-production";

// Who can sign in at the provider. The console maps `groups` to roles with OIDC_ROLE_MAP.
const ACCOUNTS = {
  alice: { email: "alice@idp.example", name: "Alice Reviewer", groups: ["sec-reviewers"] },
  bob: { email: "bob@idp.example", name: "Bob Marketer", groups: ["marketing"] },
  carol: { email: "carol@idp.example", name: "Carol Platform", groups: ["marketing", "platform", "sec-reviewers"] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${consoleUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    groups: ["groups"],
  },
  // next-auth reads the profile from the ID token, so the scope's claims must be in it.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ["e2e-cookie-key-one-not-secret", "e2e-cookie-key-two-not-secret"] },
  async findAccount(_ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups };
      },
    };
  },
});

provider.on("server_error", (_ctx, err) => console.error("oidc-provider server_error:", err));

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider test issuer ${issuer} (client ${CLIENT_ID} -> ${consoleUrl}/api/auth/callback/oidc)`);
});

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
