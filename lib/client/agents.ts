import { useQuery } from "@tanstack/react-query";
import { api, withQuery } from "@/lib/client/api";
import { createListQuery, useApiMutation } from "@/lib/client/list-query";
import type { AuditEventJson, Page } from "@/lib/client/types";

// Agents in the console: the list, one agent (versions, draft, owners, servers), its keys, and
// the changes to them. Shapes follow docs/agents.md (the Agents API contract).

export type AgentKind = "interactive" | "headless";
export type AgentEnvironment = "production" | "staging" | "dev";
export type AgentStatus = "unpublished" | "published" | "revoked" | "deleted";
export type AgentVersionState = "pending" | "approved" | "rejected" | "withdrawn";

/** One broken rule or warning of the CIMD validator; `field` is a JSON pointer into the document. */
export interface CimdIssue {
  field: string;
  message: string;
  rule: string;
}

export interface PersonRef {
  id: string;
  name: string | null;
}

export interface AgentSummary {
  id: string;
  slug: string;
  name: string;
  kind: AgentKind;
  environment: AgentEnvironment | null;
  purpose: string | null;
  ownerTeam: string | null;
  clientId: string;
  status: AgentStatus;
  published: { id: string; number: number; sha256: string; publishedAt: string | null } | null;
  /** reviewId is null only in the moment between a version and its review. */
  pending: { id: string; number: number; reviewId: string | null } | null;
  hasDraft: boolean;
  owners: PersonRef[];
  serverCount: number;
  keyCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface AgentVersion {
  id: string;
  number: number;
  state: AgentVersionState;
  current: boolean;
  sha256: string;
  size: number;
  source: string;
  submittedBy: PersonRef | null;
  createdAt: string;
  publishedAt: string | null;
  review: { id: string; state: string } | null;
  warnings: CimdIssue[];
}

export type CimdDocument = Record<string, unknown>;

export interface AgentDetail extends AgentSummary {
  servers: { id: string; name: string }[];
  document: CimdDocument | null;
  canonical: string | null;
  jwksUri: string;
  /** The token-exchange secret: that one exists (its prefix, when issued), never the secret. */
  exchangeSecret: { prefix: string; issuedAt: string | null } | null;
  draft: { document: CimdDocument; updatedAt: string } | null;
  versions: AgentVersion[];
  revoked: { at: string; by: PersonRef | null; reason: string | null } | null;
  insecureBase: boolean;
  permissions: { canEdit: boolean; canRevoke: boolean };
}

export type KeyPlacement = "jwks" | "jwks_uri";

export interface AgentKey {
  /** null for a key a document lists without one. */
  kid: string | null;
  kty: string;
  alg: string | null;
  crv?: string | null;
  /** RFC 7638, base64url. */
  thumbprint: string;
  /** "document": written into a document by hand, not through the Keys page. */
  source: "generated" | "registered" | "document";
  state: "active" | "pending" | "retiring" | "retired";
  createdAt: string | null;
  createdBy: PersonRef | null;
  retiredAt: string | null;
}

export interface AgentKeys {
  /** Where the document keeps its keys; "external" when its jwks_uri is someone else's. */
  placement: KeyPlacement | "external" | null;
  jwksUri: string;
  items: AgentKey[];
}

export interface VersionRef {
  id: string;
  number: number;
}

export interface ReviewRef {
  id: string;
  state: string;
}

export interface CreateAgentInput {
  slug: string;
  name: string;
  kind: AgentKind;
  document?: CimdDocument;
  environment?: AgentEnvironment;
  purpose?: string;
  ownerTeam?: string;
  servers?: string[];
  draft?: boolean;
}

export interface CreatedAgent {
  id: string;
  slug: string;
  clientId: string;
  version: VersionRef | null;
  review: ReviewRef | null;
  warnings: CimdIssue[];
}

export interface SubmittedVersion {
  version: VersionRef;
  review: ReviewRef;
  warnings: CimdIssue[];
}

export interface SavedDraft {
  draft: { document: CimdDocument; updatedAt: string };
  validation: { errors: CimdIssue[]; warnings: CimdIssue[] };
}

export interface KeyChange {
  key: { kid: string; kty: string; alg: string; thumbprint: string; publicJwk: Record<string, unknown> };
  privateKey?: { pem: string; jwk: Record<string, unknown> };
  version: VersionRef;
  review: ReviewRef;
}

export type KeyInput =
  | { action: "generate"; alg?: "ES256" | "RS256"; placement?: KeyPlacement }
  | { action: "register"; jwk: Record<string, unknown>; placement?: KeyPlacement };

export interface AgentUpdate {
  name?: string;
  purpose?: string | null;
  environment?: AgentEnvironment;
  ownerTeam?: string | null;
  servers?: string[];
}

/** `detail` of GET /api/v1/reviews/{id} when the subject is an agent version. */
export interface AgentReviewDetail {
  agent: { id: string; slug: string; name: string; kind: AgentKind; clientId: string; environment: AgentEnvironment | null; status?: string };
  version: { id: string; number: number; state: AgentVersionState; sha256: string; size: number; createdAt: string };
  document: CimdDocument;
  canonical: string;
  /** The key set served at <client_id>/jwks.json with this version, when the document names it. */
  hostedJwks?: { keys?: Record<string, unknown>[] } | null;
  warnings: CimdIssue[];
  previous: { id: string; number: number; document: CimdDocument; sha256: string; publishedAt: string | null } | null;
  changes: {
    keys: { added: { kid: string | null; thumbprint: string }[]; removed: { kid: string | null; thumbprint: string }[] };
    redirects: { added: string[]; removed: string[] };
    jwksUri: { from: string | null; to: string | null } | null;
  };
}

export interface AgentFilters {
  q?: string;
  kind?: string;
  environment?: string;
  status?: string;
  owner?: string;
  [key: string]: string | undefined;
}

export const useAgentsQuery = createListQuery<AgentSummary, AgentFilters>("agents", "/api/v1/agents");

const agentPath = (id: string) => `/api/v1/agents/${encodeURIComponent(id)}`;
// Lists, one agent (its keys live under ["agent", id, "keys"]) and the reviews a change opens.
const KEYS = [["agents"], ["agent"], ["reviews"], ["review"]];

export const agentKeys = {
  detail: (id: string) => ["agent", id] as const,
  keys: (id: string) => ["agent", id, "keys"] as const,
  audit: (id: string) => ["audit-events", "agent", id] as const,
};

/** The client_id an agent with this slug gets: PUBLIC_BASE_URL/oauth/clients/<slug>. */
export function clientIdFor(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/oauth/clients/${slug}`;
}

/** Where the browser downloads every published client_id (JSON or one per line). */
export function clientIdsHref(format: "json" | "text"): string {
  return withQuery("/api/v1/agents/client-ids", { format });
}

export function useAgentQuery(id: string) {
  return useQuery({ queryKey: agentKeys.detail(id), queryFn: ({ signal }) => api<AgentDetail>(agentPath(id), { signal }) });
}

export function useAgentKeysQuery(id: string) {
  return useQuery({ queryKey: agentKeys.keys(id), queryFn: ({ signal }) => api<AgentKeys>(`${agentPath(id)}/keys`, { signal }) });
}

/** A review of one of the agent's versions (shares the review page's cache entry). */
export function useAgentReviewQuery(reviewId: string | undefined) {
  return useQuery({
    queryKey: ["review", reviewId],
    enabled: !!reviewId,
    queryFn: ({ signal }) => api<{ id: string; state: string; detail: AgentReviewDetail | null }>(`/api/v1/reviews/${encodeURIComponent(reviewId!)}`, { signal }),
  });
}

/** The agent's own audit events (the audit API filters by target; audit.read). */
export function useAgentAuditQuery(id: string, enabled: boolean) {
  return useQuery({
    queryKey: agentKeys.audit(id),
    enabled,
    queryFn: ({ signal }) => api<Page<AuditEventJson>>("/api/v1/audit-events", { query: { targetId: id, limit: 10 }, signal }),
  });
}

export function useCreateAgentMutation() {
  return useApiMutation((input: CreateAgentInput) => api<CreatedAgent>("/api/v1/agents", { method: "POST", body: input }), KEYS);
}

export function useUpdateAgentMutation(id: string) {
  return useApiMutation((patch: AgentUpdate) => api<AgentDetail>(agentPath(id), { method: "PATCH", body: patch }), KEYS);
}

export function useDeleteAgentMutation(id: string) {
  return useApiMutation(() => api<{ id: string; deleted: true }>(agentPath(id), { method: "DELETE" }), KEYS);
}

export function useRevokeAgentMutation(id: string) {
  return useApiMutation((reason: string | undefined) => api<AgentDetail>(`${agentPath(id)}/revoke`, { method: "POST", body: reason ? { reason } : {} }), KEYS);
}

export function useSubmitVersionMutation(id: string) {
  return useApiMutation(
    (input: { document: CimdDocument; discardDraft?: boolean }) => api<SubmittedVersion>(`${agentPath(id)}/versions`, { method: "POST", body: input }),
    KEYS,
  );
}

export function useSaveDraftMutation(id: string) {
  return useApiMutation((document: CimdDocument) => api<SavedDraft>(`${agentPath(id)}/draft`, { method: "PUT", body: { document } }), KEYS);
}

export function useDiscardDraftMutation(id: string) {
  return useApiMutation(() => api<{ deleted: true }>(`${agentPath(id)}/draft`, { method: "DELETE" }), KEYS);
}

export function useAddAgentOwnerMutation(id: string) {
  return useApiMutation((email: string) => api<{ agentId: string; userId: string; name: string }>(`${agentPath(id)}/owners`, { method: "POST", body: { email } }), KEYS);
}

export function useRemoveAgentOwnerMutation(id: string) {
  return useApiMutation((userId: string) => api<unknown>(`${agentPath(id)}/owners/${encodeURIComponent(userId)}`, { method: "DELETE" }), KEYS);
}

export function useAddKeyMutation(id: string) {
  return useApiMutation((input: KeyInput) => api<KeyChange>(`${agentPath(id)}/keys`, { method: "POST", body: input }), KEYS);
}

export function useRetireKeyMutation(id: string) {
  return useApiMutation(
    (kid: string) => api<{ version: VersionRef; review: ReviewRef }>(`${agentPath(id)}/keys/${encodeURIComponent(kid)}/retire`, { method: "POST" }),
    KEYS,
  );
}

/** The token-exchange secret, as issued (shown once). */
export interface IssuedExchangeSecret {
  clientId: string;
  secret: string;
  prefix: string;
  issuedAt: string;
  tokenEndpoint: string;
  authMethods: string[];
}

export function useIssueExchangeSecretMutation(id: string) {
  return useApiMutation(() => api<IssuedExchangeSecret>(`${agentPath(id)}/exchange-secret`, { method: "POST" }), KEYS);
}

export function useRemoveExchangeSecretMutation(id: string) {
  return useApiMutation(() => api<null>(`${agentPath(id)}/exchange-secret`, { method: "DELETE" }), KEYS);
}
