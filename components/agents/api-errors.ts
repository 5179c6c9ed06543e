import { ApiClientError, errorMessage } from "@/lib/client/api";
import type { CimdIssue } from "@/lib/client/agents";

/**
 * A refusal of the Agents API split by where it goes: the document's rules to the editor's
 * checks ("body.document/redirect_uris/0"), the agent's own fields next to those fields
 * ("slug", "body.name"), anything else as one message.
 */
export function splitRefusal(err: unknown): { fields: Record<string, string>; document: CimdIssue[] | null; message: string | null } {
  const fields: Record<string, string> = {};
  const document: CimdIssue[] = [];
  if (err instanceof ApiClientError && Array.isArray(err.details)) {
    for (const d of err.details as unknown[]) {
      if (!d || typeof d !== "object") continue;
      const { field, message, rule } = d as { field?: unknown; message?: unknown; rule?: unknown };
      if (typeof field !== "string") continue;
      const name = field.replace(/^body\./, "");
      const text = String(message ?? "is not valid");
      if (name === "document" || name.startsWith("document/") || name.startsWith("document.")) {
        document.push({ field: name.replace(/^document\.?/, "").replace(/^(?=[^/])/, "/"), message: text, rule: typeof rule === "string" ? rule : "" });
      } else {
        fields[name.split(/[./]/)[0]] ??= text;
      }
    }
  }
  const handled = document.length > 0 || Object.keys(fields).length > 0;
  return { fields, document: document.length ? document : null, message: handled ? null : errorMessage(err) };
}
