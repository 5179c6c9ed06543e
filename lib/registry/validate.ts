// The product's own server.json validator, written from the rules of the official schema
// (2025-12-11, JSON Schema draft-07). A document is valid exactly when that schema says so,
// whatever older dated `$schema` it names; each error names the field by JSON pointer (RFC 6901)
// with a sentence. Rules the schema states only in prose are warnings for the reviewer.
// Unknown fields are allowed, as the schema allows them. Never throws, for any input.

export interface Issue {
  pointer: string;
  message: string;
}

export interface Input {
  description?: string;
  format?: "string" | "number" | "boolean" | "filepath";
  isRequired?: boolean;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  value?: string;
  choices?: string[];
  variables?: Record<string, Input>;
}
export interface KeyValueInput extends Input {
  name: string;
}
export interface Argument extends Input {
  type: "positional" | "named";
  name?: string;
  valueHint?: string;
  isRepeated?: boolean;
}
export interface Transport {
  type: "stdio" | "streamable-http" | "sse";
  url?: string;
  headers?: KeyValueInput[];
  variables?: Record<string, Input>;
}
export interface Package {
  registryType: string;
  identifier: string;
  version?: string;
  registryBaseUrl?: string;
  fileSha256?: string;
  runtimeHint?: string;
  transport: Transport;
  runtimeArguments?: Argument[];
  packageArguments?: Argument[];
  environmentVariables?: KeyValueInput[];
}
export interface ServerJson {
  $schema?: string;
  name: string;
  description: string;
  version: string;
  title?: string;
  websiteUrl?: string;
  repository?: { url: string; source: string; id?: string; subfolder?: string };
  icons?: { src: string; mimeType?: string; sizes?: string[]; theme?: "light" | "dark" }[];
  packages?: Package[];
  remotes?: (Transport & { type: "streamable-http" | "sse"; url: string })[];
  _meta?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface ValidationResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  server?: ServerJson;
}

export const KNOWN_REGISTRY_TYPES = ["npm", "pypi", "oci", "nuget", "mcpb"] as const;
const MAX_ERRORS = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** JSON Schema lengths count code points. */
const len = (s: string) => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
};
const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");
const has = (o: Obj, k: string) => Object.hasOwn(o, k);

// RFC 3986 absolute URI: a scheme, then only URI characters and well-formed %-escapes (ajv-formats
// "uri" accepts the same set).
const URI = /^[a-z][a-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/i;
function isUri(s: string): boolean {
  if (!URI.test(s) || /%(?![0-9a-f]{2})/i.test(s)) return false;
  const rest = s.slice(s.indexOf(":") + 1);
  if (rest.startsWith("//")) {
    const authority = rest.slice(2).split(/[/?#]/, 1)[0];
    const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
    if (hostPort.startsWith("[")) return /^\[[0-9a-f:.]+\](:\d*)?$/i.test(hostPort) || /^\[v[0-9a-f]+\.[\w\-.~!$&'()*+,;=:]+\](:\d*)?$/i.test(hostPort);
    if (/[[\]]/.test(authority)) return false;
    const colon = hostPort.indexOf(":");
    if (colon >= 0 && !/^\d*$/.test(hostPort.slice(colon + 1))) return false;
  } else if (/[[\]]/.test(rest.split(/[?#]/, 1)[0])) return false;
  return true;
}

class Checker {
  errors: Issue[] = [];
  err(pointer: string, message: string) {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ pointer, message });
  }
  string(o: Obj, k: string, at: string, opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp; patternText?: string; uri?: boolean; enum?: readonly string[] } = {}): string | undefined {
    const p = `${at}/${esc(k)}`;
    if (!has(o, k)) {
      if (opts.required) this.err(at || "", `must have the required property "${k}"`);
      return undefined;
    }
    const v = o[k];
    if (typeof v !== "string") {
      this.err(p, "must be a string");
      return undefined;
    }
    const n = opts.min !== undefined || opts.max !== undefined ? len(v) : 0;
    if (opts.min !== undefined && n < opts.min) this.err(p, opts.min === 1 ? "must not be empty" : `must be at least ${opts.min} characters`);
    if (opts.max !== undefined && n > opts.max) this.err(p, `must be at most ${opts.max} characters`);
    if (opts.pattern && !opts.pattern.test(v)) this.err(p, opts.patternText ?? `must match ${opts.pattern.source}`);
    if (opts.uri && !isUri(v)) this.err(p, "must be an absolute URI (e.g. https://example.com/x)");
    if (opts.enum && !opts.enum.includes(v)) this.err(p, `must be one of ${opts.enum.join(", ")}`);
    return v;
  }
  bool(o: Obj, k: string, at: string) {
    if (has(o, k) && typeof o[k] !== "boolean") this.err(`${at}/${esc(k)}`, "must be true or false");
  }
  array(o: Obj, k: string, at: string, each: (item: unknown, at: string) => void) {
    if (!has(o, k)) return;
    const v = o[k];
    if (!Array.isArray(v)) return this.err(`${at}/${esc(k)}`, "must be an array");
    v.forEach((item, i) => each(item, `${at}/${esc(k)}/${i}`));
  }
  object(v: unknown, at: string): v is Obj {
    if (!isObj(v)) {
      this.err(at, "must be an object");
      return false;
    }
    return true;
  }

  input(v: unknown, at: string, withVariables: boolean) {
    if (!this.object(v, at)) return;
    for (const k of ["default", "description", "placeholder", "value"]) this.string(v, k, at);
    this.string(v, "format", at, { enum: ["string", "number", "boolean", "filepath"] });
    this.bool(v, "isRequired", at);
    this.bool(v, "isSecret", at);
    this.array(v, "choices", at, (c, p) => typeof c !== "string" && this.err(p, "must be a string"));
    if (withVariables) this.variables(v, at);
  }
  variables(o: Obj, at: string) {
    if (!has(o, "variables")) return;
    const vars = o.variables;
    if (!isObj(vars)) return this.err(`${at}/variables`, "must be an object");
    for (const [k, val] of Object.entries(vars)) this.input(val, `${at}/variables/${esc(k)}`, false);
  }
  keyValue(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    this.input(v, at, true);
    this.string(v, "name", at, { required: true });
  }
  argument(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    // anyOf positional | named: judged by `type`, as the branch it names
    this.input(v, at, true);
    this.bool(v, "isRepeated", at);
    const type = v.type;
    if (type === "named") {
      this.string(v, "name", at, { required: true });
    } else if (type === "positional") {
      this.string(v, "valueHint", at);
      if (!has(v, "valueHint") && !has(v, "value")) this.err(at, 'a positional argument must have "value" or "valueHint"');
    } else if (!has(v, "type")) this.err(at, 'must have the required property "type"');
    else this.err(`${at}/type`, "must be one of positional, named");
  }
  transport(v: unknown, at: string, remote: boolean) {
    if (!this.object(v, at)) return;
    const types = remote ? ["streamable-http", "sse"] : ["stdio", "streamable-http", "sse"];
    if (remote) this.variables(v, at);
    if (!has(v, "type")) return this.err(at, 'must have the required property "type"');
    if (typeof v.type !== "string" || !types.includes(v.type)) return this.err(`${at}/type`, `must be one of ${types.join(", ")}`);
    if (v.type === "stdio") return;
    this.string(v, "url", at, { required: true, pattern: /^https?:\/\/[^\s]+$/, patternText: "must be an http(s) URL without spaces" });
    this.array(v, "headers", at, (h, p) => this.keyValue(h, p));
  }
  pkg(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    this.string(v, "registryType", at, { required: true });
    this.string(v, "identifier", at, { required: true });
    this.string(v, "runtimeHint", at);
    this.string(v, "registryBaseUrl", at, { uri: true });
    this.string(v, "fileSha256", at, { pattern: /^[a-f0-9]{64}$/, patternText: "must be 64 lower-case hex digits (a SHA-256)" });
    const version = this.string(v, "version", at, { min: 1, max: 255 });
    if (version === "latest") this.err(`${at}/version`, 'must be an exact version, not "latest"');
    if (!has(v, "transport")) this.err(at, 'must have the required property "transport"');
    else this.transport(v.transport, `${at}/transport`, false);
    this.array(v, "runtimeArguments", at, (a, p) => this.argument(a, p));
    this.array(v, "packageArguments", at, (a, p) => this.argument(a, p));
    this.array(v, "environmentVariables", at, (e, p) => this.keyValue(e, p));
  }
  icon(v: unknown, at: string) {
    if (!this.object(v, at)) return;
    this.string(v, "src", at, { required: true, uri: true, max: 255 });
    this.string(v, "mimeType", at, { enum: ["image/png", "image/jpeg", "image/jpg", "image/svg+xml", "image/webp"] });
    this.string(v, "theme", at, { enum: ["light", "dark"] });
    this.array(v, "sizes", at, (s, p) => {
      if (typeof s !== "string") this.err(p, "must be a string");
      else if (!/^(\d+x\d+|any)$/.test(s)) this.err(p, 'must be WIDTHxHEIGHT (e.g. 48x48) or "any"');
    });
  }
  server(doc: unknown) {
    if (!isObj(doc)) return this.err("", "must be a JSON object");
    this.string(doc, "$schema", "", { uri: true });
    this.string(doc, "name", "", {
      required: true,
      min: 3,
      max: 200,
      pattern: /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/,
      patternText: "must be a reverse-DNS namespace and a name, e.g. io.github.example/my-server",
    });
    this.string(doc, "description", "", { required: true, min: 1, max: 100 });
    this.string(doc, "version", "", { required: true, max: 255 });
    this.string(doc, "title", "", { min: 1, max: 100 });
    this.string(doc, "websiteUrl", "", { uri: true });
    if (has(doc, "repository") && this.object(doc.repository, "/repository")) {
      const r = doc.repository as Obj;
      this.string(r, "url", "/repository", { required: true, uri: true });
      this.string(r, "source", "/repository", { required: true });
      this.string(r, "id", "/repository");
      this.string(r, "subfolder", "/repository");
    }
    this.array(doc, "icons", "", (i, p) => this.icon(i, p));
    this.array(doc, "packages", "", (p, at) => this.pkg(p, at));
    this.array(doc, "remotes", "", (r, at) => this.transport(r, at, true));
    if (has(doc, "_meta") && this.object(doc._meta, "/_meta")) {
      const m = doc._meta as Obj;
      const k = "io.modelcontextprotocol.registry/publisher-provided";
      if (has(m, k) && !isObj(m[k])) this.err(`/_meta/${esc(k)}`, "must be an object");
    }
  }
}

const RANGE = /^[\^~<>=*]|\s-\s|\|\||(^|\.)[xX*](\.|$)|^\s*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function warningsOf(doc: ServerJson): Issue[] {
  const out: Issue[] = [];
  const version = (v: string, at: string, what: string) => {
    if (RANGE.test(v)) out.push({ pointer: at, message: `${what} looks like a version range; publish an exact version` });
    else if (!SEMVER.test(v)) out.push({ pointer: at, message: `${what} is not a semantic version (x.y.z); "latest" falls back to publish time` });
  };
  version(doc.version, "/version", "version");
  doc.packages?.forEach((p, i) => {
    if (!(KNOWN_REGISTRY_TYPES as readonly string[]).includes(p.registryType)) {
      out.push({ pointer: `/packages/${i}/registryType`, message: `registry type "${p.registryType}" is not one of ${KNOWN_REGISTRY_TYPES.join(", ")}; clients may not know how to install it` });
    }
    if (p.version !== undefined) version(p.version, `/packages/${i}/version`, "package version");
    else out.push({ pointer: `/packages/${i}`, message: "package has no version: clients install whatever is newest" });
    if (p.version !== undefined && p.version !== doc.version && SEMVER.test(doc.version) && SEMVER.test(p.version)) {
      out.push({ pointer: `/packages/${i}/version`, message: `package version ${p.version} differs from the server version ${doc.version}` });
    }
  });
  doc.remotes?.forEach((r, i) => {
    if (r.url?.startsWith("http://")) out.push({ pointer: `/remotes/${i}/url`, message: "remote is plain http; use https" });
  });
  if (!doc.packages?.length && !doc.remotes?.length) out.push({ pointer: "", message: "the server has neither packages nor remotes: there is nothing to install or connect to" });
  return out;
}

export function validateServerJson(doc: unknown): ValidationResult {
  const c = new Checker();
  try {
    c.server(doc);
  } catch {
    c.err("", "cannot be read as a server.json document");
  }
  if (c.errors.length) return { valid: false, errors: c.errors, warnings: [] };
  const server = doc as ServerJson;
  return { valid: true, errors: [], warnings: warningsOf(server), server };
}
