import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, type Query } from "@/lib/client/api";
import { normalizeFilters, useApiMutation, type ListQueryResult } from "@/lib/client/list-query";
import type { Page } from "@/lib/client/types";
import type { PolicyDocument, PolicyInput } from "@/lib/xaa/schema";

// Delegation policies in the console (enterprise-managed authorization, XAA; docs/xaa.md): the
// list, one policy with its versions, the editor's lookups (targets, groups), the simulator and
// the matrix. Every change is a new version under review; enable/disable is the one switch.

export type { PolicyDocument, PolicyInput };

export type PolicyStatus = "active" | "disabled" | "pending" | "rejected" | "withdrawn";
export type PolicyEffect = "allow" | "deny";
/** A version's own state; "active" marks the version in effect in a policy's history. */
export type PolicyVersionState = "active" | "pending" | "approved" | "rejected" | "withdrawn" | "revoked" | "deprecated";

export interface PolicyPerson {
  id: string;
  name: string | null;
}

export interface PolicySummary {
  id: string;
  name: string;
  enabled: boolean;
  status: PolicyStatus;
  effect: PolicyEffect;
  server: { id: string; name: string } | null;
  audience: string;
  resource: string;
  agents: string[];
  scopes: string[];
  activeVersion: { id: string; number: number } | null;
  pending: { versionId: string; number: number; reviewId: string | null } | null;
  /** Why the active policy grants nothing now (its server drifted or is no longer approved). */
  suspended: string | null;
  updatedAt: string;
}

export interface PolicyVersionJson {
  id: string;
  number: number;
  state: PolicyVersionState;
  document: PolicyDocument;
  submittedBy: PolicyPerson | null;
  createdAt: string;
  approvedAt: string | null;
  reviewId: string | null;
}

export interface PolicyVersionRow {
  id: string;
  number: number;
  state: PolicyVersionState;
  submittedBy: PolicyPerson | null;
  createdAt: string;
  approvedAt: string | null;
  reviewId: string | null;
}

/** One policy: its summary (with the pending version in full) and its history. */
export interface PolicyDetail extends Omit<PolicySummary, "pending"> {
  createdAt: string;
  updatedAt: string;
  active: PolicyVersionJson | null;
  pending: PolicyVersionJson | null;
  versions: PolicyVersionRow[];
}

export interface SubmittedPolicy {
  id: string;
  version: { id: string; number: number };
  review: { id: string; state: string };
}

export interface PolicyTargets {
  server: { id: string; name: string };
  /** The issuer recorded for the server's authorization server, or null when none is. */
  audience: string | null;
  /** Its streamable-http remotes (RFC 9728 resource identifiers). */
  resources: string[];
  /** Scopes known from its tool snapshot and the console's edits. */
  scopes: string[];
  drifted: boolean;
}

export interface SimulateInput {
  client_id: string;
  subject: { sub: string; email?: string | null; groups: string[]; acr?: string | null; auth_time?: number | null };
  server?: string;
  audience?: string | null;
  resource?: string | null;
  scopes: string[];
  environment?: string | null;
  versionId?: string;
}

export interface PolicyExplanation {
  policyId: string;
  version: number;
  name: string;
  effect: PolicyEffect;
  matched: boolean;
  why: string;
  scopes: string[];
}

export interface SimulateResult {
  decision: "allow" | "deny";
  scopes: string[];
  policyIds: string[];
  reasons: string[];
  ttl: number;
  error: "access_denied" | "insufficient_user_authentication" | null;
  stepUp: { acr: string | null; maxAgeSeconds: number | null } | null;
  explanation: PolicyExplanation[];
  audience: string | null;
  resource: string | null;
}

export interface PolicyMatrix {
  server: { id: string; name: string };
  audience: string | null;
  resource: string | null;
  /** `refused`: the decision point refuses it before any policy (registered here, not published). */
  agents: { clientId: string; name: string | null; refused?: boolean }[];
  groups: string[];
  scopes: string[];
  cells: { clientId: string; group: string; scopes: string[]; stepUp: string[]; policyIds: string[] }[];
}

/** `detail` of GET /api/v1/reviews/{id} when the subject is a policy version. */
export interface PolicyReviewDetail {
  policy: { id: string; name: string; enabled: boolean };
  version: PolicyVersionJson;
  previous: PolicyVersionJson | null;
  diff?: unknown;
  /** Why the policy's target grants nothing right now (drift), or null. */
  suspended?: string | null;
}

export interface PolicyFilters {
  q?: string;
  state?: string;
  server?: string;
  agent?: string;
  effect?: string;
  [key: string]: string | undefined;
}

const PAGE_SIZE = 25;
const POLICIES = "/api/v1/policies";
const policyPath = (id: string) => `${POLICIES}/${encodeURIComponent(id)}`;
// Lists, one policy, its lookups, simulations and matrices, and the reviews a change opens.
const KEYS = [["policies"], ["policy"], ["policy-simulate"], ["policy-matrix"], ["reviews"], ["review"]];

export const policyKeys = {
  all: ["policies"] as const,
  detail: (id: string) => ["policy", id] as const,
  targets: (server: string) => ["policy", "targets", server] as const,
  groups: ["policy", "groups"] as const,
  simulate: (input: SimulateInput) => ["policy-simulate", input] as const,
  matrix: (server: string, versionId: string | undefined) => ["policy-matrix", server, versionId ?? null] as const,
};

/**
 * The policy list: the list-query factory's keys, filters and paging (lib/client/list-query.ts),
 * over this endpoint's page shape, which names its rows `policies` where the others say `items`.
 */
export function usePoliciesQuery(filters: PolicyFilters = {}, opts: { enabled?: boolean; pageSize?: number } = {}): ListQueryResult<PolicySummary> {
  const normalized = normalizeFilters(filters);
  const limit = opts.pageSize ?? PAGE_SIZE;
  return useInfiniteQuery({
    queryKey: ["policies", "list", normalized, limit],
    enabled: opts.enabled ?? true,
    queryFn: async ({ pageParam, signal }): Promise<Page<PolicySummary>> => {
      const page = await api<{ items: PolicySummary[]; nextCursor: string | null }>(POLICIES, {
        query: { ...(normalized as Query), cursor: pageParam, limit },
        signal,
      });
      return { items: page.items, nextCursor: page.nextCursor ?? null };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function usePolicyQuery(id: string) {
  return useQuery({ queryKey: policyKeys.detail(id), queryFn: ({ signal }) => api<PolicyDetail>(policyPath(id), { signal }) });
}

/** What the editor offers for a target server: its issuer, its MCP endpoints, its known scopes. */
export function usePolicyTargetsQuery(server: string) {
  return useQuery({
    queryKey: policyKeys.targets(server),
    enabled: !!server,
    staleTime: 30_000,
    retry: false,
    queryFn: ({ signal }) => api<PolicyTargets>(`${POLICIES}/targets`, { query: { server }, signal }),
  });
}

/** Groups any policy names: suggestions for the editor and the simulator. */
export function usePolicyGroupsQuery() {
  return useQuery({ queryKey: policyKeys.groups, staleTime: 60_000, queryFn: ({ signal }) => api<{ groups: string[] }>(`${POLICIES}/groups`, { signal }) });
}

/**
 * One simulated decision. A POST that changes nothing, so it is read like a query: cached by
 * its input, kept on screen while the next input is evaluated.
 */
export function useSimulateQuery(input: SimulateInput | null) {
  return useQuery({
    queryKey: ["policy-simulate", input],
    enabled: input !== null,
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api<SimulateResult>(`${POLICIES}/simulate`, { method: "POST", body: input, signal }),
  });
}

export function usePolicyMatrixQuery(server: string, versionId?: string) {
  return useQuery({
    queryKey: policyKeys.matrix(server, versionId),
    enabled: !!server,
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api<PolicyMatrix>(`${POLICIES}/matrix`, { query: { server, versionId }, signal }),
  });
}

/** A review of one of a policy's versions (shares the review page's cache entry). */
export function usePolicyReviewQuery(reviewId: string | undefined) {
  return useQuery({
    queryKey: ["review", reviewId],
    enabled: !!reviewId,
    queryFn: ({ signal }) => api<{ id: string; state: string; detail: PolicyReviewDetail | null }>(`/api/v1/reviews/${encodeURIComponent(reviewId!)}`, { signal }),
  });
}

export function useCreatePolicyMutation() {
  return useApiMutation((input: PolicyInput) => api<SubmittedPolicy>(POLICIES, { method: "POST", body: input }), KEYS);
}

export function useAddPolicyVersionMutation(id: string) {
  return useApiMutation((input: PolicyInput) => api<SubmittedPolicy>(`${policyPath(id)}/versions`, { method: "POST", body: input }), KEYS);
}

export function useSetPolicyEnabledMutation(id: string) {
  return useApiMutation((enabled: boolean) => api<PolicyDetail>(`${policyPath(id)}/${enabled ? "enable" : "disable"}`, { method: "POST" }), KEYS);
}
