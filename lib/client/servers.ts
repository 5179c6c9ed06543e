import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { createListQuery, useApiMutation } from "@/lib/client/list-query";
import type { getServer, listServers } from "@/lib/registry/catalog";
import type { getReview, listReviews, decideReviews } from "@/lib/reviews/data";

// The catalog in the console: servers (list, page, metadata, owners, status) and their reviews.

export type ServerListItem = Awaited<ReturnType<typeof listServers>>["items"][number];
export type ServerDetail = Awaited<ReturnType<typeof getServer>>;
export type ServerVersionDetail = ServerDetail["versions"][number];
export type ReviewListItem = Awaited<ReturnType<typeof listReviews>>["items"][number];
export type ReviewDetail = Awaited<ReturnType<typeof getReview>>;
export type BatchResult = Awaited<ReturnType<typeof decideReviews>>;

export interface ServerFilters {
  q?: string;
  status?: string;
  transport?: string;
  registryType?: string;
  risk?: string;
  owner?: string;
  tag?: string;
  sort?: string;
  [key: string]: string | undefined;
}

export const useServersQuery = createListQuery<ServerListItem, ServerFilters>("servers", "/api/v1/servers");

export interface ReviewFilters {
  state?: string;
  type?: string;
  batch?: string;
  [key: string]: string | undefined;
}

export const useReviewsQuery = createListQuery<ReviewListItem, ReviewFilters>("reviews", "/api/v1/reviews", { pageSize: 50 });

const serverPath = (id: string) => `/api/v1/servers/${encodeURIComponent(id)}`;
const reviewPath = (id: string) => `/api/v1/reviews/${encodeURIComponent(id)}`;
const KEYS = [["servers"], ["reviews"], ["server"], ["review"]];

export function useServerQuery(id: string) {
  return useQuery({ queryKey: ["server", id], queryFn: ({ signal }) => api<ServerDetail>(serverPath(id), { signal }) });
}

export function useReviewQuery(id: string) {
  return useQuery({ queryKey: ["review", id], queryFn: ({ signal }) => api<ReviewDetail>(reviewPath(id), { signal }) });
}

export function useUpdateServerMutation(id: string) {
  return useApiMutation((patch: { ownerTeam?: string | null; tags?: string[]; riskLevel?: string | null; reviewerNotes?: string | null; authIssuer?: string | null }) => api<ServerDetail>(serverPath(id), { method: "PATCH", body: patch }), KEYS);
}

export function useVersionStatusMutation(serverId: string) {
  return useApiMutation(
    ({ versionId, status, statusMessage }: { versionId: string; status: "active" | "deprecated" | "deleted"; statusMessage?: string }) =>
      api<ServerDetail>(`${serverPath(serverId)}/versions/${encodeURIComponent(versionId)}/status`, { method: "PUT", body: { status, statusMessage } }),
    KEYS,
  );
}

export function useAddOwnerMutation(serverId: string) {
  return useApiMutation((email: string) => api<unknown>(`${serverPath(serverId)}/owners`, { method: "POST", body: { email } }), KEYS);
}

export function useRemoveOwnerMutation(serverId: string) {
  return useApiMutation((userId: string) => api<unknown>(`${serverPath(serverId)}/owners/${encodeURIComponent(userId)}`, { method: "DELETE" }), KEYS);
}

export function useDecideMutation() {
  return useApiMutation(
    ({ id, decision, comment }: { id: string; decision: "approve" | "reject"; comment?: string }) => api<ReviewListItem>(`${reviewPath(id)}/decision`, { method: "POST", body: { decision, comment } }),
    KEYS,
  );
}

export function useBatchDecideMutation() {
  return useApiMutation(
    (input: { ids: string[]; decision: "approve" | "reject"; comment?: string }) => api<BatchResult>("/api/v1/reviews/decisions", { method: "POST", body: input }),
    KEYS,
  );
}

export function useWithdrawMutation() {
  return useApiMutation((id: string) => api<ReviewListItem>(`${reviewPath(id)}/withdraw`, { method: "POST" }), KEYS);
}
