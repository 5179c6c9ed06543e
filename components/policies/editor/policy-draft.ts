import { parseJsonText, type JsonSyntaxError } from "@/components/registry/submit/parse-json";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, policyInputSchema, type PolicyInput } from "@/lib/xaa/schema";
import type { PolicyDocument } from "@/lib/client/policies";

// The editor's one source of truth is the policy's JSON text (what the Advanced view shows);
// the form reads its fields from the parsed object and writes each change back into it, so the
// two views never disagree and members the form does not know survive (the schema then names
// them). Checks run the API's own schema, `policyInputSchema` (lib/xaa/schema.ts).

export type Draft = Record<string, unknown>;

export type DraftCheck =
  | { kind: "empty" }
  | { kind: "syntax"; error: JsonSyntaxError }
  | { kind: "not-object" }
  | { kind: "checked"; draft: Draft; input: PolicyInput | null; errors: Record<string, string> };

/** What a new policy starts from: every member present, so the JSON view shows the whole shape. */
export function starterDraft(): Draft {
  return {
    name: "",
    description: "",
    effect: "allow",
    agents: [],
    subjects: { include: { groups: [], users: [] }, exclude: { groups: [], users: [] } },
    target: { server: "", audience: "" },
    scopes: [],
    conditions: {
      validFrom: null,
      validUntil: null,
      environments: [],
      maxTokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
      stepUp: { scopes: [], acr: null, maxAgeSeconds: null },
    },
  };
}

/** A stored version's document as the editor's starting point (the same shape as the input). */
export function draftOf(doc: PolicyDocument): Draft {
  return JSON.parse(JSON.stringify({ ...doc, description: doc.description ?? "" })) as Draft;
}

export const draftText = (d: Draft): string => `${JSON.stringify(d, null, 2)}\n`;

/** A zod issue path as the API names fields: "target.audience", "agents.0". */
export const fieldKey = (path: readonly PropertyKey[]): string => path.map(String).join(".");

/** What the API is sent: an empty description left out (it is optional). */
function forSchema(d: Draft): unknown {
  if (typeof d.description !== "string" || d.description.trim() !== "") return d;
  const rest = { ...d };
  delete rest.description;
  return rest;
}

export function checkDraft(text: string): DraftCheck {
  const parsed = parseJsonText(text);
  if (parsed.kind === "empty") return { kind: "empty" };
  if (parsed.kind === "syntax") return { kind: "syntax", error: parsed.error };
  const value = parsed.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return { kind: "not-object" };
  const draft = value as Draft;
  const result = policyInputSchema.safeParse(forSchema(draft));
  if (result.success) return { kind: "checked", draft, input: result.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    // Unknown members: zod reports them on the parent with their names in `keys`.
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => fieldKey([...issue.path, k])) : [fieldKey(issue.path)];
    for (const k of keys) errors[k] ??= issue.code === "unrecognized_keys" ? "is not a member of a policy" : issue.message;
  }
  return { kind: "checked", draft, input: null, errors };
}

// Typed reads of a loose draft: what the form shows for members that are missing or mistyped.

export function at(d: unknown, path: string): unknown {
  let v: unknown = d;
  for (const k of path.split(".")) {
    if (!v || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export const str = (d: Draft, path: string): string => {
  const v = at(d, path);
  return typeof v === "string" ? v : "";
};

export const list = (d: Draft, path: string): string[] => {
  const v = at(d, path);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
};

export const num = (d: Draft, path: string): number | null => {
  const v = at(d, path);
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};

/** The draft with `path` set to `value` (objects on the way made when missing); undefined removes it. */
export function withPath(d: Draft, path: string, value: unknown): Draft {
  const [head, ...rest] = path.split(".");
  const next: Draft = { ...d };
  if (rest.length === 0) {
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  const child = d[head];
  next[head] = withPath(child && typeof child === "object" && !Array.isArray(child) ? (child as Draft) : {}, rest.join("."), value);
  return next;
}

/** The first message for `key` or anything under it ("agents" finds "agents.2"). */
export function errorUnder(errors: Record<string, string>, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const k = Object.keys(errors).find((e) => e.startsWith(`${key}.`));
  return k ? errors[k] : undefined;
}

/** A field's name for people, in the list of problems. */
export const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  effect: "Effect",
  agents: "Agents",
  "subjects.include": "Subjects (acting for)",
  "subjects.include.groups": "Groups",
  "subjects.include.users": "Users",
  "subjects.exclude.groups": "Excluded groups",
  "subjects.exclude.users": "Excluded users",
  "target.server": "Target server",
  "target.audience": "Audience",
  "target.resource": "Resource",
  scopes: "Scopes",
  "conditions.validFrom": "Valid from",
  "conditions.validUntil": "Valid until",
  "conditions.environments": "Environments",
  "conditions.maxTokenLifetimeSeconds": "Max token lifetime",
  "conditions.stepUp": "Step-up",
  "conditions.stepUp.scopes": "Step-up scopes",
  "conditions.stepUp.acr": "Step-up acr",
  "conditions.stepUp.maxAgeSeconds": "Step-up max age",
};

/**
 * A field's message as a sentence: "Name is required" for the schema's predicate phrases
 * ("is …", "must …"), the message itself when it already names the field or speaks for itself.
 */
export function fieldSentence(label: string, message: string): string {
  if (/^(is|are|must|may|should|has|have)\b/.test(message)) return `${label} ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function labelOf(key: string): string {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const m = /^(.*)\.(\d+)$/.exec(key);
  if (m && FIELD_LABELS[m[1]]) return `${FIELD_LABELS[m[1]]} #${Number(m[2]) + 1}`;
  return key;
}

// datetime-local inputs speak local wall time without a zone; the policy keeps RFC 3339 instants.

export function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
