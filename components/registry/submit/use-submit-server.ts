import { api } from "@/lib/client/api";
import { useApiMutation } from "@/lib/client/list-query";
import type { Issue } from "@/lib/registry/server-json";

/** 201 from POST /api/v1/servers. */
export interface SubmitServerResponse {
  server: { id: string; name: string; created: boolean };
  version: { id: string; version: string; state: "pending" | "approved" };
  review: { id: string } | null;
  warnings: Issue[];
}

/** Submits a server.json as a new version for review (servers.submit). */
export function useSubmitServerMutation() {
  return useApiMutation(
    (document: unknown) => api<SubmitServerResponse>("/api/v1/servers", { method: "POST", body: { document } }),
    // the catalog, the server pages and the review queue (audit log and counts come with it)
    [["servers"], ["server"], ["reviews"]],
  );
}

/** A 422's details as validator issues: "body.document/packages/0/version" -> "/packages/0/version". */
export function issuesOfDetails(details: unknown): Issue[] {
  if (!Array.isArray(details)) return [];
  const out: Issue[] = [];
  for (const d of details as unknown[]) {
    if (!d || typeof d !== "object") continue;
    const { field, message } = d as { field?: unknown; message?: unknown };
    if (typeof field !== "string") continue;
    out.push({ pointer: field.replace(/^body\.document/, "").replace(/^body(?=\/|$)/, ""), message: String(message ?? "is not valid") });
  }
  return out;
}
