import { validateServerJson, type ServerJson, type ServerJsonResult } from "@/lib/registry/server-json";
import { parseJsonText, type JsonSyntaxError } from "./parse-json";

/** What is being submitted: the editor's text (paste and upload) or the form's document. */
export type DocumentSource = { mode: "paste" | "upload"; text: string } | { mode: "form"; built: ServerJson };

export type DocumentCheck =
  | { kind: "empty" }
  | { kind: "syntax"; error: JsonSyntaxError }
  | { kind: "checked"; document: unknown; result: ServerJsonResult };

/** Parses (when it is text) and validates with the registry's own server.json rules. */
export function checkDocument(source: DocumentSource): DocumentCheck {
  if (source.mode === "form") return { kind: "checked", document: source.built, result: validateServerJson(source.built) };
  const parsed = parseJsonText(source.text);
  if (parsed.kind === "empty") return parsed;
  if (parsed.kind === "syntax") return { kind: "syntax", error: parsed.error };
  return { kind: "checked", document: parsed.value, result: validateServerJson(parsed.value) };
}
