import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { validateCimd, type AgentKind, type CimdIssue } from "@/lib/cimd/validate";

// What an agent's client_id and hosted URLs are, and the one way a submitted document becomes
// stored bytes: validated against the agent (client_id, kind), canonicalised, hashed.

export const CLIENTS_PATH = "/oauth/clients/";

export function clientIdFor(slug: string): string {
  return `${env().PUBLIC_BASE_URL}${CLIENTS_PATH}${slug}`;
}

export const jwksUriFor = (clientId: string): string => `${clientId}/jwks.json`;

/** PUBLIC_BASE_URL is not https, or is a loopback host: authorization servers will refuse these
 * client_ids (fine for development; the documents are accepted with warnings, not refused). */
export function insecureBase(): boolean {
  const base = new URL(env().PUBLIC_BASE_URL);
  const host = base.hostname;
  return base.protocol !== "https:" || host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\./.test(host);
}

export type JsonObject = Record<string, unknown>;

export interface Jwk extends JsonObject {
  kty: string;
  kid?: string;
}

export interface PreparedDocument {
  document: JsonObject;
  canonical: string;
  sha256: string;
  size: number;
  warnings: CimdIssue[];
}

export const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * Validates a document for an agent (client_id filled in when absent, refused when it differs)
 * and gives its canonical bytes; 422 with one entry per broken rule, the field prefixed `where`.
 */
export function prepareDocument(input: unknown, agent: { clientId: string; kind: AgentKind }, previous: JsonObject | null, where = "body.document"): PreparedDocument {
  const result = validateCimd(input, { clientId: agent.clientId, fillClientId: true, kind: agent.kind, insecureBase: insecureBase(), previous });
  if (!result.valid || !result.document || result.canonical === undefined) {
    const first = result.errors[0];
    throw new ApiError(
      "validation_failed",
      first ? `Invalid client metadata: ${first.field || "/"} ${first.message}` : "Invalid client metadata",
      result.errors.map((e) => ({ field: `${where}${e.field}`, message: e.message, rule: e.rule })),
    );
  }
  return { document: result.document, canonical: result.canonical, sha256: sha256Hex(result.canonical), size: result.size, warnings: result.warnings };
}

/** The keys a version lists: its document's `jwks`, or the hosted set when its `jwks_uri` is ours. */
export function keysOf(document: JsonObject, hostedJwks: unknown, clientId: string): Jwk[] {
  const inline = document.jwks as { keys?: unknown } | undefined;
  if (inline && Array.isArray(inline.keys)) return inline.keys as Jwk[];
  if (document.jwks_uri === jwksUriFor(clientId)) {
    const hosted = hostedJwks as { keys?: unknown } | null | undefined;
    return hosted && Array.isArray(hosted.keys) ? (hosted.keys as Jwk[]) : [];
  }
  return [];
}

/** Redirect URIs and keys added or removed between two documents, for reviewers. */
export function documentChanges(
  previous: { document: JsonObject; keys: Jwk[] } | null,
  next: { document: JsonObject; keys: Jwk[] },
  thumbprint: (k: Jwk) => string,
) {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const before = new Set(strings(previous?.document.redirect_uris));
  const after = new Set(strings(next.document.redirect_uris));
  const id = (k: Jwk) => ({ kid: typeof k.kid === "string" ? k.kid : null, thumbprint: thumbprint(k) });
  const oldKeys = new Map((previous?.keys ?? []).map((k) => [thumbprint(k), k]));
  const newKeys = new Map(next.keys.map((k) => [thumbprint(k), k]));
  const fromUri = typeof previous?.document.jwks_uri === "string" ? previous.document.jwks_uri : null;
  const toUri = typeof next.document.jwks_uri === "string" ? next.document.jwks_uri : null;
  return {
    keys: {
      added: [...newKeys].filter(([t]) => !oldKeys.has(t)).map(([, k]) => id(k)),
      removed: [...oldKeys].filter(([t]) => !newKeys.has(t)).map(([, k]) => id(k)),
    },
    redirects: { added: [...after].filter((u) => !before.has(u)), removed: [...before].filter((u) => !after.has(u)) },
    jwksUri: fromUri !== toUri && previous ? { from: fromUri, to: toUri } : null,
  };
}
