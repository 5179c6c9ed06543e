import { MAX_CIMD_BYTES, validateCimd } from "@/lib/cimd/validate";
import type { AgentKind, CimdDocument } from "@/lib/client/agents";
import { parseJsonText, type JsonSyntaxError } from "@/components/registry/submit/parse-json";
import { isObject } from "./cimd-fields";

// The editor's live check: the text parsed, then the same validator the API runs.

export { MAX_CIMD_BYTES };

export type CimdValidation = ReturnType<typeof validateCimd>;

export interface CheckOptions {
  clientId: string;
  kind: AgentKind;
  insecureBase: boolean;
  /** The published document, for the rules that compare with it. */
  previous?: CimdDocument | null;
}

export type CimdCheck =
  | { kind: "empty" }
  | { kind: "syntax"; error: JsonSyntaxError }
  | { kind: "not-object" }
  | { kind: "checked"; document: CimdDocument; result: CimdValidation };

export function checkCimd(text: string, options: CheckOptions): CimdCheck {
  const parsed = parseJsonText(text);
  if (parsed.kind === "empty") return { kind: "empty" };
  if (parsed.kind === "syntax") return { kind: "syntax", error: parsed.error };
  if (!isObject(parsed.value)) return { kind: "not-object" };
  const result = validateCimd(parsed.value, {
    clientId: options.clientId,
    fillClientId: true,
    kind: options.kind,
    insecureBase: options.insecureBase,
    previous: options.previous ?? null,
  });
  return { kind: "checked", document: parsed.value, result };
}
