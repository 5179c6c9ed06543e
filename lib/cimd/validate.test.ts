import { describe, expect, it } from "vitest";
import { canonicalCimd, clientIdIssues, MAX_CIMD_BYTES, SHARED_SECRET_METHODS, validateCimd, type CimdOptions, type CimdValidation } from "@/lib/cimd/validate";

// Every rule has a passing and a failing case; failing cases assert the exact [field, rule] list of
// errors, so a new or lost error fails the test.

const ID = "https://portcullis.acme.dev/oauth/agents/assistant.json";
const KEY = { kty: "EC", crv: "P-256", kid: "k1", use: "sig", alg: "ES256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };

type Doc = Record<string, unknown>;
const interactive = (over: Doc = {}): Doc => ({
  client_id: ID,
  client_name: "Acme Assistant",
  redirect_uris: ["https://app.acme.dev/oauth/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
  ...over,
});
const headless = (over: Doc = {}): Doc => ({
  client_id: ID,
  client_name: "Nightly sync",
  grant_types: ["client_credentials"],
  response_types: [],
  token_endpoint_auth_method: "private_key_jwt",
  jwks: { keys: [KEY] },
  ...over,
});
const without = (doc: Doc, ...keys: string[]): Doc => Object.fromEntries(Object.entries(doc).filter(([k]) => !keys.includes(k)));
const errorsOf = (r: CimdValidation) => r.errors.map((e) => [e.field, e.rule]);
const warningsOf = (r: CimdValidation) => r.warnings.map((e) => [e.field, e.rule]);

interface Case {
  name: string;
  doc: unknown;
  options?: CimdOptions;
  errors: string[][];
  warnings?: string[][];
}

function run(cases: Case[]) {
  it.each(cases)("$name", ({ doc, options, errors, warnings }) => {
    const r = validateCimd(doc, options);
    expect(errorsOf(r)).toEqual(errors);
    expect(r.valid).toBe(errors.length === 0);
    if (warnings) expect(warningsOf(r)).toEqual(warnings);
    for (const e of [...r.errors, ...r.warnings]) {
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.field === "" || e.field.startsWith("/")).toBe(true);
    }
  });
}

describe("the baseline documents", () => {
  run([
    { name: "an interactive agent", doc: interactive(), errors: [], warnings: [] },
    { name: "a headless agent", doc: headless(), errors: [], warnings: [] },
    { name: "unknown members (ATProto, OIDC) are allowed", doc: interactive({ application_type: "web", dpop_bound_access_tokens: true, x_custom: { a: [1] } }), errors: [], warnings: [] },
    {
      name: "all the optional members, well formed",
      doc: interactive({ scope: "mcp:read", contacts: ["ops@acme.dev"], software_id: "acme-assistant", software_version: "1.2.0", client_uri: "https://acme.dev", logo_uri: "https://acme.dev/logo.png", tos_uri: "https://acme.dev/tos", policy_uri: "https://acme.dev/privacy" }),
      errors: [],
      warnings: [],
    },
  ]);

  it("returns the input itself as the document, with its canonical form and size", () => {
    const doc = interactive();
    const r = validateCimd(doc);
    expect(r.document).toBe(doc);
    expect(r.canonical).toBe(canonicalCimd(doc));
    expect(r.size).toBe(new TextEncoder().encode(r.canonical).length);
  });
});

describe("type: the input is a JSON object", () => {
  run([null, [], [interactive()], "{}", 42, true, undefined].map((doc) => ({ name: `${JSON.stringify(doc) ?? "undefined"}`, doc, errors: [["", "type"]] })));

  it("has no document, canonical form or size when the input is not an object", () => {
    const r = validateCimd([]);
    expect(r).toMatchObject({ valid: false, size: 0 });
    expect(r.document).toBeUndefined();
    expect(r.canonical).toBeUndefined();
  });
});

describe("json: values JSON can represent", () => {
  const cyclic: Doc = interactive();
  cyclic.self = cyclic;
  let deep: unknown = "leaf";
  for (let i = 0; i < 100; i++) deep = [deep];
  const throwing = interactive();
  Object.defineProperty(throwing, "client_name", { enumerable: true, get: () => { throw new Error("boom"); } });
  run([
    { name: "a finite number", doc: interactive({ x_n: 1.5 }), errors: [] },
    { name: "NaN", doc: interactive({ x_n: NaN }), errors: [["/x_n", "json"]] },
    { name: "Infinity in an array", doc: interactive({ x_n: [1, Infinity] }), errors: [["/x_n/1", "json"]] },
    { name: "a function", doc: interactive({ x_f: () => 1 }), errors: [["/x_f", "json"]] },
    { name: "a Date", doc: interactive({ x_d: new Date(0) }), errors: [["/x_d", "json"]] },
    { name: "undefined in an array", doc: interactive({ x_a: [1, undefined] }), errors: [["/x_a/1", "json"]] },
    { name: "an undefined member is simply absent", doc: interactive({ scope: undefined }), errors: [] },
    { name: "a document that contains itself", doc: cyclic, errors: [["/self", "json"]] },
    { name: "nesting past 64 levels", doc: interactive({ x_deep: deep }), errors: [[`/x_deep${"/0".repeat(63)}`, "json"]] },
    { name: "a getter that throws", doc: throwing, errors: [["", "json"]] },
  ]);

  it("never throws on odd input", () => {
    const odd: unknown[] = [Symbol("s"), 10n, new Map(), Object.create(null), { client_id: {} }, { redirect_uris: [[]] }, { jwks: [] }, { grant_types: {} }];
    for (const v of odd) expect(() => validateCimd(v, { clientId: ID, fillClientId: true })).not.toThrow();
    expect(validateCimd(Object.assign(Object.create(null) as Doc, interactive())).valid).toBe(true);
  });
});

describe("client_id", () => {
  const withId = (client_id: unknown) => interactive({ client_id });
  run([
    { name: "client_id.required: absent", doc: without(interactive(), "client_id"), errors: [["/client_id", "client_id.required"]] },
    { name: "client_id.required: absent, fillClientId without a clientId", doc: without(interactive(), "client_id"), options: { fillClientId: true }, errors: [["/client_id", "client_id.required"]] },
    { name: "client_id.required: absent, clientId given without fillClientId", doc: without(interactive(), "client_id"), options: { clientId: ID }, errors: [["/client_id", "client_id.required"]] },
    { name: "type: a number", doc: withId(42), errors: [["/client_id", "type"]] },
    { name: "client_id.url: empty", doc: withId(""), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.url: a space", doc: withId("https://acme.dev/my agent.json"), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.url: a template placeholder in the host", doc: withId("https://<URL>.acme.dev/client.json"), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.url: relative", doc: withId("/oauth/client.json"), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.url: no host", doc: withId("https:///client.json"), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.url: a bad port", doc: withId("https://acme.dev:99999/client.json"), errors: [["/client_id", "client_id.url"]] },
    { name: "client_id.https: http", doc: withId("http://acme.dev/client.json"), errors: [["/client_id", "client_id.https"]] },
    { name: "client_id.https: another scheme", doc: withId("urn:acme:client"), errors: [["/client_id", "client_id.https"], ["/client_id", "client_id.url"]] },
    { name: "client_id.path: none", doc: withId("https://acme.dev"), errors: [["/client_id", "client_id.path"]] },
    { name: "client_id.path: only /", doc: withId("https://acme.dev/"), errors: [["/client_id", "client_id.path"]] },
    { name: "client_id.path: one segment is a path", doc: withId("https://acme.dev/c"), errors: [] },
    { name: "client_id.fragment", doc: withId("https://acme.dev/client.json#me"), errors: [["/client_id", "client_id.fragment"]] },
    { name: "client_id.fragment: an empty one", doc: withId("https://acme.dev/client.json#"), errors: [["/client_id", "client_id.fragment"]] },
    { name: "client_id.userinfo", doc: withId("https://user:pw@acme.dev/client.json"), errors: [["/client_id", "client_id.userinfo"]] },
    { name: "client_id.dot_segment: .", doc: withId("https://acme.dev/oauth/./client.json"), errors: [["/client_id", "client_id.dot_segment"]] },
    { name: "client_id.dot_segment: ..", doc: withId("https://acme.dev/oauth/../client.json"), errors: [["/client_id", "client_id.dot_segment"]] },
    { name: "client_id.dot_segment: encoded %2E%2e", doc: withId("https://acme.dev/oauth/%2E%2e/client.json"), errors: [["/client_id", "client_id.dot_segment"]] },
    { name: "client_id.dot_segment: dots inside a segment are fine", doc: withId("https://acme.dev/com.acme.app/..client.json"), errors: [] },
    { name: "client_id.reserved_host: .invalid", doc: withId("https://example.invalid/client.json"), errors: [["/client_id", "client_id.reserved_host"]] },
    { name: "client_id.reserved_host: .example", doc: withId("https://agents.example/client.json"), errors: [["/client_id", "client_id.reserved_host"]] },
    { name: "client_id.reserved_host: .test", doc: withId("https://portcullis.test/client.json"), errors: [["/client_id", "client_id.reserved_host"]] },
    { name: "client_id.reserved_host: a real TLD that merely contains 'test'", doc: withId("https://acme.testing/client.json"), errors: [] },
    { name: "client_id.loopback: localhost", doc: withId("https://localhost/client.json"), errors: [["/client_id", "client_id.loopback"]] },
    { name: "client_id.loopback: .localhost", doc: withId("https://portcullis.localhost/client.json"), errors: [["/client_id", "client_id.loopback"]] },
    { name: "client_id.loopback: 127.0.0.1", doc: withId("https://127.0.0.1:8443/client.json"), errors: [["/client_id", "client_id.loopback"]] },
    { name: "client_id.loopback: [::1]", doc: withId("https://[::1]/client.json"), errors: [["/client_id", "client_id.loopback"]] },
    { name: "client_id.loopback: a public IP address is not loopback", doc: withId("https://203.0.113.7/client.json"), errors: [] },
    { name: "client_id.query: a warning only", doc: withId("https://acme.dev/client.json?v=2"), errors: [], warnings: [["/client_id", "client_id.query"]] },
    { name: "client_id.tunnel_host: a warning only", doc: withId("https://ab12.tunnelmole.net/client.json"), errors: [], warnings: [["/client_id", "client_id.tunnel_host"]] },
    { name: "client_id.example_domain: a warning only", doc: withId("https://app.example.com/client.json"), errors: [], warnings: [["/client_id", "client_id.example_domain"]] },
  ]);

  describe("client_id.match: byte for byte with options.clientId", () => {
    run([
      { name: "equal", doc: interactive(), options: { clientId: ID }, errors: [] },
      { name: "a default port is not the same string", doc: withId("https://h.acme.dev:443/c"), options: { clientId: "https://h.acme.dev/c" }, errors: [["/client_id", "client_id.match"]] },
      { name: "a trailing slash differs", doc: withId(`${ID}/`), options: { clientId: ID }, errors: [["/client_id", "client_id.match"]] },
      { name: "case differs", doc: withId(ID.replace("portcullis", "Portcullis")), options: { clientId: ID }, errors: [["/client_id", "client_id.match"]] },
      { name: "a mismatch that is also a bad URL reports both", doc: withId("http://acme.dev/c"), options: { clientId: ID }, errors: [["/client_id", "client_id.match"], ["/client_id", "client_id.https"]] },
    ]);
  });

  describe("fillClientId", () => {
    it("fills an absent client_id from options.clientId on a copy, without error", () => {
      const doc = without(interactive(), "client_id");
      const before = structuredClone(doc);
      const r = validateCimd(doc, { clientId: ID, fillClientId: true });
      expect(errorsOf(r)).toEqual([]);
      expect(r.document).toEqual({ ...doc, client_id: ID });
      expect(Object.keys(r.document!)[0]).toBe("client_id");
      expect(r.document).not.toBe(doc);
      expect(doc).toEqual(before);
      expect(r.canonical).toContain(`"client_id":${JSON.stringify(ID)}`);
    });
    it("fills over an own client_id member that holds undefined", () => {
      const r = validateCimd(interactive({ client_id: undefined }), { clientId: ID, fillClientId: true });
      expect(r.valid).toBe(true);
      expect(r.document?.client_id).toBe(ID);
    });
    it("keeps a present client_id (and still checks it)", () => {
      const r = validateCimd(interactive({ client_id: "https://other.acme.dev/c" }), { clientId: ID, fillClientId: true });
      expect(errorsOf(r)).toEqual([["/client_id", "client_id.match"]]);
    });
    it("checks the filled value too", () => {
      const r = validateCimd(without(interactive(), "client_id"), { clientId: "https://acme.dev/", fillClientId: true });
      expect(errorsOf(r)).toEqual([["/client_id", "client_id.path"]]);
    });
  });

  describe("insecureBase (http PUBLIC_BASE_URL in development)", () => {
    const dev = "http://localhost:3000/oauth/agents/a1";
    run([
      { name: "an http loopback client_id is an error without it", doc: withId(dev), errors: [["/client_id", "client_id.https"], ["/client_id", "client_id.loopback"]] },
      { name: "an http loopback client_id is a warning with it", doc: withId(dev), options: { clientId: dev, insecureBase: true }, errors: [], warnings: [["/client_id", "client_id.insecure"]] },
      { name: "an https loopback client_id is allowed with it", doc: withId("https://portcullis.localhost/a1"), options: { insecureBase: true }, errors: [], warnings: [] },
      { name: "other schemes are still errors", doc: withId("ftp://localhost/a1"), options: { insecureBase: true }, errors: [["/client_id", "client_id.https"]] },
      { name: "reserved hosts are still errors", doc: withId("http://portcullis.test/a1"), options: { insecureBase: true }, errors: [["/client_id", "client_id.reserved_host"]], warnings: [["/client_id", "client_id.insecure"]] },
    ]);
  });

  it("clientIdIssues checks the string alone and names /client_id", () => {
    expect(clientIdIssues(ID)).toEqual({ errors: [], warnings: [] });
    const bad = clientIdIssues("http://u@localhost/./x#f?");
    expect(bad.errors.map((e) => e.rule)).toEqual(["client_id.https", "client_id.userinfo", "client_id.loopback", "client_id.dot_segment", "client_id.fragment"]);
    expect(bad.errors.every((e) => e.field === "/client_id")).toBe(true);
    expect(clientIdIssues("http://localhost:3000/a", { insecureBase: true }).errors).toEqual([]);
    expect(clientIdIssues("https://acme.dev/c?x=1").warnings.map((w) => w.rule)).toEqual(["client_id.query"]);
  });
});

describe("client_name", () => {
  run([
    { name: "client_name.required: absent (interactive)", doc: without(interactive(), "client_name"), errors: [["/client_name", "client_name.required"]] },
    { name: "client_name.required: empty (interactive)", doc: interactive({ client_name: "" }), errors: [["/client_name", "client_name.required"]] },
    { name: "client_name.required: blank (interactive)", doc: interactive({ client_name: "  " }), errors: [["/client_name", "client_name.required"]] },
    { name: "type: not a string", doc: interactive({ client_name: ["Acme"] }), errors: [["/client_name", "type"]] },
    { name: "optional for headless", doc: without(headless(), "client_name"), errors: [], warnings: [] },
    { name: "type: still a string when present (headless)", doc: headless({ client_name: 7 }), errors: [["/client_name", "type"]] },
    { name: "client_name.empty: a warning for headless", doc: headless({ client_name: "" }), errors: [], warnings: [["/client_name", "client_name.empty"]] },
  ]);
});

describe("redirect_uris (interactive)", () => {
  const redirects = (...uris: unknown[]) => interactive({ redirect_uris: uris });
  run([
    { name: "redirect_uris.required: absent", doc: without(interactive(), "redirect_uris"), errors: [["/redirect_uris", "redirect_uris.required"]] },
    { name: "redirect_uris.required: empty", doc: redirects(), errors: [["/redirect_uris", "redirect_uris.required"]] },
    { name: "type: a string, not an array", doc: interactive({ redirect_uris: "https://app.acme.dev/cb" }), errors: [["/redirect_uris", "type"]] },
    { name: "type: an item that is not a string", doc: redirects("https://app.acme.dev/cb", 5), errors: [["/redirect_uris/1", "type"]] },
    { name: "https", doc: redirects("https://app.acme.dev/cb", "https://app.acme.dev/cb2?x=1"), errors: [], warnings: [] },
    { name: "redirect_uri.url: relative", doc: redirects("/callback"), errors: [["/redirect_uris/0", "redirect_uri.url"]] },
    { name: "redirect_uri.url: a space", doc: redirects("https://app.acme.dev/call back"), errors: [["/redirect_uris/0", "redirect_uri.url"]] },
    { name: "redirect_uri.url: https without a host", doc: redirects("https:/callback"), errors: [["/redirect_uris/0", "redirect_uri.url"]] },
    { name: "redirect_uri.fragment", doc: redirects("https://app.acme.dev/cb#done"), errors: [["/redirect_uris/0", "redirect_uri.fragment"]] },
    { name: "redirect_uri.scheme: http off loopback", doc: redirects("http://example.com/cb"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    { name: "redirect_uri.scheme: http on a private address", doc: redirects("http://192.168.1.10:8080/cb"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    { name: "redirect_uri.scheme: http on a .localhost name", doc: redirects("http://app.localhost/cb"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    { name: "redirect_uri.scheme: javascript:", doc: redirects("javascript:alert(1)"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    { name: "redirect_uri.scheme: data:", doc: redirects("data:text/html,hi"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    { name: "redirect_uri.scheme: file:", doc: redirects("file:///tmp/cb.html"), errors: [["/redirect_uris/0", "redirect_uri.scheme"]] },
    {
      name: "redirect_uri.loopback: http on 127.0.0.1, [::1] and localhost, with and without a port",
      doc: redirects("http://127.0.0.1:8080/callback", "http://[::1]/callback", "http://localhost:3000/callback", "http://127.0.0.1/callback"),
      errors: [],
      warnings: [["/redirect_uris/0", "redirect_uri.loopback"], ["/redirect_uris/1", "redirect_uri.loopback"], ["/redirect_uris/2", "redirect_uri.loopback"], ["/redirect_uris/3", "redirect_uri.loopback"], ["/redirect_uris", "redirect_uris.localhost_only"]],
    },
    { name: "redirect_uris.localhost_only: not when an https redirect is there too", doc: redirects("https://app.acme.dev/cb", "http://127.0.0.1:8080/cb"), errors: [], warnings: [["/redirect_uris/1", "redirect_uri.loopback"]] },
    { name: "redirect_uris.localhost_only: https on localhost counts as local", doc: redirects("https://localhost:8443/cb"), errors: [], warnings: [["/redirect_uris", "redirect_uris.localhost_only"]] },
    { name: "redirect_uri.private_use: a reverse-DNS scheme", doc: redirects("com.acme.assistant:/oauth/callback"), errors: [], warnings: [["/redirect_uris/0", "redirect_uri.private_use"]] },
    { name: "redirect_uri.private_use: a bare scheme (warned, not refused)", doc: redirects("acmeapp://callback"), errors: [], warnings: [["/redirect_uris/0", "redirect_uri.private_use"]] },
    { name: "redirect_uris.duplicate: a warning", doc: redirects("https://app.acme.dev/cb", "https://app.acme.dev/cb"), errors: [], warnings: [["/redirect_uris/1", "redirect_uris.duplicate"]] },
  ]);

  it("says which private-use schemes are not reverse domain names", () => {
    const [dotted] = validateCimd(redirects("com.acme.assistant:/cb")).warnings;
    const [bare] = validateCimd(redirects("acmeapp://cb")).warnings;
    expect(dotted.message).not.toMatch(/not a reverse domain/);
    expect(bare.message).toMatch(/not a reverse domain name/);
  });
  it("names the redirect in its loopback warning", () => {
    expect(validateCimd(redirects("https://app.acme.dev/cb", "http://127.0.0.1:9/cb")).warnings[0].message).toMatch(/^redirect_uris\[1\] is a native client loopback redirect/);
  });
});

describe("headless agents", () => {
  run([
    { name: "inferred: no redirect_uris and client_credentials", doc: headless(), errors: [] },
    { name: "inferred only with client_credentials (otherwise interactive)", doc: without(headless({ grant_types: ["refresh_token"] }), "client_name"), errors: [["/client_name", "client_name.required"], ["/redirect_uris", "redirect_uris.required"], ["/grant_types", "grant_types.consistency"]] },
    { name: "headless.redirect_uris: present and non-empty", doc: headless({ redirect_uris: ["https://app.acme.dev/cb"] }), options: { kind: "headless" }, errors: [["/redirect_uris", "headless.redirect_uris"]] },
    { name: "headless.redirect_uris: empty is a warning", doc: headless({ redirect_uris: [] }), errors: [], warnings: [["/redirect_uris", "headless.redirect_uris"]] },
    { name: "type: redirect_uris not an array", doc: headless({ redirect_uris: "none" }), options: { kind: "headless" }, errors: [["/redirect_uris", "type"]] },
    { name: "headless.client_credentials: missing", doc: headless({ grant_types: ["urn:ietf:params:oauth:grant-type:jwt-bearer"] }), options: { kind: "headless" }, errors: [["/grant_types", "headless.client_credentials"]] },
    { name: "headless.client_credentials: grant_types absent means authorization_code", doc: without(headless(), "grant_types", "response_types"), options: { kind: "headless" }, errors: [["/grant_types", "headless.client_credentials"], ["/grant_types", "headless.authorization_code"]] },
    { name: "headless.authorization_code", doc: headless({ grant_types: ["client_credentials", "authorization_code"], response_types: ["code"] }), errors: [["/grant_types", "headless.authorization_code"]] },
    { name: "headless.auth_method: none", doc: headless({ token_endpoint_auth_method: "none" }), errors: [["/token_endpoint_auth_method", "headless.auth_method"]] },
    { name: "headless.auth_method: absent", doc: without(headless(), "token_endpoint_auth_method"), errors: [["/token_endpoint_auth_method", "headless.auth_method"]] },
    { name: "headless.auth_method: tls_client_auth authenticates too", doc: without(headless({ token_endpoint_auth_method: "tls_client_auth" }), "jwks"), errors: [] },
    { name: "headless with token exchange as well", doc: headless({ grant_types: ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"] }), errors: [], warnings: [] },
    { name: "kind: interactive forces the interactive rules", doc: headless(), options: { kind: "interactive" }, errors: [["/redirect_uris", "redirect_uris.required"], ["/grant_types/0", "grant_types.client_credentials"], ["/grant_types", "grant_types.consistency"]] },
  ]);
});

describe("secrets and token_endpoint_auth_method", () => {
  run([
    { name: "secret.forbidden: client_secret", doc: interactive({ client_secret: "s3cret" }), errors: [["/client_secret", "secret.forbidden"]] },
    { name: "secret.forbidden: client_secret_expires_at", doc: interactive({ client_secret_expires_at: 0 }), errors: [["/client_secret_expires_at", "secret.forbidden"]] },
    ...SHARED_SECRET_METHODS.map((m) => ({ name: `auth_method.shared_secret: ${m}`, doc: interactive({ token_endpoint_auth_method: m }), errors: [["/token_endpoint_auth_method", "auth_method.shared_secret"]] })),
    { name: "type: not a string", doc: interactive({ token_endpoint_auth_method: ["none"] }), errors: [["/token_endpoint_auth_method", "type"]] },
    { name: "none", doc: interactive({ token_endpoint_auth_method: "none" }), errors: [], warnings: [] },
    { name: "auth_method.keys: private_key_jwt without keys", doc: interactive({ token_endpoint_auth_method: "private_key_jwt" }), errors: [["/token_endpoint_auth_method", "auth_method.keys"]] },
    { name: "auth_method.keys: private_key_jwt with jwks_uri", doc: interactive({ token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://acme.dev/jwks.json" }), errors: [], warnings: [] },
    { name: "auth_method.keys: private_key_jwt with jwks", doc: interactive({ token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [KEY] } }), errors: [], warnings: [] },
    { name: "auth_method.unknown: a warning", doc: interactive({ token_endpoint_auth_method: "magic_link" }), errors: [], warnings: [["/token_endpoint_auth_method", "auth_method.unknown"]] },
    { name: "auth_method.default: absent is a warning for interactive agents", doc: without(interactive(), "token_endpoint_auth_method"), errors: [], warnings: [["/token_endpoint_auth_method", "auth_method.default"]] },
  ]);

  it("SHARED_SECRET_METHODS lists the shared-secret methods", () => {
    expect(SHARED_SECRET_METHODS).toEqual(["client_secret_basic", "client_secret_post", "client_secret_jwt"]);
  });
  it("explains the secret rule in a sentence naming the field", () => {
    expect(validateCimd(interactive({ client_secret: "x" })).errors[0].message).toBe(
      "client_secret must not appear: a metadata document is public; use private_key_jwt with jwks or jwks_uri",
    );
  });
});

describe("URI members", () => {
  for (const k of ["client_uri", "logo_uri", "jwks_uri", "tos_uri", "policy_uri"]) {
    describe(k, () => {
      run([
        { name: "https", doc: interactive({ [k]: "https://acme.dev/x" }), errors: [], warnings: [] },
        { name: "uri.https: http", doc: interactive({ [k]: "http://acme.dev/x" }), errors: [[`/${k}`, "uri.https"]] },
        { name: "uri.url: data: has no host", doc: interactive({ [k]: "data:image/png;base64,AAAA" }), errors: [[`/${k}`, "uri.url"]] },
        { name: "uri.url: empty", doc: interactive({ [k]: "" }), errors: [[`/${k}`, "uri.url"]] },
        { name: "uri.url: relative", doc: interactive({ [k]: "/x" }), errors: [[`/${k}`, "uri.url"]] },
        { name: "type: not a string", doc: interactive({ [k]: { href: "https://acme.dev" } }), errors: [[`/${k}`, "type"]] },
      ]);
    });
  }

  describe("insecureBase: http under the hosted origin is a warning", () => {
    const dev = "http://localhost:3000/oauth/agents/a1";
    const devDoc = (over: Doc) => interactive({ client_id: dev, token_endpoint_auth_method: "private_key_jwt", ...over });
    run([
      { name: "uri.insecure: our hosted jwks_uri", doc: devDoc({ jwks_uri: "http://localhost:3000/oauth/agents/a1/jwks.json" }), options: { clientId: dev, insecureBase: true }, errors: [], warnings: [["/client_id", "client_id.insecure"], ["/jwks_uri", "uri.insecure"]] },
      { name: "uri.https: http on another origin", doc: devDoc({ jwks_uri: "http://localhost:4000/jwks.json" }), options: { clientId: dev, insecureBase: true }, errors: [["/jwks_uri", "uri.https"]] },
      { name: "uri.https: our origin without insecureBase", doc: devDoc({ jwks_uri: "http://localhost:3000/jwks.json" }), options: { clientId: dev }, errors: [["/client_id", "client_id.https"], ["/client_id", "client_id.loopback"], ["/jwks_uri", "uri.https"]] },
    ]);
  });
});

describe("jwks", () => {
  const keys = (...ks: unknown[]) => headless({ jwks: { keys: ks } });
  run([
    { name: "jwks.both: jwks and jwks_uri", doc: headless({ jwks_uri: "https://acme.dev/jwks.json" }), errors: [["/jwks", "jwks.both"]] },
    { name: "type: jwks not an object", doc: headless({ jwks: [KEY] }), errors: [["/jwks", "type"]] },
    { name: "jwks.keys: no keys member", doc: headless({ jwks: { key: KEY } }), errors: [["/jwks/keys", "jwks.keys"]] },
    { name: "type: keys not an array", doc: headless({ jwks: { keys: KEY } }), errors: [["/jwks/keys", "type"]] },
    { name: "type: a key that is not an object", doc: keys(KEY, "k2"), errors: [["/jwks/keys/1", "type"]] },
    { name: "jwks.kty: missing", doc: keys({ ...KEY, kty: undefined }), errors: [["/jwks/keys/0/kty", "jwks.kty"]] },
    { name: "jwks.kty: not a string", doc: keys({ ...KEY, kty: 2 }), errors: [["/jwks/keys/0/kty", "jwks.kty"]] },
    { name: "public RSA and OKP keys", doc: keys({ kty: "RSA", kid: "r", n: "sXch", e: "AQAB" }, { kty: "OKP", crv: "Ed25519", kid: "o", x: "11qY" }), errors: [], warnings: [] },
    ...["d", "p", "q", "dp", "dq", "qi", "k", "oth"].map((m) => ({ name: `jwks.private: ${m}`, doc: keys(KEY, { ...KEY, kid: "k2", [m]: "secret" }), errors: [[`/jwks/keys/1/${m}`, "jwks.private"]] })),
    { name: "jwks.private: every private member of an RSA key", doc: keys({ kty: "RSA", kid: "r", n: "n", e: "AQAB", d: "d", p: "p", q: "q", dp: "dp", dq: "dq", qi: "qi" }), errors: ["d", "p", "q", "dp", "dq", "qi"].map((m) => [`/jwks/keys/0/${m}`, "jwks.private"]) },
    { name: "jwks.kid_duplicate", doc: keys(KEY, { ...KEY, x: "other" }), errors: [["/jwks/keys/1/kid", "jwks.kid_duplicate"]] },
    { name: "type: kid not a string", doc: keys({ ...KEY, kid: 1 }), errors: [["/jwks/keys/0/kid", "type"]] },
    { name: "jwks.kid_missing: a warning", doc: keys({ ...KEY, kid: undefined }), errors: [], warnings: [["/jwks/keys/0", "jwks.kid_missing"]] },
    { name: "jwks.empty: an error for private_key_jwt", doc: keys(), errors: [["/jwks/keys", "jwks.empty"]] },
    { name: "jwks.empty: a warning otherwise", doc: interactive({ jwks: { keys: [] } }), errors: [], warnings: [["/jwks/keys", "jwks.empty"]] },
  ]);
});

describe("grant_types", () => {
  const grants = (...g: unknown[]) => interactive({ grant_types: g });
  run([
    { name: "absent means authorization_code (RFC 7591)", doc: without(interactive(), "grant_types"), errors: [], warnings: [] },
    { name: "type: not an array", doc: interactive({ grant_types: "authorization_code" }), errors: [["/grant_types", "type"]] },
    { name: "type: an item that is not a string", doc: grants("authorization_code", 1), errors: [["/grant_types/1", "type"]] },
    { name: "token exchange and jwt-bearer are known", doc: grants("authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer"), errors: [], warnings: [] },
    { name: "grant_types.forbidden: implicit", doc: grants("authorization_code", "implicit"), errors: [["/grant_types/1", "grant_types.forbidden"]] },
    { name: "grant_types.forbidden: password", doc: grants("password", "authorization_code"), errors: [["/grant_types/0", "grant_types.forbidden"]] },
    { name: "grant_types.client_credentials: an interactive agent", doc: grants("authorization_code", "client_credentials"), errors: [["/grant_types/1", "grant_types.client_credentials"]] },
    { name: "grant_types.unknown: a warning", doc: grants("authorization_code", "urn:ietf:params:oauth:grant-type:device_code"), errors: [], warnings: [["/grant_types/1", "grant_types.unknown"]] },
    { name: "grant_types.consistency: empty", doc: interactive({ grant_types: [], response_types: [] }), errors: [["/grant_types", "grant_types.consistency"]] },
    { name: "grant_types.consistency: refresh_token alone", doc: grants("refresh_token"), errors: [["/grant_types", "grant_types.consistency"]] },
  ]);
});

describe("response_types", () => {
  run([
    { name: "absent means code (RFC 7591)", doc: without(interactive(), "response_types"), errors: [], warnings: [] },
    { name: "type: not an array", doc: interactive({ response_types: "code" }), errors: [["/response_types", "type"]] },
    { name: "type: an item that is not a string", doc: interactive({ response_types: ["code", null] }), errors: [["/response_types/1", "type"]] },
    { name: "response_types.value: token", doc: interactive({ response_types: ["code", "token"] }), errors: [["/response_types/1", "response_types.value"]] },
    { name: "response_types.value: a hybrid response", doc: interactive({ response_types: ["code id_token"] }), errors: [["/response_types/0", "response_types.value"], ["/response_types", "response_types.consistency"]] },
    { name: "response_types.consistency: authorization_code without code", doc: interactive({ response_types: [] }), errors: [["/response_types", "response_types.consistency"]] },
    { name: "response_types.consistency: headless with code", doc: headless({ response_types: ["code"] }), errors: [["/response_types", "response_types.consistency"]] },
    { name: "response_types.consistency: headless with response_types absent (it means code)", doc: without(headless(), "response_types"), errors: [["/response_types", "response_types.consistency"]] },
    { name: "headless with an empty list", doc: headless({ response_types: [] }), errors: [] },
  ]);
});

describe("other member types", () => {
  run([
    { name: "scope: an empty string is a string", doc: interactive({ scope: "" }), errors: [] },
    { name: "type: scope", doc: interactive({ scope: ["mcp:read"] }), errors: [["/scope", "type"]] },
    { name: "type: software_id", doc: interactive({ software_id: 1 }), errors: [["/software_id", "type"]] },
    { name: "type: software_version", doc: interactive({ software_version: 1.2 }), errors: [["/software_version", "type"]] },
    { name: "type: contacts not an array", doc: interactive({ contacts: "ops@acme.dev" }), errors: [["/contacts", "type"]] },
    { name: "type: a contact that is not a string", doc: interactive({ contacts: ["ops@acme.dev", { email: "x" }] }), errors: [["/contacts/1", "type"]] },
  ]);
});

describe("size.max", () => {
  // pad an unknown member so the canonical form is exactly `bytes` long, two bytes per "é"
  const sized = (bytes: number): Doc => {
    const base = canonicalCimd(interactive({ x_pad: "" }));
    const room = bytes - new TextEncoder().encode(base).length;
    return interactive({ x_pad: "é".repeat(Math.floor(room / 2)) + "a".repeat(room % 2) });
  };
  run([
    { name: `exactly ${MAX_CIMD_BYTES} bytes`, doc: sized(MAX_CIMD_BYTES), errors: [] },
    { name: `${MAX_CIMD_BYTES + 1} bytes`, doc: sized(MAX_CIMD_BYTES + 1), errors: [["", "size.max"]] },
  ]);

  it("counts UTF-8 bytes of the canonical form, not characters or the input's whitespace", () => {
    const r = validateCimd(sized(MAX_CIMD_BYTES));
    expect(r.size).toBe(MAX_CIMD_BYTES);
    expect(r.canonical!.length).toBeLessThan(MAX_CIMD_BYTES);
    expect(validateCimd(sized(MAX_CIMD_BYTES + 1)).errors[0].message).toContain(`${MAX_CIMD_BYTES + 1} bytes`);
  });
});

describe("changes against the published document (options.previous)", () => {
  const K2 = { ...KEY, kid: "k2", x: "other" };
  const published = headless({ jwks: { keys: [KEY, K2] } });
  run([
    { name: "no previous document", doc: headless(), options: { previous: null }, errors: [], warnings: [] },
    { name: "the same keys in another order, with other members", doc: headless({ jwks: { keys: [{ ...K2, use: undefined }, KEY] } }), options: { previous: published }, errors: [], warnings: [] },
    { name: "keys.changed: a key removed", doc: headless(), options: { previous: published }, errors: [], warnings: [["/jwks", "keys.changed"]] },
    { name: "keys.changed: a key's material changed under the same kid", doc: headless({ jwks: { keys: [KEY, { ...K2, x: "rotated" }] } }), options: { previous: published }, errors: [], warnings: [["/jwks", "keys.changed"]] },
    { name: "keys.changed: jwks replaced by jwks_uri", doc: without(headless({ jwks_uri: "https://acme.dev/jwks.json" }), "jwks"), options: { previous: published }, errors: [], warnings: [["/jwks", "keys.changed"], ["/jwks_uri", "keys.changed"]] },
    { name: "keys.changed: jwks_uri changed", doc: interactive({ jwks_uri: "https://acme.dev/jwks-2.json" }), options: { previous: interactive({ jwks_uri: "https://acme.dev/jwks.json" }) }, errors: [], warnings: [["/jwks_uri", "keys.changed"]] },
    { name: "the same jwks_uri", doc: interactive({ jwks_uri: "https://acme.dev/jwks.json" }), options: { previous: interactive({ jwks_uri: "https://acme.dev/jwks.json" }) }, errors: [], warnings: [] },
    { name: "redirect_uris.changed: one added", doc: interactive({ redirect_uris: ["https://app.acme.dev/oauth/callback", "https://app.acme.dev/cb2"] }), options: { previous: interactive() }, errors: [], warnings: [["/redirect_uris", "redirect_uris.changed"]] },
    { name: "redirect_uris.changed: one removed", doc: interactive({ redirect_uris: ["https://app.acme.dev/cb2"] }), options: { previous: interactive({ redirect_uris: ["https://app.acme.dev/cb2", "https://app.acme.dev/oauth/callback"] }) }, errors: [], warnings: [["/redirect_uris", "redirect_uris.changed"]] },
    { name: "the same redirect_uris reordered", doc: interactive({ redirect_uris: ["https://a.acme.dev/1", "https://a.acme.dev/2"] }), options: { previous: interactive({ redirect_uris: ["https://a.acme.dev/2", "https://a.acme.dev/1"] }) }, errors: [], warnings: [] },
  ]);

  it("names what changed", () => {
    const [w] = validateCimd(interactive({ redirect_uris: ["https://app.acme.dev/new"] }), { previous: interactive() }).warnings;
    expect(w.message).toContain('added "https://app.acme.dev/new"');
    expect(w.message).toContain('removed "https://app.acme.dev/oauth/callback"');
    expect(validateCimd(headless(), { previous: published }).warnings[0].message).toContain("0 keys added, 1 removed");
  });
});

describe("canonicalCimd", () => {
  it("sorts keys recursively, keeps array order, drops whitespace", () => {
    expect(canonicalCimd({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,1,{"y":2,"z":1}]},"b":1}');
  });
  it("orders keys by UTF-16 code unit, as JCS does (an astral character before U+FFFF)", () => {
    expect(canonicalCimd({ "\uffff": 1, "\u{1f600}": 2, é: 3, Z: 4, a: 5 })).toBe(`{"Z":4,"a":5,"é":3,"\u{1f600}":2,"\uffff":1}`);
  });
  it("writes numbers and strings as JSON.stringify does", () => {
    expect(canonicalCimd([1e21, 0.1, -0, "a\"\\\n\u2028"])).toBe(JSON.stringify([1e21, 0.1, 0, "a\"\\\n\u2028"]));
  });
  it("is stable under reordering and parses back to the same value", () => {
    const a = { client_name: "x", client_id: ID, jwks: { keys: [KEY] } };
    const b = { jwks: { keys: [{ ...KEY }] }, client_id: ID, client_name: "x" };
    expect(canonicalCimd(a)).toBe(canonicalCimd(b));
    expect(JSON.parse(canonicalCimd(a))).toEqual(a);
  });
  it("writes what JSON cannot hold as JSON.stringify would, and never throws", () => {
    const self: Doc = { a: 1 };
    self.me = self;
    expect(canonicalCimd({ u: undefined, f: () => 1, n: NaN, arr: [undefined, Infinity] })).toBe('{"arr":[null,null],"n":null}');
    expect(canonicalCimd(self)).toBe('{"a":1,"me":null}');
  });
});
