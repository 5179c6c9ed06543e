// The product's own server.json validator, written from the rules of the official schema
// (2025-12-11, JSON Schema draft-07). A document is valid exactly when that schema says so, whatever
// older dated `$schema` it names. Each error names the field by JSON pointer (RFC 6901) with a
// sentence; rules the schema states only in prose are warnings for the reviewer, never rejections.
// Unknown members are allowed, as the schema allows them. One pass, no recursion into free-form
// data, no Node APIs; never throws.

// ---------------------------------------------------------------- types of a valid document

export type InputFormat = "string" | "number" | "boolean" | "filepath";

export interface Input {
  description?: string;
  format?: InputFormat;
  isRequired?: boolean;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  value?: string;
  choices?: string[];
}
export interface InputWithVariables extends Input {
  variables?: Record<string, Input>;
}
export interface KeyValueInput extends InputWithVariables {
  name: string;
}
/** Has `valueHint`, `value` or both. */
export interface PositionalArgument extends InputWithVariables {
  type: "positional";
  valueHint?: string;
  isRepeated?: boolean;
}
export interface NamedArgument extends InputWithVariables {
  type: "named";
  name: string;
  isRepeated?: boolean;
}
export type Argument = PositionalArgument | NamedArgument;

export interface StdioTransport {
  type: "stdio";
}
export interface StreamableHttpTransport {
  type: "streamable-http";
  url: string;
  headers?: KeyValueInput[];
}
export interface SseTransport {
  type: "sse";
  url: string;
  headers?: KeyValueInput[];
}
export type LocalTransport = StdioTransport | StreamableHttpTransport | SseTransport;
export type RemoteTransport = (StreamableHttpTransport | SseTransport) & { variables?: Record<string, Input> };

export interface Package {
  registryType: string;
  identifier: string;
  transport: LocalTransport;
  version?: string;
  registryBaseUrl?: string;
  fileSha256?: string;
  runtimeHint?: string;
  runtimeArguments?: Argument[];
  packageArguments?: Argument[];
  environmentVariables?: KeyValueInput[];
}
export interface Repository {
  url: string;
  source: string;
  id?: string;
  subfolder?: string;
}
export type IconMimeType = "image/png" | "image/jpeg" | "image/jpg" | "image/svg+xml" | "image/webp";
export interface Icon {
  src: string;
  mimeType?: IconMimeType;
  sizes?: string[];
  theme?: "light" | "dark";
}
export interface ServerJson {
  $schema?: string;
  name: string;
  description: string;
  version: string;
  title?: string;
  websiteUrl?: string;
  repository?: Repository;
  icons?: Icon[];
  packages?: Package[];
  remotes?: RemoteTransport[];
  _meta?: { "io.modelcontextprotocol.registry/publisher-provided"?: Record<string, unknown>; [namespace: string]: unknown };
  [member: string]: unknown;
}

export interface Issue {
  pointer: string;
  message: string;
}
export interface ServerJsonResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  server?: ServerJson;
}

export const SERVER_SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
export const KNOWN_REGISTRY_TYPES = ["npm", "pypi", "oci", "nuget", "mcpb"] as const;
export const MAX_ISSUES = 100;

// ---------------------------------------------------------------- the schema's leaf rules

const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const HTTP_URL = /^https?:\/\/[^\s]+$/;
const SHA256 = /^[a-f0-9]{64}$/;
const ICON_SIZE = /^(\d+x\d+|any)$/;
const INPUT_FORMATS = ["string", "number", "boolean", "filepath"] as const;
const ICON_MIME_TYPES = ["image/png", "image/jpeg", "image/jpg", "image/svg+xml", "image/webp"] as const;
const THEMES = ["light", "dark"] as const;
const LOCAL_TRANSPORTS = ["stdio", "streamable-http", "sse"] as const;
const REMOTE_TRANSPORTS = ["streamable-http", "sse"] as const;
const PUBLISHER_PROVIDED = "io.modelcontextprotocol.registry/publisher-provided";

// format "uri": an absolute URI by RFC 3986 §3 (scheme ":" hier-part ["?" query] ["#" fragment]),
// composed from its ABNF. ASCII only; case-insensitive like the ABNF's literals.
const URI = (() => {
  const pct = "%[0-9a-f]{2}";
  const unreservedSub = "a-z0-9\\-._~!$&'()*+,;=";
  const pchar = `(?:[${unreservedSub}:@]|${pct})`;
  const h16 = "[0-9a-f]{1,4}";
  const dec = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  const ipv4 = `${dec}(?:\\.${dec}){3}`;
  const ls32 = `(?:${h16}:${h16}|${ipv4})`;
  const before = (n: number) => (n < 0 ? "" : n === 0 ? `(?:${h16})?` : `(?:(?:${h16}:){0,${n}}${h16})?`);
  const ipv6 = [
    `(?:${h16}:){6}${ls32}`,
    `::(?:${h16}:){5}${ls32}`,
    `${before(0)}::(?:${h16}:){4}${ls32}`,
    `${before(1)}::(?:${h16}:){3}${ls32}`,
    `${before(2)}::(?:${h16}:){2}${ls32}`,
    `${before(3)}::${h16}:${ls32}`,
    `${before(4)}::${ls32}`,
    `${before(5)}::${h16}`,
    `${before(6)}::`,
  ].join("|");
  const ipFuture = `v[0-9a-f]+\\.[${unreservedSub}:]+`;
  const host = `(?:\\[(?:${ipv6}|${ipFuture})\\]|(?:[${unreservedSub}]|${pct})*)`;
  const authority = `(?:(?:[${unreservedSub}:]|${pct})*@)?${host}(?::[0-9]*)?`;
  const segment = `${pchar}*`;
  const segmentNz = `${pchar}+`;
  const hierPart = `(?://${authority}(?:/${segment})*|/(?:${segmentNz}(?:/${segment})*)?|${segmentNz}(?:/${segment})*|)`;
  const tail = `(?:[${unreservedSub}:@/?]|${pct})*`;
  return new RegExp(`^[a-z][a-z0-9+\\-.]*:${hierPart}(?:\\?${tail})?(?:#${tail})?$`, "i");
})();

// Every character a URI may hold; a quick linear test that spares the full grammar most bad input.
const URI_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]%]*$/;
const isUri = (s: string) => URI_CHARS.test(s) && URI.test(s);

/** JSON Schema lengths count Unicode code points, not UTF-16 units; counting stops past `limit`. */
function codePoints(s: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < s.length && n <= limit; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

// ---------------------------------------------------------------- prose-only rules (warnings)

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
// ^1.2, ~1.2, >=1, <2, =1, 1.x, 1.*, *, x, "1 - 2", "1 || 2"
const RANGE = /^\s*[\^~<>=*]|\s-\s|\|\||(^|\.)[xX*](\.|$)/;
const REVERSE_DNS_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/.*)?$/i;
const TEMPLATE_VARIABLE = /\{([^{}\s]+)\}/g;

function isCleanRelativePath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\\") || /^[a-z]:/i.test(p)) return false;
  return p.split("/").every((seg, i, all) => seg !== ".." && seg !== "." && (seg !== "" || i === all.length - 1));
}

// ---------------------------------------------------------------- the checker

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const esc = (k: string) => (/[~/]/.test(k) ? k.replace(/~/g, "~0").replace(/\//g, "~1") : k);
const oneOf = (values: readonly string[]) => `must be one of ${values.map((v) => `"${v}"`).join(", ")}`;
/** A member counts as present when it is an own property with a value (undefined is what JSON drops). */
const get = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

class Full extends Error {}

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternMessage?: string;
  uri?: boolean;
  oneOf?: readonly string[];
}

class Checker {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];

  error(pointer: string, message: string) {
    this.errors.push({ pointer, message });
    if (this.errors.length >= MAX_ISSUES) throw new Full();
  }
  warn(pointer: string, message: string) {
    if (this.warnings.length < MAX_ISSUES) this.warnings.push({ pointer, message });
  }

  /** The member's value when it is a string that meets the rule, undefined otherwise. */
  string(o: Obj, k: string, at: string, rule: StringRule = {}): string | undefined {
    const p = `${at}/${esc(k)}`;
    const v = get(o, k);
    if (v === undefined) {
      if (rule.required) this.error(p, "is required");
      return undefined;
    }
    if (rule.oneOf) {
      if (typeof v === "string" && rule.oneOf.includes(v)) return v;
      this.error(p, oneOf(rule.oneOf));
      return undefined;
    }
    if (typeof v !== "string") {
      this.error(p, "must be a string");
      return undefined;
    }
    const before = this.errors.length;
    // a code point is one or two UTF-16 units, so only lengths near a bound need counting
    if (rule.min !== undefined && v.length < 2 * rule.min && codePoints(v, rule.min) < rule.min) {
      this.error(p, rule.min === 1 ? "must not be empty" : `must be at least ${rule.min} characters`);
    }
    if (rule.max !== undefined && v.length > rule.max && codePoints(v, rule.max) > rule.max) {
      this.error(p, `must be at most ${rule.max} characters`);
    }
    if (rule.pattern && !rule.pattern.test(v)) this.error(p, rule.patternMessage ?? `must match the pattern ${rule.pattern.source}`);
    if (rule.uri && !isUri(v)) this.error(p, "must be an absolute URI (RFC 3986), e.g. https://example.com/path");
    return this.errors.length === before ? v : undefined;
  }
  boolean(o: Obj, k: string, at: string) {
    const v = get(o, k);
    if (v !== undefined && typeof v !== "boolean") this.error(`${at}/${esc(k)}`, "must be true or false");
  }
  object(v: unknown, at: string): v is Obj {
    if (isObj(v)) return true;
    this.error(at, "must be an object");
    return false;
  }
  array(o: Obj, k: string, at: string, each: (item: unknown, at: string) => void): unknown[] | undefined {
    const v = get(o, k);
    if (v === undefined) return undefined;
    const p = `${at}/${esc(k)}`;
    if (!Array.isArray(v)) {
      this.error(p, "must be an array");
      return undefined;
    }
    for (let i = 0; i < v.length; i++) each(v[i], `${p}/${i}`);
    return v;
  }

  // Input (and InputWithVariables when `withVariables`)
  input(o: Obj, at: string, withVariables: boolean) {
    this.string(o, "description", at);
    this.string(o, "format", at, { oneOf: INPUT_FORMATS });
    this.boolean(o, "isRequired", at);
    this.boolean(o, "isSecret", at);
    const dflt = this.string(o, "default", at);
    this.string(o, "placeholder", at);
    const value = this.string(o, "value", at);
    const choices: string[] = [];
    let choicesOk = true;
    const list = this.array(o, "choices", at, (c, p) => {
      if (typeof c === "string") choices.push(c);
      else {
        choicesOk = false;
        this.error(p, "must be a string");
      }
    });
    if (list && choicesOk && choices.length > 0) {
      if (dflt !== undefined && !choices.includes(dflt)) this.warn(`${at}/default`, "is not one of the choices; the default should be a valid value");
      if (value !== undefined && !choices.includes(value)) this.warn(`${at}/value`, "is not one of the choices, which the user must select from");
    }
    if (withVariables) this.variables(o, at);
  }
  variables(o: Obj, at: string): Obj | undefined {
    const vars = get(o, "variables");
    if (vars === undefined) return undefined;
    const p = `${at}/variables`;
    if (!this.object(vars, p)) return undefined;
    for (const k of Object.keys(vars)) {
      const v = vars[k];
      if (this.object(v, `${p}/${esc(k)}`)) this.input(v, `${p}/${esc(k)}`, false);
    }
    return vars;
  }
  keyValue(v: unknown, at: string): string | undefined {
    if (!this.object(v, at)) return undefined;
    this.input(v, at, true);
    return this.string(v, "name", at, { required: true });
  }
  /** Argument = PositionalArgument | NamedArgument; `type` picks the only branch that can hold. */
  argument(v: unknown, at: string, names: Set<string>) {
    if (!this.object(v, at)) return;
    const type = get(v, "type");
    if (type === undefined) return this.error(`${at}/type`, "is required");
    if (type !== "positional" && type !== "named") return this.error(`${at}/type`, oneOf(["positional", "named"]));
    this.input(v, at, true);
    this.boolean(v, "isRepeated", at);
    if (type === "named") {
      const name = this.string(v, "name", at, { required: true });
      if (name) names.add(name);
    } else {
      const hint = this.string(v, "valueHint", at);
      if (hint) names.add(hint);
      if (get(v, "valueHint") === undefined && get(v, "value") === undefined) this.error(at, 'must have "valueHint" or "value"');
    }
  }
  /** LocalTransport (packages) or RemoteTransport (remotes); returns the URL when it has one. */
  transport(v: unknown, at: string, remote: boolean): { url?: string; variables?: Obj } {
    if (!this.object(v, at)) return {};
    // RemoteTransport's second allOf branch: `variables` holds whatever the type
    const variables = remote ? this.variables(v, at) : undefined;
    const types = remote ? REMOTE_TRANSPORTS : LOCAL_TRANSPORTS;
    const type = get(v, "type");
    if (type === undefined) {
      this.error(`${at}/type`, "is required");
      return {};
    }
    if (typeof type !== "string" || !(types as readonly string[]).includes(type)) {
      this.error(`${at}/type`, oneOf(types));
      return {};
    }
    if (type === "stdio") return {}; // StdioTransport constrains nothing but `type`
    const url = this.string(v, "url", at, { required: true, pattern: HTTP_URL, patternMessage: "must be an http:// or https:// URL without whitespace" });
    this.array(v, "headers", at, (h, p) => this.keyValue(h, p));
    return { url, variables };
  }
  pkg(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    const registryType = this.string(v, "registryType", at, { required: true });
    this.string(v, "identifier", at, { required: true });
    const version = this.string(v, "version", at, { min: 1, max: 255 });
    if (version === "latest") this.error(`${at}/version`, 'must be a specific version, not "latest"');
    this.string(v, "registryBaseUrl", at, { uri: true });
    const sha = this.string(v, "fileSha256", at, { pattern: SHA256, patternMessage: "must be 64 lower-case hexadecimal characters (a SHA-256 digest)" });
    const runtimeHint = this.string(v, "runtimeHint", at);
    const names = new Set<string>();
    const runtimeArgs = this.array(v, "runtimeArguments", at, (a, p) => this.argument(a, p, names));
    this.array(v, "packageArguments", at, (a, p) => this.argument(a, p, names));
    this.array(v, "environmentVariables", at, (e, p) => {
      const name = this.keyValue(e, p);
      if (name) names.add(name);
    });
    const transport = get(v, "transport");
    const t = transport === undefined ? (this.error(`${at}/transport`, "is required"), {}) : this.transport(transport, `${at}/transport`, false);

    // prose-only rules
    if (registryType !== undefined && !(KNOWN_REGISTRY_TYPES as readonly string[]).includes(registryType)) {
      this.warn(`${at}/registryType`, `"${registryType}" is not a known registry type (${KNOWN_REGISTRY_TYPES.join(", ")}); clients may not know how to install it`);
    }
    if (version !== undefined && version !== "latest") {
      if (version.toLowerCase() === "latest") this.warn(`${at}/version`, `"${version}" is not a specific version`);
      else if (RANGE.test(version)) this.warn(`${at}/version`, "is a version range; the schema says ranges are rejected, so pin a specific version");
    }
    if (registryType === "mcpb" && sha === undefined && get(v, "fileSha256") === undefined) {
      this.warn(`${at}/fileSha256`, "is required for MCPB packages, so clients can verify the download");
    }
    if (runtimeArgs && runtimeArgs.length > 0 && runtimeHint === undefined && get(v, "runtimeHint") === undefined) {
      this.warn(`${at}/runtimeHint`, "should be given when runtimeArguments are present");
    }
    if (t.url) this.templateVariables(t.url, `${at}/transport/url`, names, "an argument valueHint, argument name or environment variable of this package");
  }
  templateVariables(url: string, at: string, known: Set<string>, what: string) {
    for (const m of url.matchAll(TEMPLATE_VARIABLE)) {
      if (!known.has(m[1])) this.warn(at, `refers to {${m[1]}}, which is not ${what}`);
    }
  }
  remote(v: unknown, at: string) {
    const { url, variables } = this.transport(v, at, true);
    if (url) this.templateVariables(url, `${at}/url`, new Set(variables ? Object.keys(variables) : []), "one of this remote's variables");
  }
  icon(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    const src = this.string(v, "src", at, { required: true, max: 255, uri: true });
    this.string(v, "mimeType", at, { oneOf: ICON_MIME_TYPES });
    this.string(v, "theme", at, { oneOf: THEMES });
    this.array(v, "sizes", at, (s, p) => {
      if (typeof s !== "string") this.error(p, "must be a string");
      else if (!ICON_SIZE.test(s)) this.error(p, 'must be WIDTHxHEIGHT (e.g. 48x48) or "any"');
    });
    if (src !== undefined && !/^https:/i.test(src)) this.warn(`${at}/src`, "must be an HTTPS URL (the schema says so in prose)");
  }
  repository(v: unknown) {
    if (!this.object(v, "/repository")) return;
    this.string(v, "url", "/repository", { required: true, uri: true });
    this.string(v, "source", "/repository", { required: true });
    this.string(v, "id", "/repository");
    const sub = this.string(v, "subfolder", "/repository");
    if (sub !== undefined && !isCleanRelativePath(sub)) this.warn("/repository/subfolder", "must be a clean relative path (no leading /, no . or .. segments, no backslashes)");
  }
  meta(v: unknown) {
    if (!this.object(v, "/_meta")) return;
    const provided = get(v, PUBLISHER_PROVIDED);
    if (provided !== undefined) this.object(provided, `/_meta/${esc(PUBLISHER_PROVIDED)}`);
    for (const k of Object.keys(v)) {
      if (!REVERSE_DNS_KEY.test(k)) this.warn(`/_meta/${esc(k)}`, "is not a reverse-DNS namespace (e.g. com.example/info)");
    }
  }
  version(v: string) {
    if (v.toLowerCase() === "latest") this.warn("/version", '"latest" is not a version: the registry API uses it to mean the newest version');
    else if (RANGE.test(v)) this.warn("/version", "is a version range; the schema says ranges are rejected, so publish a specific version");
    else if (!SEMVER.test(v)) this.warn("/version", "is not a semantic version (e.g. 1.0.2), so it may not sort predictably");
  }

  server(doc: unknown) {
    if (!isObj(doc)) return this.error("", "must be an object");
    const schema = this.string(doc, "$schema", "", { uri: true });
    const name = this.string(doc, "name", "", {
      required: true,
      min: 3,
      max: 200,
      pattern: NAME,
      patternMessage: 'must be a namespace, one "/" and a name, using letters, digits, "." and "-" (and "_" in the name), e.g. io.github.example/weather',
    });
    this.string(doc, "description", "", { required: true, min: 1, max: 100 });
    const version = this.string(doc, "version", "", { required: true, max: 255 });
    this.string(doc, "title", "", { min: 1, max: 100 });
    this.string(doc, "websiteUrl", "", { uri: true });
    const repository = get(doc, "repository");
    if (repository !== undefined) this.repository(repository);
    this.array(doc, "icons", "", (i, p) => this.icon(i, p));
    const packages = this.array(doc, "packages", "", (p, at) => this.pkg(p, at));
    const remotes = this.array(doc, "remotes", "", (r, at) => this.remote(r, at));
    const meta = get(doc, "_meta");
    if (meta !== undefined) this.meta(meta);

    // prose-only rules
    if (schema !== undefined && schema !== SERVER_SCHEMA_URL) {
      this.warn("/$schema", `is not the 2025-12-11 schema; the document is judged by the 2025-12-11 rules (${SERVER_SCHEMA_URL})`);
    }
    if (name !== undefined && !name.slice(0, name.indexOf("/")).includes(".")) {
      this.warn("/name", "has a namespace that is not reverse-DNS (e.g. io.github.example/weather)");
    }
    if (version !== undefined) this.version(version);
    if (!packages?.length && !remotes?.length) {
      this.warn("", "has neither packages nor remotes: there is nothing to install or connect to");
    }
  }
}

/** Validate a server.json document by the 2025-12-11 schema's rules; never throws. */
export function validateServerJson(doc: unknown): ServerJsonResult {
  const c = new Checker();
  try {
    c.server(doc);
  } catch (e) {
    // Full: MAX_ISSUES errors are enough to reject; anything else is a hostile object (a getter or
    // proxy that throws), which no JSON document can be.
    if (!(e instanceof Full)) c.errors.push({ pointer: "", message: "cannot be read as a JSON document" });
  }
  if (c.errors.length > 0) return { valid: false, errors: c.errors, warnings: c.warnings };
  return { valid: true, errors: [], warnings: c.warnings, server: doc as ServerJson };
}
