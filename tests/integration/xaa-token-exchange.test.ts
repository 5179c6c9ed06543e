import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { discoverAndRequestJwtAuthGrant } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as tokenRoute from "@/app/oauth/token/route";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import "@/lib/reviews/handlers";
import { answerCimdHit } from "@/lib/public/cimd";
import { handlePublic, isPublicPath } from "@/lib/public/router";
import { config as proxyConfig } from "@/proxy";
import { signalChanged } from "@/lib/public/signal";
import { rebuildPolicyIndex } from "@/lib/xaa/index";
import { resetRemoteKeySets } from "@/lib/xaa/remote-jwks";
import { currentSigner, PREPUBLISH_SECONDS, resetPublishedKeys, resetSigner, SIGNING_KEYS_SIGNAL } from "@/lib/xaa/signing-keys";
import { headlessDoc, makeAgent, newSlug } from "../helpers/agents";
import { BASE_URL } from "../helpers/constants";
import { describeEngines, insertToken, insertUser, useTestDatabase, type Principal } from "../helpers/context";
import { apiError, call, session, token, type Handler } from "../helpers/http";
import { approvedTarget, AUDIENCE } from "../helpers/policies";
import { usePublicServer } from "../helpers/public";
import { route } from "../helpers/routes";
import { newKeyPair, startTestIdp, useTestIdp, type SigningKeyPair } from "../helpers/test-idp";

// Token exchange (docs/xaa-token-exchange.md): Portcullis as the IdP side of enterprise-managed
// authorization, issuing ID-JAGs for ID tokens of a test IdP (tests/helpers/test-idp.ts) to
// agents that authenticate with private_key_jwt or their exchange secret. ID-JAGs are verified
// against the key set the fast path publishes. Every refusal has its exact status and body, and
// what it leaves in the database; the MCP SDK v2 client obtains an ID-JAG over real HTTP.

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const TOKEN_URL = `${BASE_URL}/oauth/token`;
const STEP_UP_AUDIENCE = "https://auth2.example.com";
const MFA = "urn:example:mfa";

const oauthError = (error: string, error_description: string, extra: Record<string, unknown> = {}) => ({ error, error_description, ...extra });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const now = () => Math.floor(Date.now() / 1000);
/** Stored rows as text (audit events have a BigInt seq). */
const dump = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

type Form = Record<string, string | undefined>;
const encode = (form: Form) => new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined)).toString();

describeEngines("token exchange: Portcullis issues ID-JAGs", (engine) => {
  const ctx = useTestDatabase(engine);
  const pub = usePublicServer(100);
  const idp = useTestIdp();

  let target: Awaited<ReturnType<typeof approvedTarget>>;
  let stepUpTarget: Awaited<ReturnType<typeof approvedTarget>>;
  let robot: { id: string; slug: string; clientId: string };
  let robotKey: SigningKeyPair;
  let app: { id: string; slug: string; clientId: string };

  const post = (body: string, headers: Record<string, string> = {}) =>
    call(tokenRoute.POST as Handler, "POST", "/oauth/token", { body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });

  /** A client assertion for `clientId` (RFC 7523); claims set to undefined are left out. */
  async function assertion(clientId: string, key: SigningKeyPair = robotKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}) {
    const t = now();
    const payload = { iss: clientId, sub: clientId, aud: TOKEN_URL, iat: t, exp: t + 60, jti: randomBytes(12).toString("base64url"), ...claims };
    return new SignJWT(JSON.parse(JSON.stringify(payload))).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
  }

  /** The robot's request for jira:read on the target, with overrides. */
  async function robotForm(overrides: Form = {}, subject: Parameters<typeof idp.idToken>[0] | null = null): Promise<Form> {
    return {
      grant_type: GRANT,
      requested_token_type: ID_JAG,
      subject_token: await idp.idToken(subject ?? { aud: robot.clientId, groups: ["engineering"], email: "alice@example.com" }),
      subject_token_type: ID_TOKEN,
      audience: AUDIENCE,
      resource: target.resource,
      scope: "jira:read",
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(robot.clientId),
      ...overrides,
    };
  }

  async function secretForm(clientId: string, secret: string | undefined, overrides: Form = {}): Promise<Form> {
    return {
      grant_type: GRANT,
      requested_token_type: ID_JAG,
      subject_token: await idp.idToken({ aud: clientId, groups: ["engineering"] }),
      subject_token_type: ID_TOKEN,
      audience: AUDIENCE,
      resource: target.resource,
      scope: "jira:read",
      client_id: clientId,
      client_secret: secret,
      ...overrides,
    };
  }

  async function publishedKeySet() {
    const res = await pub.get("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    return res.body as JSONWebKeySet;
  }

  /** Verifies an ID-JAG as a resource authorization server would: our published keys, typ, iss, aud. */
  async function verifyIdJag(jwt: string, audience = AUDIENCE) {
    return jwtVerify(jwt, createLocalJWKSet(await publishedKeySet()), { issuer: BASE_URL, audience, typ: "oauth-id-jag+jwt", algorithms: ["ES256"] });
  }

  async function agentWithKey(key: SigningKeyPair, publish = true) {
    const slug = newSlug("robot");
    const made = await makeAgent(ctx, { kind: "headless", slug, publish, document: headlessDoc(slug, { jwks: { keys: [key.publicJwk] } }) });
    return made.agent;
  }

  async function policy(doc: Record<string, unknown>) {
    const res = await call(route("POST", "/api/v1/policies"), "POST", "/api/v1/policies", { auth: token(ctx.users.publisher), json: doc });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.review.id as string;
    const decided = await call(route("POST", "/api/v1/reviews/[id]/decision"), "POST", `/api/v1/reviews/${id}/decision`, { auth: session(ctx.users.approver), params: { id }, json: { decision: "approve" } });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await rebuildPolicyIndex();
    return res.body.id as string;
  }

  const issueSecret = (agentId: string, as: Principal = ctx.users.publisher) =>
    call(route("POST", "/api/v1/agents/[id]/exchange-secret"), "POST", `/api/v1/agents/${agentId}/exchange-secret`, { auth: token(as), params: { id: agentId } });
  const removeSecret = (agentId: string, as: Principal = ctx.users.publisher) =>
    call(route("DELETE", "/api/v1/agents/[id]/exchange-secret"), "DELETE", `/api/v1/agents/${agentId}/exchange-secret`, { auth: token(as), params: { id: agentId } });

  const jtiCount = () => db().assertionJti.count();
  const lastExchangeEvent = async () => db().auditEvent.findFirstOrThrow({ where: { action: "xaa.token_exchange" }, orderBy: { seq: "desc" } });

  beforeAll(async () => {
    resetSigner();
    resetPublishedKeys();
    target = await approvedTarget(ctx.users.publisher);
    stepUpTarget = await approvedTarget(ctx.users.publisher);
    robotKey = await newKeyPair("ES256", "robot-key-1");
    robot = await agentWithKey(robotKey);
    app = (await makeAgent(ctx, { publish: true })).agent;
    const agents = [robot.clientId, app.clientId];
    await policy({
      name: "Engineering may let the agents use Jira",
      effect: "allow",
      agents,
      subjects: { include: { groups: ["engineering"] }, exclude: { users: ["blocked@example.com"] } },
      target: { server: target.name, audience: AUDIENCE },
      scopes: ["jira:read", "jira:write"],
      conditions: { maxTokenLifetimeSeconds: 600 },
    });
    await policy({ name: "Never for contractors", effect: "deny", agents, subjects: { include: { groups: ["contractors"] } }, target: { server: target.name, audience: AUDIENCE } });
    await policy({
      name: "Admin with MFA",
      effect: "allow",
      agents,
      subjects: { include: { groups: ["engineering"] } },
      target: { server: stepUpTarget.name, audience: STEP_UP_AUDIENCE },
      scopes: ["jira:admin", "jira:read"],
      conditions: { stepUp: { scopes: ["jira:admin"], acr: MFA } },
    });
  });

  afterAll(() => {
    resetSigner();
    resetPublishedKeys();
  });

  it("publishes its authorization server metadata on the fast path", async () => {
    const res = await pub.get("/.well-known/oauth-authorization-server");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body).toEqual({
      issuer: BASE_URL,
      authorization_endpoint: `${BASE_URL}/oauth/authorize`,
      token_endpoint: TOKEN_URL,
      jwks_uri: `${BASE_URL}/.well-known/jwks.json`,
      response_types_supported: [],
      grant_types_supported: [GRANT],
      token_endpoint_auth_methods_supported: ["private_key_jwt", "client_secret_post", "client_secret_basic"],
      token_endpoint_auth_signing_alg_values_supported: ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA"],
      identity_chaining_requested_token_types_supported: [ID_JAG],
      requested_token_types_supported: [ID_JAG],
      subject_token_types_supported: [ID_TOKEN],
      client_id_metadata_document_supported: true,
    });
    expect((await pub.send("POST", "/.well-known/jwks.json", "")).status).toBe(405);
    const authorize = await pub.get("/oauth/authorize?response_type=code&client_id=x");
    expect(authorize.status).toBe(400);
    expect(authorize.body).toEqual(oauthError("unsupported_response_type", "This server issues tokens only by token exchange at its token endpoint"));
  });

  it("routes /oauth/token to Next without the sign-in redirect, and the metadata to the fast path", () => {
    expect(isPublicPath("/oauth/token")).toBe(false);
    for (const p of ["/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/oauth/authorize"]) expect(isPublicPath(p), p).toBe(true);
    const proxied = new RegExp(`^${proxyConfig.matcher[0]}$`);
    expect(proxied.test("/oauth/token")).toBe(false);
    expect(proxied.test("/servers")).toBe(true);
  });

  it("exchanges an ID token for an ID-JAG (private_key_jwt): the response, the signed claims, the jti and the audit event", async () => {
    const authTime = now() - 30;
    const subjectToken = await idp.idToken({ aud: robot.clientId, sub: "user-42", groups: ["engineering"], email: "alice@example.com", acr: "urn:example:pwd", authTime });
    const jtis = await jtiCount();
    const res = await post(encode(await robotForm({ subject_token: subjectToken })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    expect(res.body).toEqual({ access_token: expect.any(String), issued_token_type: ID_JAG, token_type: "N_A", expires_in: 600, scope: "jira:read" });
    const { payload, protectedHeader } = await verifyIdJag(res.body.access_token);
    expect(protectedHeader).toEqual({ alg: "ES256", kid: expect.any(String), typ: "oauth-id-jag+jwt" });
    expect(payload).toEqual({
      iss: BASE_URL,
      sub: "user-42",
      aud: AUDIENCE,
      client_id: robot.clientId,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      iat: expect.any(Number),
      exp: payload.iat! + 600,
      resource: target.resource,
      scope: "jira:read",
      email: "alice@example.com",
      auth_time: authTime,
      acr: "urn:example:pwd",
    });
    expect(Math.abs(payload.iat! - now())).toBeLessThan(5);
    expect(await jtiCount()).toBe(jtis + 1);
    // The audit event keeps the jti, the claims and the decision; never the ID-JAG or the ID token.
    const event = await lastExchangeEvent();
    expect(event).toMatchObject({ actorType: "system", actorLabel: robot.clientId, targetType: "agent", targetId: robot.id, targetLabel: robot.slug });
    expect(event.data).toMatchObject({
      outcome: "issued",
      jti: payload.jti,
      kid: protectedHeader.kid,
      claims: payload,
      clientAuth: "private_key_jwt",
      subject: { sub: "user-42", email: "alice@example.com", groups: ["engineering"], acr: "urn:example:pwd", auth_time: authTime, iss: idp.issuer },
      decision: { decision: "allow", scopes: ["jira:read"], policyIds: [expect.any(String)], reasons: [expect.stringContaining("Engineering may let the agents use Jira")], ttl: 600 },
    });
    const stored = dump(event);
    expect(stored).not.toContain(res.body.access_token.split(".")[2]);
    expect(stored).not.toContain(subjectToken.split(".")[2]);
    // One signing key, its private half encrypted and left out of every query that does not ask.
    const keys = await db().signingKey.findMany();
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toHaveProperty("privateJwk");
    expect(keys[0]).toMatchObject({ kid: protectedHeader.kid, alg: "ES256", retiredAt: null });
    const raw = await db().signingKey.findFirstOrThrow({ select: { privateJwk: true } });
    expect(raw.privateJwk).toMatch(/^pcenc:v1:[0-9a-f]{16}:/);
  });

  it("serves the public signing keys: no private members, cacheable, revalidated with ETag", async () => {
    await post(encode(await robotForm()));
    const res = await pub.get("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const [key] = res.body.keys;
    expect(res.body.keys).toHaveLength(1);
    expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    const etag = res.headers.get("etag")!;
    expect((await pub.get("/.well-known/jwks.json", { "if-none-match": etag })).status).toBe(304);
  });

  it.each([
    { name: "a subset of the requested scopes is granted", scope: "jira:read jira:delete", granted: "jira:read" },
    { name: "both allowed scopes", scope: "jira:write jira:read", granted: "jira:write jira:read" },
    { name: "no scope asks for everything the policies grant", scope: undefined, granted: "jira:read jira:write" },
  ])("narrows scopes: $name", async ({ scope, granted }) => {
    const res = await post(encode(await robotForm({ scope })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe(granted);
    expect((await verifyIdJag(res.body.access_token)).payload.scope).toBe(granted);
  });

  it("issues for an audience alone when one policy target has it, naming that target's resource", async () => {
    const res = await post(encode(await robotForm({ resource: undefined })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { payload } = await verifyIdJag(res.body.access_token);
    // the decision was made for one (audience, resource) pair: the ID-JAG says which
    expect(payload.resource).toBe(target.resource);
    expect(payload.aud).toBe(AUDIENCE);
  });

  it("accepts a client assertion whose aud is the issuer itself (RFC 7523)", async () => {
    const res = await post(encode(await robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { aud: BASE_URL }) })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  describe("refuses a bad subject token (400 invalid_grant; the client's jti is spent, the refusal audited)", () => {
    const cases: { name: string; token: () => Promise<string>; description: string }[] = [
      {
        name: "forged: signed with another key under the IdP's kid",
        token: async () => idp.idToken({ aud: robot.clientId, groups: ["engineering"], key: await newKeyPair(), kid: idp.keys[0].kid }),
        description: "The subject token signature does not verify with the identity provider's keys",
      },
      {
        name: "forged: signed with a key the IdP does not publish",
        token: async () => idp.idToken({ aud: robot.clientId, groups: ["engineering"], key: await newKeyPair() }),
        description: "The subject token is not signed by a key of the identity provider",
      },
      { name: "expired", token: () => idp.idToken({ aud: robot.clientId, groups: ["engineering"], expiresIn: -120 }), description: "The subject token has expired" },
      { name: "issued to another client", token: () => idp.idToken({ aud: app.clientId, groups: ["engineering"] }), description: "The subject token was not issued to this client (aud)" },
      {
        name: "authorized party is another client",
        token: () => idp.idToken({ aud: [robot.clientId, app.clientId], groups: ["engineering"], extra: { azp: app.clientId } }),
        description: "The subject token was issued to another client (azp)",
      },
      { name: "another issuer", token: () => idp.idToken({ aud: robot.clientId, iss: "https://evil.example.com" }), description: "The subject token was not issued by the trusted identity provider (iss)" },
      { name: "not a JWT", token: async () => "not-a-jwt", description: "The subject token is not a valid signed JWT" },
      {
        name: "a back-channel logout token (events), not an ID token",
        token: () => idp.idToken({ aud: robot.clientId, extra: { events: { "http://schemas.openid.net/event/backchannel-logout": {} } } }),
        description: "The subject token is not an ID token (it carries events: a logout token)",
      },
      { name: "issued in the future", token: () => idp.idToken({ aud: robot.clientId, groups: ["engineering"], issuedAt: Math.floor(Date.now() / 1000) + 600, expiresIn: 900 }), description: "The subject token was issued in the future (iat)" },
    ];
    it.each(cases)("$name", async ({ token: make, description }) => {
      const subjectToken = await make();
      const jtis = await jtiCount();
      const res = await post(encode(await robotForm({ subject_token: subjectToken })));
      expect(res.status).toBe(400);
      expect(res.body).toEqual(oauthError("invalid_grant", description));
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await jtiCount()).toBe(jtis + 1);
      const event = await lastExchangeEvent();
      expect(event.data).toMatchObject({ outcome: "refused", error: "invalid_grant", error_description: description, clientAuth: "private_key_jwt", subject: null, decision: null });
      expect(dump(event)).not.toContain(subjectToken);
    });
  });

  it("reads the e-mail only when the IdP vouches for it (email_verified: true)", async () => {
    // the policy excludes blocked@example.com: unverified, that address is no address, and an
    // e-mail exclusion applies to a subject without one
    for (const extra of [{}, { email_verified: false }, { email_verified: "maybe" }]) {
      const token = await idp.idToken({ aud: robot.clientId, groups: ["engineering"], email: "alice@example.com", extra: { email_verified: undefined, ...extra } });
      const res = await post(encode(await robotForm({ subject_token: token })));
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect((await lastExchangeEvent()).data).toMatchObject({ subject: { email: null } });
    }
    const ok = await post(encode(await robotForm({ subject_token: await idp.idToken({ aud: robot.clientId, groups: ["engineering"], email: "alice@example.com", extra: { email_verified: "true" } }) })));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("refuses client_ids the database cannot hold as an unknown client (401), and still audits the attempt", async () => {
    // a NUL, a %-encoded lone surrogate, an absurd length
    for (const id of ["x\u0000y", "%ED%A0%80", "a".repeat(3000)]) {
      const basic = Buffer.from(`${id}:${"s".repeat(20)}`).toString("base64");
      const res = await post(encode({ grant_type: GRANT, requested_token_type: ID_JAG, subject_token: "x", subject_token_type: ID_TOKEN, audience: AUDIENCE }), { authorization: `Basic ${basic}` });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe("invalid_client");
      const event = await lastExchangeEvent();
      expect(event.data).toMatchObject({ outcome: "refused", error: "invalid_client" });
      expect(JSON.stringify(event.data)).not.toContain("\\u0000");
    }
  });

  describe("refuses a client that is not an approved agent, or a bad client assertion (401 invalid_client, nothing written but the audit event)", () => {
    const cases: { name: string; form: () => Promise<Form>; description: string; status?: number; error?: string }[] = [
      {
        name: "unknown agent",
        form: async () => robotForm({ client_assertion: await assertion(`${BASE_URL}/oauth/clients/nobody-here`) }),
        description: "Unknown client: client_id is not an agent registered here",
      },
      {
        name: "a client_id that is not one of ours",
        form: async () => robotForm({ client_assertion: await assertion("https://elsewhere.example.com/client") }),
        description: "Unknown client: client_id is not an agent registered here",
      },
      {
        name: "an agent never approved",
        form: async () => {
          const key = await newKeyPair("ES256");
          const a = await agentWithKey(key, false);
          return robotForm({ client_assertion: await assertion(a.clientId, key) }, { aud: a.clientId, groups: ["engineering"] });
        },
        description: "This client has no approved, published version",
      },
      {
        name: "a revoked agent",
        form: async () => {
          const key = await newKeyPair("ES256");
          const a = await agentWithKey(key);
          const r = await call(route("POST", "/api/v1/agents/[id]/revoke"), "POST", `/api/v1/agents/${a.id}/revoke`, { auth: token(ctx.users.approver), params: { id: a.id }, json: { reason: "key leaked" } });
          expect(r.status).toBe(200);
          return robotForm({ client_assertion: await assertion(a.clientId, key) }, { aud: a.clientId, groups: ["engineering"] });
        },
        description: "This client has been revoked",
      },
      {
        name: "signed with another key under the agent's kid",
        form: async () => robotForm({ client_assertion: await assertion(robot.clientId, await newKeyPair("ES256", robotKey.kid)) }),
        description: "client_assertion signature does not verify with the client's published keys",
      },
      {
        name: "signed with a key the agent does not publish",
        form: async () => robotForm({ client_assertion: await assertion(robot.clientId, await newKeyPair("ES256")) }),
        description: "client_assertion is not signed by a key the client publishes",
      },
      { name: "wrong aud", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { aud: "https://other-as.example.com/token" }) }), description: "client_assertion aud must be this issuer or its token endpoint" },
      { name: "expired", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { exp: now() - 120 }) }), description: "client_assertion has expired" },
      {
        name: "lives too long",
        form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { exp: now() + 3600 }) }),
        description: "client_assertion lives too long: exp must be at most 300 s away",
      },
      { name: "no exp", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { exp: undefined }) }), description: "client_assertion has an invalid or missing exp claim" },
      { name: "no jti", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { jti: undefined }) }), description: "client_assertion has an invalid or missing jti claim" },
      { name: "issued in the future", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { iat: now() + 600 }) }), description: "client_assertion was issued in the future (iat)" },
      { name: "sub is not the client", form: async () => robotForm({ client_assertion: await assertion(robot.clientId, robotKey, { sub: "someone-else" }) }), description: "client_assertion iss and sub must both be the client_id" },
      {
        name: "a symmetric algorithm",
        form: async () => {
          const t = now();
          const jwt = await new SignJWT({ iss: robot.clientId, sub: robot.clientId, aud: TOKEN_URL, exp: t + 60, jti: "hs" }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("k".repeat(32)));
          return robotForm({ client_assertion: jwt });
        },
        description: "client_assertion must be signed with one of ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512, EdDSA",
      },
      { name: "not a JWT", form: async () => robotForm({ client_assertion: "abc.def" }), description: "client_assertion is not a JWT" },
      { name: "another assertion type", form: async () => robotForm({ client_assertion_type: "urn:example:saml" }), description: `client_assertion_type must be ${ASSERTION_TYPE}` },
      { name: "client_id differs from the assertion", form: async () => robotForm({ client_id: app.clientId }), description: "client_id differs from the client_assertion's issuer" },
      {
        name: "no client authentication",
        form: async () => robotForm({ client_assertion: undefined, client_assertion_type: undefined, client_id: robot.clientId }),
        description: "Client authentication is required: private_key_jwt, client_secret_post or client_secret_basic",
      },
      {
        name: "two authentication methods",
        form: async () => robotForm({ client_secret: "pcxs_whatever" }),
        status: 400,
        error: "invalid_request",
        description: "Use one client authentication method, not client_secret_post and private_key_jwt",
      },
    ];
    it.each(cases)("$name", async ({ form, description, status = 401, error = "invalid_client" }) => {
      const body = encode(await form());
      const jtis = await jtiCount();
      const events = await db().auditEvent.count({ where: { action: "xaa.token_exchange" } });
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(oauthError(error, description));
      expect(res.headers.get("www-authenticate")).toBeNull();
      expect(await jtiCount()).toBe(jtis);
      expect(await db().auditEvent.count({ where: { action: "xaa.token_exchange" } })).toBe(events + 1);
      expect((await lastExchangeEvent()).data).toMatchObject({ outcome: "refused", error, error_description: description });
    });
  });

  it("refuses a replayed client assertion: the jti is recorded once", async () => {
    const form = await robotForm();
    const jtis = await jtiCount();
    expect((await post(encode(form))).status).toBe(200);
    const again = await post(encode({ ...form, subject_token: await idp.idToken({ aud: robot.clientId, groups: ["engineering"] }) }));
    expect(again.status).toBe(401);
    expect(again.body).toEqual(oauthError("invalid_client", "client_assertion was already used (its jti was seen before)"));
    expect(await jtiCount()).toBe(jtis + 1);
  });

  it("lets exactly one of two concurrent requests with the same jti through", async () => {
    const form = await robotForm();
    const results = await Promise.all([post(encode(form)), post(encode(form)), post(encode(form))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    const jti = JSON.parse(Buffer.from(form.client_assertion!.split(".")[1], "base64url").toString()).jti;
    expect(await db().assertionJti.count({ where: { clientId: robot.clientId, jti } })).toBe(1);
  });

  it.each([
    { name: "no grant_type", form: { grant_type: undefined }, error: "invalid_request", description: "grant_type is required" },
    { name: "another grant", form: { grant_type: "authorization_code" }, error: "unsupported_grant_type", description: `This endpoint supports only ${GRANT}` },
    { name: "another requested token type", form: { requested_token_type: "urn:ietf:params:oauth:token-type:access_token" }, error: "invalid_request", description: `requested_token_type must be ${ID_JAG}` },
    { name: "no subject token", form: { subject_token: undefined }, error: "invalid_request", description: "subject_token is required" },
    { name: "a SAML subject token", form: { subject_token_type: "urn:ietf:params:oauth:token-type:saml2" }, error: "invalid_request", description: `subject_token_type must be ${ID_TOKEN}` },
    { name: "an actor token", form: { actor_token: "x" }, error: "invalid_request", description: "actor_token is not supported" },
    { name: "no audience", form: { audience: undefined }, error: "invalid_request", description: "audience is required: the issuer of the resource's authorization server" },
    { name: "an audience that is not a URI", form: { audience: "auth server" }, error: "invalid_request", description: "audience must be an absolute URI without a fragment" },
    { name: "a malformed scope", form: { scope: 'jira:read "jira"' }, error: "invalid_scope", description: "scope must be space-separated OAuth scope tokens (RFC 6749 §3.3)" },
    { name: "an oversized parameter", form: { resource: `https://x.example.com/${"a".repeat(2000)}` }, error: "invalid_request", description: "Invalid request: resource must be at most 2000 characters" },
  ])("refuses a malformed request: $name (400 $error)", async ({ form, error, description }) => {
    const res = await post(encode(await robotForm(form)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(oauthError(error, description));
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses bodies the form reader will not take, before anything else (400 invalid_request)", async () => {
    const form = await robotForm();
    const cases: [string, Record<string, string>, string][] = [
      [JSON.stringify(form), { "content-type": "application/json" }, "Content-Type must be application/x-www-form-urlencoded"],
      [`${encode(form)}&scope=jira:write`, {}, "Invalid request: scope must be given at most once"],
      [`${encode(form)}&x=%zz`, {}, "Request body is not valid application/x-www-form-urlencoded (a %-escape is malformed or not UTF-8)"],
      [`${encode(form)}&x=a%00b`, {}, "Invalid request: x must not contain control characters"],
      [encode(form), { "content-type": "application/x-www-form-urlencoded; charset=iso-8859-1" }, "The form must be UTF-8"],
      [`${encode(form)}&pad=${"a".repeat(70_000)}`, {}, "Request body exceeds 65536 bytes"],
    ];
    const jtis = await jtiCount();
    for (const [body, headers, description] of cases) {
      const res = await post(body, headers);
      expect(res.status, description).toBe(400);
      expect(res.body).toEqual(oauthError("invalid_request", description));
    }
    expect(await jtiCount()).toBe(jtis);
    const get = await call(tokenRoute.GET as Handler, "GET", "/oauth/token");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("ignores a session cookie and unknown parameters: the client authenticates itself", async () => {
    const res = await post(encode({ ...(await robotForm()), unknown_param: "x" }), { cookie: ctx.users.admin.cookie, origin: "https://evil.example.com" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  describe("the policy decides", () => {
    it.each([
      { name: "an unknown audience", form: { audience: "https://other-as.example.com" }, error: "invalid_target", description: "No policy here targets this audience and resource" },
      { name: "an unknown resource", form: { resource: "https://unknown.example.com/mcp" }, error: "invalid_target", description: "No policy here targets this audience and resource" },
      { name: "a resource of another audience", form: { audience: STEP_UP_AUDIENCE }, error: "invalid_target", description: "No policy here targets this audience and resource" },
      { name: "only scopes no policy grants", form: { scope: "jira:delete" }, error: "invalid_scope", description: "None of the requested scopes may be granted to this client for this user" },
    ])("refuses $name (400 $error)", async ({ form, error, description }) => {
      const res = await post(encode(await robotForm(form)));
      expect(res.status).toBe(400);
      expect(res.body).toEqual(oauthError(error, description));
      expect((await lastExchangeEvent()).data).toMatchObject({ outcome: "refused", error });
    });

    it.each([
      { name: "a denied group (deny overrides allow)", subject: { groups: ["engineering", "contractors"] } },
      { name: "no group any policy includes", subject: { groups: ["sales"] } },
      { name: "an excluded user", subject: { groups: ["engineering"], email: "Blocked@example.com" } },
      // the policy excludes someone by e-mail: a subject whose e-mail it cannot see may be them
      { name: "a subject token without an e-mail, for a policy that excludes by e-mail", subject: { groups: ["engineering"], email: "" } },
      { name: "no groups claim", subject: {} },
    ])("refuses $name (400 invalid_grant), auditing the decision's reasons", async ({ subject }) => {
      const res = await post(encode(await robotForm({}, { aud: robot.clientId, ...subject })));
      expect(res.status).toBe(400);
      expect(res.body).toEqual(oauthError("invalid_grant", "Policy does not allow this client to act for this user toward this audience"));
      const event = await lastExchangeEvent();
      expect(event.data).toMatchObject({ outcome: "refused", error: "invalid_grant", subject: { sub: "user-1" }, decision: { decision: "deny", scopes: [], reasons: [expect.any(String)] } });
    });

    it("asks for a step-up when a scope needs it, and issues once the subject has it", async () => {
      const form = (acr?: string) => robotForm({ audience: STEP_UP_AUDIENCE, resource: stepUpTarget.resource, scope: "jira:admin" }, { aud: robot.clientId, groups: ["engineering"], acr });
      const refused = await post(encode(await form()));
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual(
        oauthError("insufficient_user_authentication", "The requested scopes need a stronger or more recent authentication of the user: authenticate again and retry", { acr_values: MFA }),
      );
      const ok = await post(encode(await form(MFA)));
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const { payload } = await verifyIdJag(ok.body.access_token, STEP_UP_AUDIENCE);
      expect(payload).toMatchObject({ scope: "jira:admin", acr: MFA, resource: stepUpTarget.resource, exp: payload.iat! + 300 });
    });

    it("refuses while the target server has drifted, and issues again once it has not", async () => {
      await db().serverVersion.update({ where: { id: target.version.id }, data: { driftSince: new Date() } });
      await rebuildPolicyIndex();
      try {
        const res = await post(encode(await robotForm()));
        expect(res.status).toBe(400);
        expect(res.body).toEqual(oauthError("invalid_grant", "Policy does not allow this client to act for this user toward this audience"));
        expect((await lastExchangeEvent()).data).toMatchObject({ decision: { reasons: [expect.stringContaining("No policy matched")] } });
      } finally {
        await db().serverVersion.update({ where: { id: target.version.id }, data: { driftSince: null } });
        await rebuildPolicyIndex();
      }
      expect((await post(encode(await robotForm()))).status).toBe(200);
    });

    it("trusts the IdP the settings name over the environment's, at once, and falls back when they are cleared", async () => {
      const other = await startTestIdp();
      const settings = (json: unknown) => call(route("PATCH", "/api/v1/settings"), "PATCH", "/api/v1/settings", { auth: token(ctx.users.admin), json });
      try {
        // issuer and key set go together
        const half = await settings({ xaaIdpIssuer: other.issuer });
        expect(half.status).toBe(422);
        expect(half.body.error.details[0].field).toBe("xaaIdpJwksUri");
        expect((await settings({ xaaIdpIssuer: other.issuer, xaaIdpJwksUri: other.jwksUri, xaaIdpGroupsClaim: "teams" })).status).toBe(200);
        const fromOther = await other.idToken({ aud: robot.clientId, extra: { teams: ["engineering"] } });
        const ok = await post(encode(await robotForm({ subject_token: fromOther })));
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        // the environment's IdP is no longer trusted
        const fromEnv = await post(encode(await robotForm()));
        expect(fromEnv.status).toBe(400);
        expect(fromEnv.body.error).toBe("invalid_grant");
        expect((await settings({ xaaIdpIssuer: null, xaaIdpJwksUri: null, xaaIdpGroupsClaim: null })).status).toBe(200);
        expect((await post(encode(await robotForm()))).status).toBe(200);
        expect((await post(encode(await robotForm({ subject_token: await other.idToken({ aud: robot.clientId, groups: ["engineering"] }) })))).status).toBe(400);
      } finally {
        await db().setting.deleteMany({ where: { key: { startsWith: "settings.xaaIdp" } } });
        await other.close();
      }
    });

    it("reads the groups from XAA_IDP_GROUPS_CLAIM", async () => {
      process.env.XAA_IDP_GROUPS_CLAIM = "roles";
      resetEnvCache();
      try {
        const viaRoles = await post(encode(await robotForm({}, { aud: robot.clientId, extra: { roles: ["engineering"] } })));
        expect(viaRoles.status, JSON.stringify(viaRoles.body)).toBe(200);
        const viaGroups = await post(encode(await robotForm({}, { aud: robot.clientId, groups: ["engineering"] })));
        expect(viaGroups.body.error).toBe("invalid_grant");
        // one group as a plain string counts too
        const single = await post(encode(await robotForm({}, { aud: robot.clientId, extra: { roles: "engineering" } })));
        expect(single.status).toBe(200);
      } finally {
        delete process.env.XAA_IDP_GROUPS_CLAIM;
        resetEnvCache();
      }
    });
  });

  describe("the exchange secret", () => {
    let owner: Principal;
    let otherPublisher: Principal;
    let agent: { id: string; slug: string; clientId: string };

    beforeAll(async () => {
      owner = ctx.users.publisher;
      const u = await insertUser({ role: "publisher", email: `publisher2-${engine}@test.local`, name: "Second Publisher" });
      const { token: t, row } = await insertToken(u.id);
      otherPublisher = { role: "publisher", id: u.id, email: u.email!, name: u.name, token: t, tokenId: row.id, cookie: "" };
      agent = app;
    });

    it("is issued once in a 201, stored only hashed, shown by prefix, never in the hosted document, and audited without itself", async () => {
      const res = await issueSecret(agent.id, owner);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const secret = res.body.secret as string;
      expect(res.body).toEqual({
        clientId: agent.clientId,
        secret: expect.stringMatching(/^pcxs_[A-Za-z0-9_-]{43}$/),
        prefix: secret.slice(0, 12),
        issuedAt: expect.any(String),
        tokenEndpoint: TOKEN_URL,
        authMethods: ["client_secret_post", "client_secret_basic"],
      });
      const row = await db().agent.findUniqueOrThrow({ where: { id: agent.id }, select: { exchangeSecretHash: true, exchangeSecretPrefix: true, exchangeSecretIssuedAt: true } });
      expect(row).toEqual({ exchangeSecretHash: sha256(secret), exchangeSecretPrefix: secret.slice(0, 12), exchangeSecretIssuedAt: new Date(res.body.issuedAt) });
      expect(await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).not.toHaveProperty("exchangeSecretHash");
      const detail = await call(route("GET", "/api/v1/agents/[id]"), "GET", `/api/v1/agents/${agent.id}`, { auth: token(ctx.users.auditor), params: { id: agent.id } });
      expect(detail.body.exchangeSecret).toEqual({ prefix: secret.slice(0, 12), issuedAt: res.body.issuedAt });
      expect(JSON.stringify(detail.body)).not.toContain(secret);
      const hosted = await pub.get(`/oauth/clients/${agent.slug}`);
      expect(hosted.status).toBe(200);
      expect(JSON.stringify(hosted.body)).not.toMatch(/client_secret|pcxs_/);
      const events = await db().auditEvent.findMany({ where: { targetId: agent.id, action: { startsWith: "agent.exchange_secret" } } });
      expect(events.map((e) => [e.action, e.after])).toEqual([["agent.exchange_secret.issue", { prefix: secret.slice(0, 12), issuedAt: res.body.issuedAt }]]);
      const everything = dump(await db().auditEvent.findMany());
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(sha256(secret));
    });

    it("authenticates client_secret_post and client_secret_basic (encoded or not); a wrong secret is 401, with a Basic challenge when Basic was used", async () => {
      const { body } = await issueSecret(agent.id, owner);
      const secret = body.secret as string;
      const viaPost = await post(encode(await secretForm(agent.clientId, secret)));
      expect(viaPost.status, JSON.stringify(viaPost.body)).toBe(200);
      expect((await verifyIdJag(viaPost.body.access_token)).payload.client_id).toBe(agent.clientId);
      expect((await lastExchangeEvent()).data).toMatchObject({ outcome: "issued", clientAuth: "client_secret_post", clientAssertionJti: null });
      const basic = (id: string, s: string) => `Basic ${Buffer.from(`${id}:${s}`).toString("base64")}`;
      for (const header of [basic(encodeURIComponent(agent.clientId), encodeURIComponent(secret)), basic(agent.clientId, secret)]) {
        const viaBasic = await post(encode(await secretForm(agent.clientId, undefined, { client_id: undefined })), { authorization: header });
        expect(viaBasic.status, JSON.stringify(viaBasic.body)).toBe(200);
      }
      const wrongPost = await post(encode(await secretForm(agent.clientId, `${secret}x`)));
      expect(wrongPost.status).toBe(401);
      expect(wrongPost.body).toEqual(oauthError("invalid_client", "Client authentication failed: wrong client secret, or none issued"));
      expect(wrongPost.headers.get("www-authenticate")).toBeNull();
      const wrongBasic = await post(encode(await secretForm(agent.clientId, undefined, { client_id: undefined })), { authorization: basic(agent.clientId, "pcxs_wrong") });
      expect(wrongBasic.status).toBe(401);
      expect(wrongBasic.body).toEqual(oauthError("invalid_client", "Client authentication failed: wrong client secret, or none issued"));
      expect(wrongBasic.headers.get("www-authenticate")).toBe('Basic realm="portcullis", charset="UTF-8"');
      const malformed = await post(encode(await secretForm(agent.clientId, undefined, { client_id: undefined })), { authorization: "Basic !!!" });
      expect(malformed.body).toEqual(oauthError("invalid_client", "The Authorization header is not valid Basic credentials"));
      // an agent that was never given a secret
      const none = await post(encode(await secretForm(robot.clientId, secret)));
      expect(none.body).toEqual(oauthError("invalid_client", "Client authentication failed: wrong client secret, or none issued"));
    });

    it("rotates: a new secret replaces the old one at once", async () => {
      const first = (await issueSecret(agent.id, owner)).body.secret as string;
      const second = await issueSecret(agent.id, ctx.users.approver);
      expect(second.status).toBe(201);
      expect(second.body.secret).not.toBe(first);
      expect((await post(encode(await secretForm(agent.clientId, first)))).status).toBe(401);
      expect((await post(encode(await secretForm(agent.clientId, second.body.secret)))).status).toBe(200);
      const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "agent.exchange_secret.rotate" }, orderBy: { seq: "desc" } });
      expect(event).toMatchObject({ actorId: ctx.users.approver.id, before: { prefix: first.slice(0, 12) }, after: { prefix: second.body.prefix } });
    });

    it("is refused to a publisher who does not own the agent (403) and to an auditor, changing nothing", async () => {
      const before = await db().agent.findUniqueOrThrow({ where: { id: agent.id }, select: { exchangeSecretHash: true } });
      const events = await db().auditEvent.count();
      const res = await issueSecret(agent.id, otherPublisher);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(apiError("forbidden", `You do not own ${agent.slug}: only its owners (or an approver) may change it`));
      expect((await removeSecret(agent.id, otherPublisher)).status).toBe(403);
      const auditor = await issueSecret(agent.id, ctx.users.auditor);
      expect(auditor.status).toBe(403);
      expect(auditor.body).toEqual(apiError("forbidden", "This needs the agents.submit permission"));
      expect(await db().agent.findUniqueOrThrow({ where: { id: agent.id }, select: { exchangeSecretHash: true } })).toEqual(before);
      expect(await db().auditEvent.count()).toBe(events);
    });

    it("is removed by DELETE (204; then 404), after which it no longer authenticates", async () => {
      const secret = (await issueSecret(agent.id, owner)).body.secret as string;
      const res = await removeSecret(agent.id, owner);
      expect(res.status).toBe(204);
      expect(await db().agent.findUniqueOrThrow({ where: { id: agent.id }, select: { exchangeSecretHash: true, exchangeSecretPrefix: true, exchangeSecretIssuedAt: true } })).toEqual({
        exchangeSecretHash: null,
        exchangeSecretPrefix: null,
        exchangeSecretIssuedAt: null,
      });
      expect((await post(encode(await secretForm(agent.clientId, secret)))).status).toBe(401);
      const again = await removeSecret(agent.id, owner);
      expect(again.status).toBe(404);
      expect(again.body).toEqual(apiError("not_found", `${agent.slug} has no exchange secret`));
      const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "agent.exchange_secret.remove" } });
      expect(event.before).toEqual({ prefix: secret.slice(0, 12), issuedAt: expect.any(String) });
    });
  });

  describe("the IdP's key set", () => {
    afterAll(() => {
      vi.useRealTimers();
    });

    it("is fetched again for an unknown kid, at most once every 30 s", async () => {
      // A first exchange has the keys fetched now; the IdP then rotates.
      resetRemoteKeySets();
      expect((await post(encode(await robotForm()))).status).toBe(200);
      const fetched = idp.jwksFetches;
      const fresh = await idp.rotate();
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10_000 });
      const early = await post(encode(await robotForm({}, { aud: robot.clientId, groups: ["engineering"], key: fresh })));
      expect(early.body).toEqual(oauthError("invalid_grant", "The subject token is not signed by a key of the identity provider"));
      expect(idp.jwksFetches).toBe(fetched);
      vi.setSystemTime(Date.now() + 21_000);
      const later = await post(encode(await robotForm({}, { aud: robot.clientId, groups: ["engineering"], key: fresh })));
      expect(later.status, JSON.stringify(later.body)).toBe(200);
      expect(idp.jwksFetches).toBe(fetched + 1);
      // a flood of unknown kids right after: no more fetches
      for (let i = 0; i < 3; i++) {
        const forged = await post(encode(await robotForm({}, { aud: robot.clientId, groups: ["engineering"], key: await newKeyPair() })));
        expect(forged.status).toBe(400);
      }
      expect(idp.jwksFetches).toBe(fetched + 1);
      vi.useRealTimers();
    });
  });

  describe("signing keys", () => {
    const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

    it("rotate: a successor is published first, signs after PREPUBLISH_SECONDS, and the retired key stays published for the longest ID-JAG", async () => {
      const first = await post(encode(await robotForm()));
      const oldKid = kidOf(first.body.access_token);
      const [old] = await db().signingKey.findMany({ where: { retiredAt: null } });
      expect(old.kid).toBe(oldKid);
      // 31 days on: a successor appears in the key set, the old key still signs.
      await db().signingKey.update({ where: { id: old.id }, data: { createdAt: daysAgo(31) } });
      resetSigner();
      const second = await post(encode(await robotForm()));
      expect(kidOf(second.body.access_token)).toBe(oldKid);
      const keys = await db().signingKey.findMany({ orderBy: { createdAt: "desc" } });
      expect(keys.map((k) => [k.kid === oldKid, k.retiredAt])).toEqual([
        [false, null],
        [true, null],
      ]);
      const successor = keys[0];
      expect((await publishedKeySet()).keys.map((k) => k.kid).sort()).toEqual([oldKid, successor.kid].sort());
      // Once the successor has been published long enough, it signs and the old key retires.
      await db().signingKey.update({ where: { id: successor.id }, data: { createdAt: new Date(Date.now() - (PREPUBLISH_SECONDS + 1) * 1000) } });
      resetSigner();
      const third = await post(encode(await robotForm()));
      expect(kidOf(third.body.access_token)).toBe(successor.kid);
      const retired = await db().signingKey.findUniqueOrThrow({ where: { id: old.id } });
      expect(retired.retiredAt).not.toBeNull();
      // ID-JAGs the old key signed still verify while it is published...
      expect((await publishedKeySet()).keys.map((k) => k.kid).sort()).toEqual([oldKid, successor.kid].sort());
      await verifyIdJag(second.body.access_token);
      // ...and it disappears once every token it signed has expired.
      await db().signingKey.update({ where: { id: old.id }, data: { retiredAt: new Date(Date.now() - 2 * 3_600_000) } });
      signalChanged(SIGNING_KEYS_SIGNAL);
      expect((await publishedKeySet()).keys.map((k) => k.kid)).toEqual([successor.kid]);
      await expect(verifyIdJag(second.body.access_token)).rejects.toThrow();
      await verifyIdJag(third.body.access_token);
    });

    it("are created once even when several requests need the first key at the same moment", async () => {
      await db().signingKey.deleteMany();
      resetSigner();
      const signers = await Promise.all([currentSigner(), currentSigner(), currentSigner(), currentSigner()]);
      expect(new Set(signers.map((s) => s.kid)).size).toBe(1);
      expect(await db().signingKey.count()).toBe(1);
      signalChanged(SIGNING_KEYS_SIGNAL);
      expect((await publishedKeySet()).keys.map((k) => k.kid)).toEqual([signers[0].kid]);
    });
  });

  describe("end to end with the MCP SDK v2 client over HTTP", () => {
    let server: Server;
    let origin = "";

    beforeAll(async () => {
      // The console as server.ts serves it, reduced to what this flow touches: /oauth/token goes
      // to the Next route handler, everything else to the public fast path.
      server = createServer((req, res) => {
        if ((req.url ?? "").split("?")[0] === "/oauth/token") {
          const chunks: Buffer[] = [];
          req.on("data", (c: Buffer) => chunks.push(c));
          req.on("end", async () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
            const request = new Request(new URL(req.url!, BASE_URL), { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks) });
            const response = await (tokenRoute.POST as Handler)(request, { params: Promise.resolve({}) });
            res.writeHead(response.status, Object.fromEntries(response.headers));
            res.end(Buffer.from(await response.arrayBuffer()));
          });
          return;
        }
        if (answerCimdHit(req, res)) return;
        void handlePublic(req, res).then((done) => {
          if (!done) {
            res.writeHead(404);
            res.end();
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((r) => server?.close(r));
    });

    // PUBLIC_BASE_URL is http://localhost:3000 (the issuer the SDK checks); the test's server
    // listens elsewhere, so the SDK's fetch goes there (as a reverse proxy would route it).
    const fetchFn = (url: string | URL, init?: RequestInit) => fetch(String(url).replace(BASE_URL, origin), init);

    it("discovers the token endpoint and obtains an ID-JAG with its client secret", async () => {
      const agent = app;
      const secret = (await issueSecret(agent.id)).body.secret as string;
      const result = await discoverAndRequestJwtAuthGrant({
        idpUrl: BASE_URL,
        audience: AUDIENCE,
        resource: target.resource,
        idToken: await idp.idToken({ aud: agent.clientId, sub: "sdk-user", groups: ["engineering"] }),
        clientId: agent.clientId,
        clientSecret: secret,
        scope: "jira:read jira:delete",
        fetchFn,
      });
      expect(result).toEqual({ jwtAuthGrant: expect.any(String), expiresIn: 600, scope: "jira:read" });
      const { payload } = await verifyIdJag(result.jwtAuthGrant);
      expect(payload).toMatchObject({ sub: "sdk-user", client_id: agent.clientId, aud: AUDIENCE, resource: target.resource, scope: "jira:read" });
      await expect(
        discoverAndRequestJwtAuthGrant({
          idpUrl: BASE_URL,
          audience: AUDIENCE,
          resource: target.resource,
          idToken: await idp.idToken({ aud: agent.clientId, groups: ["engineering"] }),
          clientId: agent.clientId,
          clientSecret: "pcxs_wrong",
          fetchFn,
        }),
      ).rejects.toThrow("Token exchange failed: invalid_client - Client authentication failed: wrong client secret, or none issued");
    });
  });
});
