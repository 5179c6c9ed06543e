// The console's "Build with a form" for a server.json: the form's plain string/boolean state and
// the function that turns it into a document. Pure (no React, no Node APIs), so it runs in the
// browser and in unit tests. Required members are always written, even empty, so the validator
// points at them; optional ones are left out when blank. Rows are never dropped, so a validator
// pointer such as /packages/1/identifier names the row the person sees as the second one.

import { SERVER_SCHEMA_URL, type KeyValueInput, type LocalTransport, type Package, type RemoteTransport, type ServerJson } from "@/lib/registry/server-json";

export const FORM_REGISTRY_TYPES = ["npm", "pypi", "oci", "nuget", "mcpb"] as const;
export const FORM_PACKAGE_TRANSPORTS = ["stdio", "streamable-http", "sse"] as const;
export const FORM_REMOTE_TRANSPORTS = ["streamable-http", "sse"] as const;

export type FormRegistryType = (typeof FORM_REGISTRY_TYPES)[number];
export type FormPackageTransport = (typeof FORM_PACKAGE_TRANSPORTS)[number];
export type FormRemoteTransport = (typeof FORM_REMOTE_TRANSPORTS)[number];

/** An environment variable (packages) or a header (remotes). `id` only keys the row on screen. */
export interface KeyValueForm {
  id: string;
  name: string;
  description: string;
  isRequired: boolean;
  isSecret: boolean;
}

export interface PackageForm {
  id: string;
  registryType: FormRegistryType;
  identifier: string;
  version: string;
  transportType: FormPackageTransport;
  /** Only for streamable-http and sse. */
  transportUrl: string;
  environmentVariables: KeyValueForm[];
}

export interface RemoteForm {
  id: string;
  type: FormRemoteTransport;
  url: string;
  headers: KeyValueForm[];
}

export interface ServerForm {
  name: string;
  title: string;
  description: string;
  version: string;
  websiteUrl: string;
  repositoryUrl: string;
  /** Blank: guessed from the repository URL's host (github.com -> "github"). */
  repositorySource: string;
  packages: PackageForm[];
  remotes: RemoteForm[];
}

let lastId = 0;
/** A row key unique within this page (rows are never persisted, so a counter is enough). */
export const rowId = (prefix: string) => `${prefix}-${++lastId}`;

export const emptyKeyValue = (): KeyValueForm => ({ id: rowId("kv"), name: "", description: "", isRequired: false, isSecret: false });

export const emptyPackage = (): PackageForm => ({
  id: rowId("pkg"),
  registryType: "npm",
  identifier: "",
  version: "",
  transportType: "stdio",
  transportUrl: "",
  environmentVariables: [],
});

export const emptyRemote = (): RemoteForm => ({ id: rowId("remote"), type: "streamable-http", url: "", headers: [] });

export const emptyServerForm = (): ServerForm => ({
  name: "",
  title: "",
  description: "",
  version: "",
  websiteUrl: "",
  repositoryUrl: "",
  repositorySource: "",
  packages: [],
  remotes: [],
});

const KNOWN_FORGES: Record<string, string> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "bitbucket.org": "bitbucket",
  "codeberg.org": "codeberg",
};

/** The forge a repository URL points at: a known host's short name, else the host itself. */
export function repositorySourceFor(url: string): string {
  let host: string;
  try {
    host = new URL(url.trim()).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return "";
  }
  return KNOWN_FORGES[host] ?? host;
}

function keyValue(row: KeyValueForm): KeyValueInput {
  const out: KeyValueInput = { name: row.name.trim() };
  const description = row.description.trim();
  if (description) out.description = description;
  if (row.isRequired) out.isRequired = true;
  if (row.isSecret) out.isSecret = true;
  return out;
}

function packageOf(p: PackageForm): Package {
  const transport: LocalTransport = p.transportType === "stdio" ? { type: "stdio" } : { type: p.transportType, url: p.transportUrl.trim() };
  const out: Package = { registryType: p.registryType, identifier: p.identifier.trim(), transport };
  const version = p.version.trim();
  if (version) out.version = version;
  if (p.environmentVariables.length) out.environmentVariables = p.environmentVariables.map(keyValue);
  return out;
}

function remoteOf(r: RemoteForm): RemoteTransport {
  const out: RemoteTransport = { type: r.type, url: r.url.trim() };
  if (r.headers.length) out.headers = r.headers.map(keyValue);
  return out;
}

/** The server.json the form describes, with the 2025-12-11 `$schema`, members in the usual order. */
export function buildServerJson(form: ServerForm): ServerJson {
  const title = form.title.trim();
  const websiteUrl = form.websiteUrl.trim();
  const repositoryUrl = form.repositoryUrl.trim();
  return {
    $schema: SERVER_SCHEMA_URL,
    name: form.name.trim(),
    ...(title ? { title } : {}),
    description: form.description.trim(),
    version: form.version.trim(),
    ...(websiteUrl ? { websiteUrl } : {}),
    ...(repositoryUrl ? { repository: { url: repositoryUrl, source: form.repositorySource.trim() || repositorySourceFor(repositoryUrl) } } : {}),
    ...(form.packages.length ? { packages: form.packages.map(packageOf) } : {}),
    ...(form.remotes.length ? { remotes: form.remotes.map(remoteOf) } : {}),
  };
}
