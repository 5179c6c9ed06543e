// The product's one Client ID Metadata Document validator (draft-ietf-oauth-client-id-metadata-document-02
// plus MCP 2025-11-25's required members), run by the browser editor as the user types and by the
// server API before it stores a document, so both give the same verdict. Each issue names its member
// by JSON pointer (RFC 6901), says what is wrong in a sentence and carries a stable rule id. Stricter
// than authorization servers where they are lax (plain-http redirects off loopback are errors);
// unknown members are allowed (ATProto's dpop_bound_access_tokens, OIDC's application_type).
// Pure: no Node APIs (sizes by TextEncoder), never throws, never mutates its input.

export type AgentKind = "interactive" | "headless";

export interface CimdIssue {
  /** JSON pointer into the document: "" is the whole document, e.g. "/redirect_uris/1", "/jwks/keys/0/d". */
  field: string;
  message: string;
  /** A short stable id, e.g. "client_id.match", "secret.forbidden". */
  rule: string;
}

export interface CimdValidation {
  /** No errors. */
  valid: boolean;
  errors: CimdIssue[];
  warnings: CimdIssue[];
  /** The document as it will be stored/served when valid: client_id filled in when absent and options.fillClientId; otherwise the input object (never mutate the input; copy). undefined when the input is not a JSON object. */
  document?: Record<string, unknown>;
  /** canonicalCimd(document) when document is defined */
  canonical?: string;
  /** UTF-8 byte length of canonical */
  size: number;
}

export interface CimdOptions {
  /** The hosted URL this document will be served at (the agent's client_id). When given, the document's client_id must equal it byte for byte. When absent (generic mode, e.g. the conformance corpus), client_id must merely be a valid CIMD client_id URL. */
  clientId?: string;
  /** Fill client_id with options.clientId when the document omits it (the console does this). */
  fillClientId?: boolean;
  /** When absent, inferred: headless iff the document has no redirect_uris and grant_types includes "client_credentials". */
  kind?: AgentKind;
  /** PUBLIC_BASE_URL is http (development): an http client_id, and http URLs under options.clientId's origin (our hosted jwks_uri), are warnings ("authorization servers will refuse http client_ids; fine for development only"), not errors. Also loopback hosts for the client_id are then allowed. */
  insecureBase?: boolean;
  /** The currently published document, for change warnings: any change of jwks (keys added/removed, compare by kid+thumbprint-ish JSON equality) or jwks_uri -> warning rule "keys.changed"; redirect_uris added/removed -> warning rule "redirect_uris.changed". */
  previous?: Record<string, unknown> | null;
}

/** node oidc-provider refuses larger documents; the draft recommends about 5 KB. */
export const MAX_CIMD_BYTES = 5120;
/** Authentication methods built on a shared secret, which a public document cannot hold. */
export const SHARED_SECRET_METHODS: readonly string[] = ["client_secret_basic", "client_secret_post", "client_secret_jwt"];

// ---------------------------------------------------------------- vocabulary

const URI_FIELDS = ["client_uri", "logo_uri", "jwks_uri", "tos_uri", "policy_uri"] as const;
const STRING_FIELDS = ["scope", "software_id", "software_version"] as const;
const SECRET_FIELDS = ["client_secret", "client_secret_expires_at"] as const;
const KNOWN_GRANTS = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
];
const FORBIDDEN_GRANTS = ["implicit", "password"];
const KNOWN_AUTH_METHODS = ["none", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
/** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
const PUBLIC_KEY_TYPES = ["RSA", "EC", "OKP"];
/** The members that identify a public key, as an RFC 7638 thumbprint would (plus kid). */
const KEY_IDENTITY = ["kid", "kty", "crv", "e", "n", "x", "y"];
/** Schemes that can never bring the user back to an app. */
const NOT_REDIRECT_SCHEMES = ["javascript", "data", "file", "vbscript", "blob", "about", "filesystem", "mailto", "tel", "ws", "wss", "ftp"];
/** RFC 2606 / RFC 6761 names that never resolve on the internet (localhost is judged as loopback). */
const RESERVED_TLDS = ["invalid", "example", "test"];
const DOCUMENTATION_DOMAINS = ["example.com", "example.net", "example.org"];
/** Tunnels that hand out short-lived host names: the client_id dies with the tunnel. */
const TUNNEL_DOMAINS = ["tunnelmole.net", "ngrok.io", "ngrok.app", "ngrok-free.app", "ngrok-free.dev", "trycloudflare.com", "loca.lt", "localtunnel.me", "serveo.net", "localhost.run", "lhr.life"];

const MAX_ISSUES = 100;
const MAX_DEPTH = 64;
const ENCODER = new TextEncoder();

// ---------------------------------------------------------------- URIs

// Every character an RFC 3986 URI may hold (ASCII, no spaces), and a "%" not followed by two hex digits.
const URI_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// RFC 3986 Appendix B, with the scheme held to §3.1's grammar.
const URI_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

interface Uri {
  /** lower case */
  scheme: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
  /** The WHATWG parser's host name (lower case, IPv4 normalised, IPv6 in brackets); undefined when it cannot parse the URL. */
  hostname?: string;
}

/** The parts of an absolute URI, read from the raw string (so nothing is normalised away); undefined when it is not one. */
function parseUri(s: string): Uri | undefined {
  if (!URI_CHARS.test(s) || BAD_PERCENT.test(s)) return undefined;
  const m = URI_PARTS.exec(s);
  if (!m || m[1] === undefined) return undefined;
  const uri: Uri = { scheme: m[1].toLowerCase(), authority: m[2], path: m[3], query: m[4], fragment: m[5] };
  try {
    uri.hostname = new URL(s).hostname.toLowerCase();
  } catch {
    // left undefined: the caller says what that means for its field
  }
  return uri;
}

const originOf = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined;
  try {
    return new URL(s).origin;
  } catch {
    return undefined;
  }
};
const isLoopbackAddress = (host: string) => host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
/** RFC 8252 §7.3 loopback redirect hosts. */
const isLoopbackRedirectHost = (host: string) => host === "localhost" || isLoopbackAddress(host);
/** Hosts that are this machine (RFC 6761 §6.3 gives all of .localhost to loopback). */
const isLoopbackHost = (host: string) => host === "localhost" || host.endsWith(".localhost") || isLoopbackAddress(host);
const underDomain = (host: string, domains: readonly string[]) => domains.find((d) => host === d || host.endsWith(`.${d}`));

// ---------------------------------------------------------------- issues

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const esc = (k: string) => (/[~/]/.test(k) ? k.replace(/~/g, "~0").replace(/\//g, "~1") : k);
/** A member counts as present when it is an own property with a value (undefined is what JSON drops). */
const get = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const quote = (s: string) => JSON.stringify(s.length > 100 ? `${s.slice(0, 97)}...` : s);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "undefined") return "nothing";
  return `a ${typeof v}`;
}

class Issues {
  readonly errors: CimdIssue[] = [];
  readonly warnings: CimdIssue[] = [];
  error(field: string, rule: string, message: string) {
    if (this.errors.length < MAX_ISSUES) this.errors.push({ field, rule, message });
  }
  warn(field: string, rule: string, message: string) {
    if (this.warnings.length < MAX_ISSUES) this.warnings.push({ field, rule, message });
  }
  result(): { errors: CimdIssue[]; warnings: CimdIssue[] } {
    return { errors: this.errors, warnings: this.warnings };
  }
  add(more: { errors: CimdIssue[]; warnings: CimdIssue[] }) {
    for (const e of more.errors) this.error(e.field, e.rule, e.message);
    for (const w of more.warnings) this.warn(w.field, w.rule, w.message);
  }
}

// ---------------------------------------------------------------- client_id

/** Checks a client_id string alone (https, has a path, no fragment, no userinfo, no "." or ".." segments, query -> warning, host not a reserved placeholder TLD .invalid/.example/.test/.localhost and not "localhost"/loopback unless insecureBase). Returns issues with field "/client_id". */
export function clientIdIssues(clientId: string, options: { insecureBase?: boolean } = {}): { errors: CimdIssue[]; warnings: CimdIssue[] } {
  const c = new Issues();
  const F = "/client_id";
  if (typeof clientId !== "string") {
    c.error(F, "type", `client_id must be a string, not ${describe(clientId)}`);
    return c.result();
  }
  if (clientId === "") {
    c.error(F, "client_id.url", "client_id must not be empty: it is the https URL this document is served at");
    return c.result();
  }
  const uri = parseUri(clientId);
  if (!uri) {
    c.error(F, "client_id.url", `client_id must be an absolute https URL (RFC 3986: no spaces, no unescaped non-ASCII or <>{}), not ${quote(clientId)}`);
    return c.result();
  }
  if (uri.scheme === "http" && options.insecureBase) {
    c.warn(F, "client_id.insecure", "client_id uses http: authorization servers will refuse http client_ids; fine for development only");
  } else if (uri.scheme !== "https") {
    c.error(F, "client_id.https", `client_id must use the https scheme, not "${uri.scheme}:"`);
  }
  if (!uri.authority) {
    c.error(F, "client_id.url", "client_id must name a host, as in https://host/path");
  } else {
    if (uri.authority.includes("@")) c.error(F, "client_id.userinfo", "client_id must not contain a user name or password (the part before @)");
    const host = uri.hostname?.replace(/\.$/, "");
    if (!host) {
      c.error(F, "client_id.url", `client_id has a host that cannot be parsed: ${quote(uri.authority.slice(uri.authority.lastIndexOf("@") + 1))}`);
    } else if (isLoopbackHost(host)) {
      if (!options.insecureBase) {
        c.error(F, "client_id.loopback", `client_id must not be on ${host}: an authorization server fetches the document from its own network, where this machine is not reachable`);
      }
    } else if (RESERVED_TLDS.includes(host.slice(host.lastIndexOf(".") + 1))) {
      c.error(F, "client_id.reserved_host", `client_id is on ${host}, a reserved placeholder name that never resolves (RFC 2606, RFC 6761); use the real host the document is served from`);
    } else {
      const docs = underDomain(host, DOCUMENTATION_DOMAINS);
      if (docs) c.warn(F, "client_id.example_domain", `client_id is on ${docs}, a domain reserved for documentation (RFC 2606); is this a placeholder?`);
      const tunnel = underDomain(host, TUNNEL_DOMAINS);
      if (tunnel) c.warn(F, "client_id.tunnel_host", `client_id is on a ${tunnel} tunnel host, which lasts only as long as the tunnel; the agent's identity changes when it does`);
    }
  }
  if (uri.path === "" || uri.path === "/") {
    c.error(F, "client_id.path", "client_id must have a path after the host, as in https://example.com/oauth/client-metadata.json");
  } else if (uri.path.split("/").some((segment) => DOT_SEGMENT.test(segment))) {
    c.error(F, "client_id.dot_segment", 'client_id must not contain "." or ".." path segments');
  }
  if (uri.fragment !== undefined) c.error(F, "client_id.fragment", "client_id must not contain a fragment (a # part)");
  if (uri.query !== undefined) {
    c.warn(F, "client_id.query", "client_id should not contain a query string: authorization servers compare it as a plain string and some strip or reject queries");
  }
  return c.result();
}

// ---------------------------------------------------------------- members

/** JSON values only, no cycles, bounded depth. Returns false when there is no document to speak of. */
function jsonShape(v: unknown, at: string, c: Issues, depth: number, ancestors: object[]): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) c.error(at, "json", `${at || "the document"} holds ${v}, which JSON cannot represent`);
    return true;
  }
  if (typeof v !== "object") {
    c.error(at, "json", `${at || "the document"} holds ${describe(v)}, which JSON cannot represent`);
    return true;
  }
  if (ancestors.includes(v)) {
    c.error(at, "json", `${at} refers back to an enclosing value: a JSON document cannot contain itself`);
    return false;
  }
  if (depth >= MAX_DEPTH) {
    c.error(at, "json", `${at} is nested more than ${MAX_DEPTH} levels deep`);
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
    c.error(at, "json", `${at || "the document"} holds a ${(v as object).constructor?.name ?? "non-plain"} object, which is not JSON`);
    return true;
  }
  ancestors.push(v);
  let ok = true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && ok; i++) {
      if (v[i] === undefined) c.error(`${at}/${i}`, "json", `${at}/${i} is empty (undefined), which JSON cannot represent`);
      else ok = jsonShape(v[i], `${at}/${i}`, c, depth + 1, ancestors);
    }
  } else {
    for (const k of Object.keys(v)) {
      const child = (v as Obj)[k];
      if (child !== undefined) ok = jsonShape(child, `${at}/${esc(k)}`, c, depth + 1, ancestors);
      if (!ok) break;
    }
  }
  ancestors.pop();
  return ok;
}

function checkUriField(doc: Obj, k: (typeof URI_FIELDS)[number], c: Issues, insecureOrigin: string | undefined) {
  const v = get(doc, k);
  if (v === undefined) return;
  const at = `/${k}`;
  if (typeof v !== "string") return c.error(at, "type", `${k} must be a URL string, not ${describe(v)}`);
  const uri = parseUri(v);
  if (!uri || !uri.authority || !uri.hostname) return c.error(at, "uri.url", `${k} must be an absolute https URL, not ${quote(v)}`);
  if (uri.scheme === "https") return;
  if (uri.scheme === "http" && insecureOrigin !== undefined && originOf(v) === insecureOrigin) {
    return c.warn(at, "uri.insecure", `${k} uses http under this server's own origin: authorization servers will refuse it; fine for development only`);
  }
  c.error(at, "uri.https", `${k} must use https, not "${uri.scheme}:" (${quote(v)})`);
}

function checkJwks(jwks: unknown, c: Issues, keysNeeded: boolean) {
  if (!isObj(jwks)) return c.error("/jwks", "type", `jwks must be a JSON Web Key Set (an object with a "keys" array), not ${describe(jwks)}`);
  const keys = get(jwks, "keys");
  if (keys === undefined) return c.error("/jwks/keys", "jwks.keys", 'jwks must have a "keys" array of public keys (RFC 7517 §5)');
  if (!Array.isArray(keys)) return c.error("/jwks/keys", "type", `jwks.keys must be an array of public keys, not ${describe(keys)}`);
  if (keys.length === 0) {
    if (keysNeeded) c.error("/jwks/keys", "jwks.empty", "jwks.keys is empty, so private_key_jwt has no key to check the agent's signature with");
    else c.warn("/jwks/keys", "jwks.empty", "jwks.keys is empty; remove jwks or add the agent's public key");
  }
  const kids = new Map<string, number>();
  keys.forEach((key, i) => {
    const at = `/jwks/keys/${i}`;
    if (!isObj(key)) return c.error(at, "type", `jwks key ${i} must be a JWK object, not ${describe(key)}`);
    const kty = get(key, "kty");
    if (typeof kty !== "string" || kty === "") c.error(`${at}/kty`, "jwks.kty", `jwks key ${i} must have a "kty" string (the key type: RSA, EC or OKP)`);
    else if (!PUBLIC_KEY_TYPES.includes(kty)) c.error(`${at}/kty`, "jwks.kty", `jwks key ${i} has kty ${quote(kty)}: a signing key for private_key_jwt is RSA, EC or OKP`);
    for (const m of PRIVATE_JWK_MEMBERS) {
      if (get(key, m) !== undefined) {
        c.error(`${at}/${m}`, "jwks.private", `jwks key ${i} must not contain "${m}": that is private or secret key material, and a metadata document is public; publish the public key only`);
      }
    }
    const kid = get(key, "kid");
    if (kid === undefined) c.warn(at, "jwks.kid_missing", `jwks key ${i} has no "kid"; authorization servers pick the key by kid, and key rotation needs one`);
    else if (typeof kid !== "string") c.error(`${at}/kid`, "type", `jwks key ${i}'s "kid" must be a string, not ${describe(kid)}`);
    else if (kids.has(kid)) c.error(`${at}/kid`, "jwks.kid_duplicate", `jwks key ${i} reuses kid ${quote(kid)} of key ${kids.get(kid)}; each key needs its own kid`);
    else kids.set(kid, i);
  });
}

/** Checks redirect_uris for an interactive agent. */
function checkRedirects(redirects: unknown, c: Issues) {
  const what = "the https (or native loopback / app-scheme) URLs the authorization server may send the user back to";
  if (redirects === undefined) return c.error("/redirect_uris", "redirect_uris.required", `redirect_uris is required for an agent that signs users in: list ${what}`);
  if (!Array.isArray(redirects)) return c.error("/redirect_uris", "type", `redirect_uris must be an array of URL strings, not ${describe(redirects)}`);
  if (redirects.length === 0) return c.error("/redirect_uris", "redirect_uris.required", `redirect_uris must not be empty: list ${what}`);
  let local = 0;
  const seen = new Set<string>();
  redirects.forEach((u, i) => {
    const at = `/redirect_uris/${i}`;
    const name = `redirect_uris[${i}]`;
    if (typeof u !== "string") return c.error(at, "type", `${name} must be a URL string, not ${describe(u)}`);
    if (seen.has(u)) c.warn(at, "redirect_uris.duplicate", `${name} repeats ${quote(u)}`);
    seen.add(u);
    const uri = parseUri(u);
    if (!uri) return c.error(at, "redirect_uri.url", `${name} must be an absolute URI (RFC 3986: a scheme, no spaces), not ${quote(u)}`);
    if (uri.fragment !== undefined) c.error(at, "redirect_uri.fragment", `${name} must not contain a fragment (a # part; RFC 6749 §3.1.2)`);
    const host = uri.hostname;
    if (uri.scheme === "https") {
      if (!uri.authority || !host) return c.error(at, "redirect_uri.url", `${name} must name a host, as in https://app.example.com/callback`);
      if (isLoopbackRedirectHost(host)) local++;
    } else if (uri.scheme === "http") {
      if (!uri.authority || !host || !isLoopbackRedirectHost(host)) {
        return c.error(at, "redirect_uri.scheme", `${name} must use https: plain http is allowed only on a loopback address (127.0.0.1, [::1], localhost) for native apps, not ${quote(u)}`);
      }
      local++;
      const advice = host === "localhost" ? "; RFC 8252 §8.3 prefers 127.0.0.1 to localhost" : "";
      c.warn(at, "redirect_uri.loopback", `${name} is a native client loopback redirect (http on ${host}, RFC 8252 §7.3): fine for a desktop or command-line agent${advice}`);
    } else if (NOT_REDIRECT_SCHEMES.includes(uri.scheme)) {
      c.error(at, "redirect_uri.scheme", `${name} must not use the "${uri.scheme}:" scheme, which cannot return the user to the agent; use https`);
    } else if (uri.scheme.includes(".")) {
      c.warn(at, "redirect_uri.private_use", `${name} is a native app's private-use scheme redirect ("${uri.scheme}:", RFC 8252 §7.1): fine for a mobile or desktop agent`);
    } else {
      c.warn(at, "redirect_uri.private_use", `${name} uses the private-use scheme "${uri.scheme}:", which is not a reverse domain name (RFC 8252 §7.1 asks for one, such as com.example.app:/callback); another app on the device may claim it`);
    }
  });
  if (local === redirects.length) {
    c.warn("/redirect_uris", "redirect_uris.localhost_only", "redirect_uris all point at the user's own machine (loopback): authorization servers warn users about such clients, since any local program can claim the code");
  }
}

/** Checks grant_types and response_types together; both default per RFC 7591 §2 when absent. */
function checkFlows(doc: Obj, kind: AgentKind, c: Issues) {
  const grants = get(doc, "grant_types");
  let effective: string[] = ["authorization_code"];
  let grantsKnown = true;
  if (grants !== undefined) {
    if (!Array.isArray(grants)) {
      c.error("/grant_types", "type", `grant_types must be an array of strings, not ${describe(grants)}`);
      grantsKnown = false;
    } else {
      effective = [];
      grants.forEach((g, i) => {
        const at = `/grant_types/${i}`;
        if (typeof g !== "string") return c.error(at, "type", `grant_types[${i}] must be a string, not ${describe(g)}`);
        effective.push(g);
        if (FORBIDDEN_GRANTS.includes(g)) c.error(at, "grant_types.forbidden", `grant_types[${i}] "${g}" must not be used: OAuth 2.1 removes the implicit and password grants`);
        else if (g === "client_credentials" && kind === "interactive") {
          c.error(at, "grant_types.client_credentials", `grant_types[${i}] client_credentials is for headless agents only; an agent with redirect_uris signs users in with authorization_code`);
        } else if (!KNOWN_GRANTS.includes(g)) {
          c.warn(at, "grant_types.unknown", `grant_types[${i}] ${quote(g)} is not a grant type agents here use (${KNOWN_GRANTS.join(", ")}); authorization servers drop grant types they do not know`);
        }
      });
    }
  }
  const codeGrant = effective.includes("authorization_code");
  let grantsConsistent = grantsKnown;
  if (grantsKnown && kind === "interactive" && !codeGrant) {
    grantsConsistent = false;
    c.error("/grant_types", "grant_types.consistency", "grant_types must include authorization_code for an agent with redirect_uris: only the authorization code flow uses them");
  }
  if (grantsKnown && kind === "headless") {
    if (!effective.includes("client_credentials")) {
      const absent = grants === undefined ? " (when absent it means authorization_code only, RFC 7591 §2)" : "";
      c.error("/grant_types", "headless.client_credentials", `grant_types must include client_credentials for a headless agent${absent}`);
    }
    if (codeGrant) {
      grantsConsistent = false;
      c.error("/grant_types", "headless.authorization_code", "grant_types must not include authorization_code for a headless agent: there is no user to send through a browser");
    }
  }

  const responses = get(doc, "response_types");
  let codeResponse = true;
  if (responses !== undefined) {
    if (!Array.isArray(responses)) return c.error("/response_types", "type", `response_types must be an array of strings, not ${describe(responses)}`);
    codeResponse = false;
    responses.forEach((r, i) => {
      const at = `/response_types/${i}`;
      if (typeof r !== "string") return c.error(at, "type", `response_types[${i}] must be a string, not ${describe(r)}`);
      if (r === "code") codeResponse = true;
      else c.error(at, "response_types.value", `response_types[${i}] ${quote(r)} must not be used: "code" is the only response type allowed (implicit and hybrid responses put tokens in the browser)`);
    });
  }
  if (!grantsConsistent) return; // the grant_types error above is the cause
  if (codeResponse && !codeGrant) {
    c.error(
      "/response_types",
      "response_types.consistency",
      responses === undefined
        ? 'response_types means ["code"] when absent (RFC 7591 §2), which needs the authorization_code grant; a client_credentials agent says "response_types": []'
        : 'response_types lists "code", which needs authorization_code in grant_types (RFC 7591 §2.1)',
    );
  } else if (!codeResponse && codeGrant) {
    c.error("/response_types", "response_types.consistency", 'response_types must include "code" when grant_types includes authorization_code (RFC 7591 §2.1)');
  }
}

function checkAuthMethod(doc: Obj, kind: AgentKind, c: Issues) {
  const method = get(doc, "token_endpoint_auth_method");
  const F = "/token_endpoint_auth_method";
  const keys = get(doc, "jwks") !== undefined || get(doc, "jwks_uri") !== undefined;
  if (method !== undefined && typeof method !== "string") c.error(F, "type", `token_endpoint_auth_method must be a string, not ${describe(method)}`);
  else if (typeof method === "string") {
    if (SHARED_SECRET_METHODS.includes(method)) {
      c.error(F, "auth_method.shared_secret", `token_endpoint_auth_method "${method}" must not be used: it relies on a shared secret, which a public metadata document cannot hold; use private_key_jwt with jwks or jwks_uri`);
    } else if (method === "private_key_jwt" && !keys) {
      c.error(F, "auth_method.keys", "token_endpoint_auth_method private_key_jwt needs the agent's public keys: add jwks or jwks_uri");
    } else if (!KNOWN_AUTH_METHODS.includes(method)) {
      c.warn(F, "auth_method.unknown", `token_endpoint_auth_method ${quote(method)} is not a method authorization servers generally know (${KNOWN_AUTH_METHODS.join(", ")}); they may refuse the document`);
    }
  }
  if (kind === "headless" && (method === undefined || method === "none")) {
    c.error(F, "headless.auth_method", "token_endpoint_auth_method must be private_key_jwt (with jwks or jwks_uri) for a headless agent: a machine client must authenticate");
  } else if (kind === "interactive" && method === undefined) {
    c.warn(F, "auth_method.default", 'token_endpoint_auth_method is absent, and RFC 7591 then means client_secret_basic, which a metadata document cannot use; say "none" (a public client) or "private_key_jwt"');
  }
}

function checkTypes(doc: Obj, kind: AgentKind, c: Issues) {
  const name = get(doc, "client_name");
  if (name === undefined) {
    if (kind === "interactive") c.error("/client_name", "client_name.required", "client_name is required for an agent that signs users in (MCP): it is the name users see when asked to consent");
  } else if (typeof name !== "string") c.error("/client_name", "type", `client_name must be a string, not ${describe(name)}`);
  else if (name.trim() === "") {
    if (kind === "interactive") c.error("/client_name", "client_name.required", "client_name must not be empty: it is the name users see when asked to consent");
    else c.warn("/client_name", "client_name.empty", "client_name is empty; give the agent a name or remove the member");
  }
  for (const k of STRING_FIELDS) {
    const v = get(doc, k);
    if (v !== undefined && typeof v !== "string") c.error(`/${k}`, "type", `${k} must be a string, not ${describe(v)}`);
  }
  const contacts = get(doc, "contacts");
  if (contacts !== undefined) {
    if (!Array.isArray(contacts)) c.error("/contacts", "type", `contacts must be an array of strings, not ${describe(contacts)}`);
    else {
      contacts.forEach((v, i) => {
        if (typeof v !== "string") c.error(`/contacts/${i}`, "type", `contacts[${i}] must be a string, not ${describe(v)}`);
      });
    }
  }
  for (const k of SECRET_FIELDS) {
    if (get(doc, k) !== undefined) c.error(`/${k}`, "secret.forbidden", `${k} must not appear: a metadata document is public; use private_key_jwt with jwks or jwks_uri`);
  }
}

function keyIdentities(doc: Obj): Set<string> {
  const jwks = get(doc, "jwks");
  const keys = isObj(jwks) ? get(jwks, "keys") : undefined;
  if (!Array.isArray(keys)) return new Set();
  return new Set(keys.map((k) => canonicalCimd(isObj(k) ? Object.fromEntries(KEY_IDENTITY.map((m) => [m, get(k, m)])) : k)));
}

function checkChanges(doc: Obj, previous: Obj, c: Issues) {
  const before = keyIdentities(previous);
  const after = keyIdentities(doc);
  const added = [...after].filter((k) => !before.has(k)).length;
  const removed = [...before].filter((k) => !after.has(k)).length;
  const revoke = "authorization servers may take a key change as a reason to revoke the agent's tokens (CIMD -02)";
  if (added || removed) c.warn("/jwks", "keys.changed", `jwks changed since the published document (${plural(added, "key")} added, ${removed} removed): ${revoke}`);
  const uriBefore = get(previous, "jwks_uri");
  const uriAfter = get(doc, "jwks_uri");
  if (canonicalCimd(uriBefore ?? null) !== canonicalCimd(uriAfter ?? null)) {
    const was = typeof uriBefore === "string" ? quote(uriBefore) : "absent";
    c.warn("/jwks_uri", "keys.changed", `jwks_uri changed since the published document (it was ${was}): ${revoke}`);
  }
  const strings = (d: Obj) => {
    const v = get(d, "redirect_uris");
    return new Set(Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : []);
  };
  const was = strings(previous);
  const now = strings(doc);
  const gained = [...now].filter((u) => !was.has(u));
  const lost = [...was].filter((u) => !now.has(u));
  if (gained.length || lost.length) {
    const list = (us: string[]) => us.map(quote).join(", ");
    const parts = [gained.length ? `added ${list(gained)}` : "", lost.length ? `removed ${list(lost)}` : ""].filter(Boolean);
    c.warn("/redirect_uris", "redirect_uris.changed", `redirect_uris changed since the published document (${parts.join("; ")}): authorization servers will send users only to the new list`);
  }
}

// ---------------------------------------------------------------- the validator

/** Validates a CIMD document for the editor and the API; never throws. */
export function validateCimd(input: unknown, options: CimdOptions = {}): CimdValidation {
  try {
    return validate(input, options);
  } catch {
    // a getter or proxy that throws: no JSON document can be one
    return { valid: false, errors: [{ field: "", rule: "json", message: "the document cannot be read as JSON" }], warnings: [], size: 0 };
  }
}

function validate(input: unknown, options: CimdOptions): CimdValidation {
  const c = new Issues();
  const done = (document?: Obj): CimdValidation => {
    if (!document) return { valid: false, errors: c.errors, warnings: c.warnings, size: 0 };
    const canonical = canonicalCimd(document);
    const size = ENCODER.encode(canonical).length;
    if (size > MAX_CIMD_BYTES) {
      c.error("", "size.max", `the document is ${size} bytes serialized, over the ${MAX_CIMD_BYTES}-byte limit authorization servers enforce; shorten it or move the keys to jwks_uri`);
    }
    return { valid: c.errors.length === 0, errors: c.errors, warnings: c.warnings, document, canonical, size };
  };
  if (!isObj(input)) {
    c.error("", "type", `the document must be a JSON object, not ${describe(input)}`);
    return done();
  }
  if (!jsonShape(input, "", c, 0, [])) return done();

  let doc: Obj = input;
  const id = get(input, "client_id");
  if (id === undefined) {
    if (options.fillClientId && options.clientId !== undefined) {
      const rest = { ...input };
      delete rest.client_id; // an own client_id: undefined would otherwise overwrite the filled one
      doc = { client_id: options.clientId, ...rest };
      c.add(clientIdIssues(options.clientId, options));
    } else c.error("/client_id", "client_id.required", "client_id is required: it must equal the https URL this document is served at");
  } else if (typeof id !== "string") c.error("/client_id", "type", `client_id must be a string (the https URL this document is served at), not ${describe(id)}`);
  else {
    if (options.clientId !== undefined && id !== options.clientId) {
      c.error("/client_id", "client_id.match", `client_id ${quote(id)} must equal the URL this document is served at, ${quote(options.clientId)}, character for character: authorization servers compare them as plain strings`);
    }
    c.add(clientIdIssues(id, options));
  }

  const redirects = get(doc, "redirect_uris");
  const grants = get(doc, "grant_types");
  const noRedirects = redirects === undefined || (Array.isArray(redirects) && redirects.length === 0);
  const kind: AgentKind = options.kind ?? (noRedirects && Array.isArray(grants) && grants.includes("client_credentials") ? "headless" : "interactive");

  checkTypes(doc, kind, c);
  if (kind === "interactive") checkRedirects(redirects, c);
  else if (redirects !== undefined) {
    if (!Array.isArray(redirects)) c.error("/redirect_uris", "type", `redirect_uris must be an array, not ${describe(redirects)}`);
    else if (redirects.length > 0) c.error("/redirect_uris", "headless.redirect_uris", "redirect_uris must not appear for a headless agent: it signs no user in");
    else c.warn("/redirect_uris", "headless.redirect_uris", "redirect_uris is empty; a headless agent needs none, so remove it");
  }
  checkFlows(doc, kind, c);
  checkAuthMethod(doc, kind, c);

  const insecureOrigin = options.insecureBase ? originOf(options.clientId ?? (typeof id === "string" ? id : undefined)) : undefined;
  for (const k of URI_FIELDS) checkUriField(doc, k, c, insecureOrigin);
  const jwks = get(doc, "jwks");
  if (jwks !== undefined && get(doc, "jwks_uri") !== undefined) {
    c.error("/jwks", "jwks.both", "jwks and jwks_uri must not both appear (RFC 7591 §2): publish the keys one way");
  }
  if (jwks !== undefined) checkJwks(jwks, c, get(doc, "token_endpoint_auth_method") === "private_key_jwt");

  if (isObj(options.previous)) checkChanges(doc, options.previous, c);
  return done(doc);
}

// ---------------------------------------------------------------- canonical form

/** Canonical serialization: compact JSON (no whitespace) with object keys sorted recursively by UTF-16 code unit order (like RFC 8785 JCS for ordinary JSON); arrays keep order. */
export function canonicalCimd(doc: unknown): string {
  // Values JSON has no form for go as JSON.stringify sends them (members dropped, array items and
  // non-finite numbers null), and so does a value that contains itself, so this never throws.
  const ancestors: object[] = [];
  const dropped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";
  const write = (v: unknown): string => {
    if (v === null) return "null";
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : "null";
    if (typeof v !== "object" || ancestors.includes(v)) return "null";
    ancestors.push(v);
    let out: string;
    if (Array.isArray(v)) out = `[${Array.from(v, (x: unknown) => (dropped(x) ? "null" : write(x))).join(",")}]`;
    else {
      const o = v as Obj;
      // the default sort compares UTF-16 code units, which is what JCS asks for
      const keys = Object.keys(o).filter((k) => !dropped(o[k])).sort();
      out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(o[k])}`).join(",")}}`;
    }
    ancestors.pop();
    return out;
  };
  return write(doc);
}
