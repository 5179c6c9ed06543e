import { createHash, randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT } from "jose";
// @ts-expect-error -- oidc-provider 9 ships no type declarations: the few members used are typed below
import OidcProvider from "oidc-provider";
import { db } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import "@/lib/reviews/handlers";
import { createAgent, revokeAgent, submitAgentVersion } from "@/lib/cimd/data";
import { addKey } from "@/lib/cimd/keys";
import { resetCimd, startCimdFollower } from "@/lib/public/cimd";
import { handlePublic } from "@/lib/public/router";
import { decideReview } from "@/lib/reviews/data";
import { actorOf, describeEngines, uid, useTestDatabase } from "../helpers/context";
import { makeTestTls, opensslMissing, type TestTls } from "../helpers/tls";

// Our hosted Client ID Metadata Documents, proved against a real authorization server: node
// oidc-provider with features.clientIdMetadataDocument (draft -02). The public fast path is
// served over TLS (a throwaway CA), PUBLIC_BASE_URL is that https origin, and the provider
// fetches each client_id from it: an interactive agent completes authorization code + PKCE, a
// headless agent gets a client_credentials token with a private_key_jwt assertion signed by the
// key the console generated. An edited-but-unapproved document is never what the provider sees,
// and a revoked agent's client_id is refused.
//
// Test-only plumbing (see shared/docs/oidc-provider-cimd.md): the provider's SSRF guard refuses
// loopback addresses, and its `fetch` option is the one way past it; our `fetch` replaces the
// guarded dispatcher with one that trusts the test CA and resolves the console's test host name
// to the loopback server, for our origin only. The provider's
// CIMD cache is off (cacheDuration 0), so every resolution of a client is a fresh fetch.

const noOpenssl = opensslMissing();

type FetchInit = RequestInit & { dispatcher?: object };
type Dispatcher = { close(): Promise<void> };
interface Fetched {
  url: string;
  status: number;
  body: string;
}
interface ProviderEventError {
  error?: string;
  message?: string;
  error_description?: string;
  error_detail?: string;
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, listener: (ctx: unknown, err: ProviderEventError) => void): void;
  Client: { find(id: string): Promise<{ clientName?: string; redirectUris?: string[]; clientAuthMethod?: string } | undefined> };
}
const Provider = OidcProvider as new (issuer: string, configuration: Record<string, unknown>) => Provider;
interface ProviderError {
  event: string;
  error: string;
  description?: string;
  detail?: string;
}

// The console's host name. Not 127.0.0.1 or localhost: our validator refuses a loopback host in an
// https client_id (rule client_id.loopback: an authorization server could never reach it), so the
// client_ids name a private-use host that only this test's fetch resolves, to 127.0.0.1.
const PUBLIC_HOST = "portcullis.internal";

/** A dns.lookup stand-in for the test host: always the loopback server. */
function toLoopback(_host: string, opts: { all?: boolean }, cb: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void) {
  if (opts.all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
  else cb(null, "127.0.0.1", 4);
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const closeServer = (s: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (!s) return resolve();
    s.closeAllConnections();
    s.close(() => resolve());
  });
const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));

/** A minimal user agent: manual redirects, one cookie jar for the provider's origin. */
class Browser {
  private jar = new Map<string, string>();
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, { method: init.method ?? (init.form ? "POST" : "GET"), headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=.*1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || !value) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

describeEngines("hosted CIMDs against node oidc-provider", (engine) => {
  if (noOpenssl) {
    it.skip(`needs the openssl CLI to make a throwaway CA for the TLS the client_ids require: ${noOpenssl}`, () => {});
    return;
  }
  const ctx = useTestDatabase(engine);

  let tls: TestTls;
  let publicServer: Server;
  let providerServer: Server;
  let origin = ""; // https://portcullis.internal:<port> (served on 127.0.0.1), PUBLIC_BASE_URL for this block
  let issuer = ""; // http://127.0.0.1:<port>
  let provider: Provider;
  let trusting: Dispatcher | undefined;
  let stopFollower: (() => void) | undefined;
  const previousBase = process.env.PUBLIC_BASE_URL;
  const fetched: Fetched[] = [];
  const errors: ProviderError[] = [];

  /** The provider's outgoing fetch: our origin through a dispatcher that trusts the test CA, the rest untouched (and guarded). */
  async function testFetch(url: string | URL, options: FetchInit): Promise<Response> {
    if (new URL(String(url)).origin !== origin) return globalThis.fetch(url, options);
    if (!trusting) {
      // The dispatcher oidc-provider passes is an undici Agent (Node's own, behind the global
      // fetch): a sibling without its SSRF hook, trusting the test CA, reaches the loopback server.
      // Its connector resolves our test host name to the loopback server.
      const Agent = options.dispatcher?.constructor as (new (opts: { connect: { ca: string; lookup: typeof toLoopback } }) => Dispatcher) | undefined;
      if (!options.dispatcher || typeof Agent !== "function") throw new Error("oidc-provider passed no undici dispatcher to replace");
      trusting = new Agent({ connect: { ca: tls.ca, lookup: toLoopback } });
    }
    const res = await globalThis.fetch(url, { ...options, dispatcher: trusting } as FetchInit);
    fetched.push({ url: String(url), status: res.status, body: await res.clone().text() });
    return res;
  }

  function newProvider(): Provider {
    const p = new Provider(issuer, {
      features: {
        devInteractions: { enabled: true },
        clientCredentials: { enabled: true },
        clientIdMetadataDocument: { enabled: true, ack: "draft-02", cacheDuration: { min: 0, max: 0 } },
      },
      pkce: { required: () => true },
      cookies: { keys: [randomBytes(16).toString("hex")] },
      fetch: testFetch,
    });
    for (const event of ["authorization.error", "grant.error", "server_error"]) {
      p.on(event, (_ctx, err) => {
        errors.push({ event, error: err.error ?? err.message ?? String(err), description: err.error_description, detail: err.error_detail });
      });
    }
    return p;
  }

  beforeAll(async () => {
    tls = makeTestTls({ dns: [PUBLIC_HOST, "localhost"], ip: ["127.0.0.1"] });
    publicServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (req: IncomingMessage, res: ServerResponse) => {
      void handlePublic(req, res).then((done) => {
        if (!done) {
          res.writeHead(404);
          res.end("not public");
        }
      });
    });
    origin = `https://${PUBLIC_HOST}:${await listen(publicServer)}`;
    // Before any agent exists: client_ids are fixed at creation from PUBLIC_BASE_URL.
    process.env.PUBLIC_BASE_URL = origin;
    resetEnvCache();
    resetCimd();
    stopFollower = startCimdFollower(200);

    const handler: { current?: (req: IncomingMessage, res: ServerResponse) => void } = {};
    providerServer = createHttpServer((req, res) => handler.current?.(req, res));
    issuer = `http://127.0.0.1:${await listen(providerServer)}`;
    provider = newProvider();
    handler.current = provider.callback();
  });

  afterAll(async () => {
    stopFollower?.();
    resetCimd();
    await trusting?.close();
    await closeServer(providerServer);
    await closeServer(publicServer);
    if (previousBase === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = previousBase;
    resetEnvCache();
  });

  const publisher = () => actorOf(ctx.users.publisher);
  const approve = (reviewId: string) => decideReview(actorOf(ctx.users.approver), reviewId, { decision: "approve" });
  const errorsSince = (n: number) => errors.slice(n);
  const fetchesOf = (clientId: string, since = 0) => fetched.slice(since).filter((f) => f.url === clientId);
  /** The bytes /oauth/clients/<slug> must serve: the agent's current (approved) version. */
  async function servedCanonical(agentId: string) {
    const agent = await db().agent.findUniqueOrThrow({ where: { id: agentId } });
    return (await db().agentVersion.findUniqueOrThrow({ where: { id: agent.currentVersionId! } })).canonical;
  }

  /** The client as the provider resolves it now (its CIMD cache is off, so: fetched now). */
  async function seenByProvider(clientId: string) {
    const client = await provider.Client.find(clientId);
    return { clientName: client?.clientName, redirectUris: client?.redirectUris, authMethod: client?.clientAuthMethod };
  }

  /**
   * An authorization code + PKCE flow as a browser would drive it through the dev interactions:
   * /auth, login, consent, back to the redirect_uri with a code. The first answer that is neither
   * a step of the flow nor the redirect back is returned as `refused`.
   */
  async function authorize(clientId: string, redirectUri: string, extra: Record<string, string> = {}) {
    const browser = new Browser();
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(8).toString("hex");
    const params = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid",
      state,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      ...extra,
    });
    let res = await browser.go(`${issuer}/auth?${params}`);
    for (let step = 0; step < 12; step++) {
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, issuer);
        if (next.href.startsWith(redirectUri)) return { verifier, state, redirect: next };
        res = await browser.go(next.href);
        continue;
      }
      const html = await res.text();
      const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (res.status !== 200 || !prompt || !action) return { refused: { status: res.status, html }, verifier };
      res = await browser.go(new URL(action, issuer).href, { form: prompt === "login" ? { prompt, login: "alice", password: "any" } : { prompt } });
    }
    throw new Error("authorization did not finish in 12 steps");
  }

  async function token(form: Record<string, string>) {
    const res = await fetch(`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function clientAssertion(clientId: string, pem: string, kid: string, alg = "ES256") {
    return new SignJWT({})
      .setProtectedHeader({ alg, kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(issuer)
      .setJti(randomBytes(12).toString("base64url"))
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(await importPKCS8(pem, alg));
  }
  const clientCredentials = async (clientId: string, pem: string, kid: string) =>
    token({
      grant_type: "client_credentials",
      client_id: clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await clientAssertion(clientId, pem, kid),
    });

  it("the provider advertises CIMD support, the code and client_credentials grants; our client_ids are https", async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery.client_id_metadata_document_supported).toBe(true);
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "client_credentials"]));
    expect(origin).toMatch(/^https:\/\/portcullis\.internal:\d+$/);
  });

  it("interactive agent: authorization code + PKCE against the approved document, code exchanged for an access token", async () => {
    const slug = `cimd-op-${uid().toLowerCase()}`;
    const redirect = "https://app.example.com/callback";
    const made = await createAgent(publisher(), {
      slug,
      name: `Interactive ${slug}`,
      kind: "interactive",
      document: { client_name: `Agent ${slug}`, redirect_uris: [redirect], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" },
    });
    expect(made.clientId).toBe(`${origin}/oauth/clients/${slug}`);

    // Not approved yet: nothing is served, the provider refuses the client_id.
    let mark = errors.length;
    const early = await authorize(made.clientId, redirect);
    expect(early.refused?.status).toBe(400);
    expect(errorsSince(mark)).toContainEqual({ event: "authorization.error", error: "invalid_client", description: "client_id metadata document fetch failed", detail: "unexpected response status 404" });

    await approve(made.review!.id);
    const served = await servedCanonical(made.id);
    const fetchMark = fetched.length;
    mark = errors.length;
    const flow = await authorize(made.clientId, redirect);
    expect(flow.refused).toBeUndefined();
    expect(errorsSince(mark)).toEqual([]);
    // Every time the provider resolved the client it fetched exactly the approved bytes.
    const seen = fetchesOf(made.clientId, fetchMark);
    expect(seen.length).toBeGreaterThan(0);
    for (const f of seen) expect(f).toEqual({ url: made.clientId, status: 200, body: served });
    expect(sha256(seen[0].body)).toBe((await db().agentVersion.findUniqueOrThrow({ where: { id: made.version!.id } })).sha256);
    expect(await seenByProvider(made.clientId)).toEqual({ clientName: `Agent ${slug}`, redirectUris: [redirect], authMethod: "none" });

    const code = flow.redirect!.searchParams.get("code");
    expect(flow.redirect!.searchParams.get("state")).toBe(flow.state);
    expect(flow.redirect!.searchParams.get("iss")).toBe(issuer);
    expect(code).toBeTruthy();
    // The code is exchanged once, with its verifier; a replay is refused.
    const exchanged = await token({ grant_type: "authorization_code", code: code!, redirect_uri: redirect, client_id: made.clientId, code_verifier: flow.verifier });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: "Bearer", scope: "openid" });
    expect(typeof exchanged.body.access_token).toBe("string");
    expect(typeof exchanged.body.id_token).toBe("string");
    const replay = await token({ grant_type: "authorization_code", code: code!, redirect_uri: redirect, client_id: made.clientId, code_verifier: flow.verifier });
    expect(replay.body.error).toBe("invalid_grant");

    // A fresh code with a wrong verifier is refused.
    const again = await authorize(made.clientId, redirect);
    const wrong = await token({ grant_type: "authorization_code", code: again.redirect!.searchParams.get("code")!, redirect_uri: redirect, client_id: made.clientId, code_verifier: randomBytes(32).toString("base64url") });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    // And PKCE is required: no code_challenge, an error back at the redirect_uri.
    const noPkce = await authorize(made.clientId, redirect, { code_challenge: "", code_challenge_method: "" });
    expect(noPkce.redirect?.searchParams.get("error")).toBe("invalid_request");
    expect(noPkce.redirect?.searchParams.get("error_description")).toMatch(/requires PKCE/);
  });

  it("headless agent: client_credentials with a private_key_jwt assertion signed by the console-generated key, once its version is approved", async () => {
    const slug = `cimd-m2m-${uid().toLowerCase()}`;
    // The first document needs a key (private_key_jwt): one whose private half nobody keeps.
    const placeholder = { ...(await exportJWK((await generateKeyPair("ES256", { extractable: true })).publicKey)), kid: "placeholder", alg: "ES256", use: "sig" };
    const made = await createAgent(publisher(), {
      slug,
      name: `Headless ${slug}`,
      kind: "headless",
      document: { client_name: `Robot ${slug}`, grant_types: ["client_credentials"], response_types: [], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [placeholder] } },
    });
    await approve(made.review!.id);

    const generated = await addKey(publisher(), made.id, { action: "generate" });
    const pem = "privateKey" in generated ? generated.privateKey.pem : "";
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const kid = generated.key.kid;

    // The key's version is in review: the served document still lists only the placeholder.
    let mark = errors.length;
    const early = await clientCredentials(made.clientId, pem, kid);
    expect(early.status).toBe(401);
    expect(early.body).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
    expect(errorsSince(mark).map((e) => [e.event, e.error])).toContainEqual(["grant.error", "invalid_client"]);
    const servedBefore = JSON.parse(fetchesOf(made.clientId).at(-1)!.body) as { jwks: { keys: { kid: string }[] } };
    expect(servedBefore.jwks.keys.map((k) => k.kid)).toEqual(["placeholder"]);

    await approve(generated.review.id);
    const fetchMark = fetched.length;
    mark = errors.length;
    const ok = await clientCredentials(made.clientId, pem, kid);
    expect(errorsSince(mark)).toEqual([]);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer" });
    expect(typeof ok.body.access_token).toBe("string");
    expect(ok.body.expires_in).toBeGreaterThan(0);
    const seen = fetchesOf(made.clientId, fetchMark);
    expect(seen.length).toBeGreaterThan(0);
    for (const f of seen) expect(f).toEqual({ url: made.clientId, status: 200, body: await servedCanonical(made.id) });
    expect((JSON.parse(seen[0].body) as { jwks: { keys: { kid: string }[] } }).jwks.keys.map((k) => k.kid)).toEqual(["placeholder", kid]);

    // The assertion is really checked: one signed by another key is refused.
    const stranger = await generateKeyPair("ES256", { extractable: true });
    const refused = await clientCredentials(made.clientId, await exportPKCS8(stranger.privateKey), kid);
    expect(refused.body.error).toBe("invalid_client");

    // Revoked: the document is no longer served and the provider refuses the client.
    await revokeAgent(actorOf(ctx.users.approver), made.id, "key compromised");
    mark = errors.length;
    const revoked = await clientCredentials(made.clientId, pem, kid);
    expect(revoked.body.error).toBe("invalid_client");
    expect(errorsSince(mark)).toContainEqual(expect.objectContaining({ event: "grant.error", error: "invalid_client", detail: "unexpected response status 404" }));
  });

  it("an edited but unapproved document is never what the provider sees; approving it switches the provider over", async () => {
    const slug = `cimd-edit-${uid().toLowerCase()}`;
    const oldRedirect = "https://app.example.com/callback";
    const newRedirect = "https://app.example.com/new-callback";
    const base = { grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" };
    const made = await createAgent(publisher(), { slug, name: `Edited ${slug}`, kind: "interactive", document: { ...base, client_name: `Before ${slug}`, redirect_uris: [oldRedirect] } });
    await approve(made.review!.id);
    const approvedBytes = await servedCanonical(made.id);
    const edit = await submitAgentVersion(publisher(), made.id, { document: { ...base, client_name: `After ${slug}`, redirect_uris: [newRedirect] } });
    expect(edit.review.state).toBe("pending");

    // The pending redirect_uri is refused; the approved one works, under the approved name.
    let mark = errors.length;
    const fetchMark = fetched.length;
    const withNew = await authorize(made.clientId, newRedirect);
    expect(withNew.refused?.status).toBe(400);
    expect(errorsSince(mark).map((e) => [e.event, e.error])).toContainEqual(["authorization.error", "invalid_redirect_uri"]);
    const withOld = await authorize(made.clientId, oldRedirect);
    expect(withOld.refused).toBeUndefined();
    expect(withOld.redirect!.searchParams.get("code")).toBeTruthy();
    expect(await seenByProvider(made.clientId)).toEqual({ clientName: `Before ${slug}`, redirectUris: [oldRedirect], authMethod: "none" });
    const seen = fetchesOf(made.clientId, fetchMark);
    expect(seen.length).toBeGreaterThan(0);
    for (const f of seen) expect(f).toEqual({ url: made.clientId, status: 200, body: approvedBytes });
    expect(seen.some((f) => f.body.includes(newRedirect) || f.body.includes(`After ${slug}`))).toBe(false);

    // Once approved, the provider follows: the new redirect works and the old one is refused.
    await approve(edit.review.id);
    const switched = await authorize(made.clientId, newRedirect);
    expect(switched.refused).toBeUndefined();
    expect(await seenByProvider(made.clientId)).toEqual({ clientName: `After ${slug}`, redirectUris: [newRedirect], authMethod: "none" });
    mark = errors.length;
    const stale = await authorize(made.clientId, oldRedirect);
    expect(stale.refused?.status).toBe(400);
    expect(errorsSince(mark).map((e) => [e.event, e.error])).toContainEqual(["authorization.error", "invalid_redirect_uri"]);
  });

  it("a revoked agent's client_id is refused with invalid_client", async () => {
    const slug = `cimd-revoked-${uid().toLowerCase()}`;
    const redirect = "https://app.example.com/callback";
    const made = await createAgent(publisher(), {
      slug,
      name: `Revoked ${slug}`,
      kind: "interactive",
      document: { client_name: `Agent ${slug}`, redirect_uris: [redirect], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" },
    });
    await approve(made.review!.id);
    expect((await authorize(made.clientId, redirect)).refused).toBeUndefined();

    await revokeAgent(actorOf(ctx.users.approver), made.id, "retired agent");
    const fetchMark = fetched.length;
    const mark = errors.length;
    const res = await authorize(made.clientId, redirect);
    expect(res.refused?.status).toBe(400);
    expect(errorsSince(mark)).toContainEqual({ event: "authorization.error", error: "invalid_client", description: "client_id metadata document fetch failed", detail: "unexpected response status 404" });
    const seen = fetchesOf(made.clientId, fetchMark);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f) => f.status === 404)).toBe(true);
    await expect(provider.Client.find(made.clientId)).rejects.toMatchObject({ error: "invalid_client" });
  });
});
