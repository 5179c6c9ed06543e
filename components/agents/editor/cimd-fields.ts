import type { AgentKind, CimdDocument, CimdIssue } from "@/lib/client/agents";

// The members of a Client ID Metadata Document the form edits, and the small pure steps between
// the document (the JSON text is the one source of truth) and the form's fields.

export const GRANT_TYPES = [
  { value: "authorization_code", label: "Authorization code", hint: "People sign in (with PKCE); needs redirect URIs." },
  { value: "refresh_token", label: "Refresh token", hint: "Keeps a session without signing in again." },
  { value: "client_credentials", label: "Client credentials", hint: "Machine to machine; headless agents only." },
  { value: "urn:ietf:params:oauth:grant-type:token-exchange", label: "Token exchange", hint: "RFC 8693, e.g. for Cross App Access." },
  { value: "urn:ietf:params:oauth:grant-type:jwt-bearer", label: "JWT bearer", hint: "RFC 7523 assertions (ID-JAG)." },
] as const;

export const AUTH_METHODS = [
  { value: "none", label: "none (public client, PKCE)" },
  { value: "private_key_jwt", label: "private_key_jwt (signed with the agent's key)" },
];

export const URL_FIELDS = [
  { key: "client_uri", label: "Client URI", hint: "The agent's home page, shown on consent screens." },
  { key: "logo_uri", label: "Logo URI", hint: "An https image authorization servers may show." },
  { key: "tos_uri", label: "Terms of service URI" },
  { key: "policy_uri", label: "Privacy policy URI" },
] as const;

/** A document to start from: what the kind needs, nothing more. The console fills client_id. */
export function starterDocument(kind: AgentKind, name = ""): CimdDocument {
  return kind === "interactive"
    ? { client_name: name, redirect_uris: [], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" }
    : // response_types: [] says so: absent would mean ["code"] (RFC 7591 §2).
      { client_name: name, grant_types: ["client_credentials"], response_types: [], token_endpoint_auth_method: "private_key_jwt" };
}

export const documentText = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

export function isObject(v: unknown): v is CimdDocument {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

export function stringAt(doc: CimdDocument, key: string): string {
  const v = doc[key];
  return typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);
}

export function listAt(doc: CimdDocument, key: string): string[] {
  const v = doc[key];
  return Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : [];
}

/** The document with one member set; an empty string or undefined removes it. */
export function withMember(doc: CimdDocument, key: string, value: unknown): CimdDocument {
  const next = { ...doc };
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
}

/** Grant types toggled; `response_types` follows, since `code` goes with `authorization_code`. */
export function withGrant(doc: CimdDocument, grant: string, on: boolean): CimdDocument {
  const grants = listAt(doc, "grant_types").filter((g) => g !== grant);
  if (on) grants.push(grant);
  const order: string[] = GRANT_TYPES.map((g) => g.value);
  grants.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  let next = withMember(doc, "grant_types", grants);
  if (grant === "authorization_code") {
    const responses = listAt(doc, "response_types").filter((r) => r !== "code");
    if (on) responses.unshift("code");
    // Without the code grant, an empty list rather than none: absent means ["code"] (RFC 7591 §2).
    next = withMember(next, "response_types", responses);
  }
  return next;
}

/** A validator or API field as a JSON pointer: "body.document/redirect_uris/0" -> "/redirect_uris/0". */
export function pointerOf(field: string): string {
  const p = field.replace(/^body\.document/, "").replace(/^document(?=\/|$)/, "");
  return p === "" || p.startsWith("/") ? p : `/${p}`;
}

/** The first issue at exactly this pointer. */
export function issueAt(issues: readonly CimdIssue[], pointer: string): string | undefined {
  return issues.find((i) => pointerOf(i.field) === pointer)?.message;
}

/** Issues inside a member (its items), e.g. every /redirect_uris/<n>. */
export function issuesUnder(issues: readonly CimdIssue[], pointer: string): CimdIssue[] {
  return issues.filter((i) => pointerOf(i.field).startsWith(`${pointer}/`));
}

/** Issues the form shows next to no field of its own (the list below names them all anyway). */
export const FORM_MEMBERS = [
  "client_id",
  "client_name",
  "redirect_uris",
  "grant_types",
  "response_types",
  "token_endpoint_auth_method",
  "scope",
  "client_uri",
  "logo_uri",
  "tos_uri",
  "policy_uri",
  "contacts",
  "jwks_uri",
  "jwks",
];
