import { createHash } from "node:crypto";
import type { Capture, JsonObject } from "@/lib/registry/tools-capture";

// Tool-poisoning checks over a snapshot: every human-readable string a server hands to a model
// (instructions, names, titles, descriptions, schema descriptions, defaults and enums) is matched
// against a rule set of our own. No npm library covers these rules offline; each rule is tested
// with text that fires and similar benign text that does not (tools-findings.test.ts).

export type Severity = "high" | "medium" | "low";
export type FindingRule = "model_instructions" | "hidden_text" | "encoded_payload" | "credential_reference" | "exfiltration" | "tool_shadowing" | "oversized_description";
export type ItemKind = "server" | "tool" | "prompt" | "resource" | "resourceTemplate";

export interface Finding {
  /** Stable across snapshots: the same text in the same place gives the same key. */
  key: string;
  rule: FindingRule;
  severity: Severity;
  kind: ItemKind;
  item: string | null;
  field: string;
  text: string;
  message: string;
}

export interface ScanContext {
  serverHost: string | null;
  otherToolNames: string[];
}

export const FINDING_RULES: Record<FindingRule, { severity: Severity; title: string; description: string }> = {
  model_instructions: { severity: "high", title: "Instructions to the model", description: "Text addressed to the model rather than describing the tool" },
  hidden_text: { severity: "high", title: "Hidden text", description: "Invisible or control characters, or HTML comments, that a person reading the description does not see" },
  encoded_payload: { severity: "medium", title: "Encoded payload", description: "A long base64 or hex run that may hide instructions" },
  credential_reference: { severity: "high", title: "Credentials or local files", description: "A reference to keys, tokens or local configuration files" },
  exfiltration: { severity: "high", title: "Exfiltration hint", description: "A URL outside the server's own domain, or an instruction to send data somewhere" },
  tool_shadowing: { severity: "high", title: "Tool shadowing", description: "A description that names or redefines another server's tools" },
  oversized_description: { severity: "low", title: "Oversized description", description: "A description far longer than its peers'" },
};

const MAX_STRING = 100_000;
const MAX_FINDINGS = 5_000;
const MAX_DEPTH = 32;

interface Text {
  kind: ItemKind;
  item: string | null;
  field: string;
  value: string;
}

/** Every string worth scanning, with where it sits. */
function texts(c: Capture): Text[] {
  const out: Text[] = [];
  const add = (kind: ItemKind, item: string | null, field: string, v: unknown) => {
    if (typeof v === "string" && v) out.push({ kind, item, field, value: v.slice(0, MAX_STRING) });
  };
  const schema = (kind: ItemKind, item: string, path: string, node: unknown, depth: number) => {
    if (depth > MAX_DEPTH || !node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach((n, i) => schema(kind, item, `${path}.${i}`, n, depth + 1));
    for (const [k, v] of Object.entries(node as JsonObject)) {
      if ((k === "description" || k === "title" || k === "default") && typeof v === "string") add(kind, item, `${path}.${k}`, v);
      else if (k === "enum" && Array.isArray(v)) v.forEach((e, i) => add(kind, item, `${path}.enum.${i}`, e));
      else if (k !== "const" && k !== "$schema" && k !== "$id" && k !== "pattern") schema(kind, item, `${path}.${k}`, v, depth + 1);
    }
  };
  add("server", null, "instructions", c.instructions);
  for (const t of c.tools) {
    const name = String(t.name ?? "");
    add("tool", name, "name", t.name);
    add("tool", name, "title", t.title);
    add("tool", name, "description", t.description);
    add("tool", name, "annotations.title", (t.annotations as JsonObject | undefined)?.title);
    schema("tool", name, "inputSchema", t.inputSchema, 0);
    schema("tool", name, "outputSchema", t.outputSchema, 0);
  }
  for (const p of c.prompts) {
    const name = String(p.name ?? "");
    add("prompt", name, "title", p.title);
    add("prompt", name, "description", p.description);
    if (Array.isArray(p.arguments)) p.arguments.forEach((a, i) => add("prompt", name, `arguments.${i}.description`, (a as JsonObject)?.description));
  }
  for (const r of c.resources) {
    const name = String(r.uri ?? r.name ?? "");
    for (const f of ["name", "title", "description"]) add("resource", name, f, r[f]);
  }
  for (const r of c.resourceTemplates) {
    const name = String(r.name ?? r.uriTemplate ?? "");
    for (const f of ["title", "description"]) add("resourceTemplate", name, f, r[f]);
  }
  return out;
}

/** The match with some context either side, bounded. */
function excerpt(s: string, index: number, length: number): string {
  const from = Math.max(0, index - 60);
  const to = Math.min(s.length, index + length + 60);
  const text = `${from > 0 ? "…" : ""}${s.slice(from, to)}${to < s.length ? "…" : ""}`;
  return text.length > 500 ? text.slice(0, 499) + "…" : text;
}

type Hit = { rule: FindingRule; severity?: Severity; index: number; length: number; message: string; exact?: boolean };

const MODEL_PATTERNS: [RegExp, string][] = [
  [/\b(ignore|disregard|forget|override)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding|other)\s+(instructions|prompts?|rules|directions)/i, "tells the model to ignore its other instructions"],
  [/\b(do\s+not|don'?t|never)\s+(tell|inform|mention\s+(this\s+)?to|reveal\s+(this\s+)?to|notify|alert|show)\s+(it\s+to\s+)?the\s+user/i, "tells the model to keep something from the user"],
  [/\bdon'?t\s+let\s+the\s+user\s+know|\bwithout\s+(the\s+user\s+)?(knowing|noticing|telling\s+the\s+user)/i, "tells the model to act without the user knowing"],
  [/\bbefore\s+(using|calling|invoking|running)\s+this\s+tool,?\s+(you\s+)?(must|should|need\s+to|have\s+to|first)?\s*(read|call|fetch|open|load|retrieve|get|send|run|invoke)\b/i, "tells the model to do something else before using the tool"],
  [/<\s*\/?\s*(important|system|instructions?|secret|hidden)\s*>/i, "contains a pseudo-tag addressed to the model"],
  [/\byou\s+are\s+now\b|\bas\s+an?\s+(ai|assistant|language\s+model),?\s+you\s+(must|should|will)\b/i, "tries to change the model's role"],
  [/\b(always|must)\s+(call|use|invoke)\s+this\s+tool\s+(first|before)|\bthis\s+tool\s+must\s+be\s+(called|used|invoked)\s+before\s+(any|all|every)\b/i, "demands to be called before other tools"],
];

const CODE_NAMES: Record<number, string> = {
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
  0x1b: "ESCAPE",
};

const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}${CODE_NAMES[cp] ? ` ${CODE_NAMES[cp]}` : cp >= 0xe0000 && cp <= 0xe007f ? " TAG CHARACTER" : ""}`;

// Zero-width, bidi, tag and other format characters; C0/C1 controls but tab and line breaks.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u061C\u180E\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\uDB40[\uDC00-\uDC7F]/g;
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;

function hidden(s: string): Hit[] {
  const hits: Hit[] = [];
  const found = new Set<number>();
  let first = -1;
  for (const m of s.matchAll(INVISIBLE)) {
    const cp = m[0].codePointAt(0)!;
    // A zero width joiner between two pictographs builds one emoji (👩‍💻): not hidden text.
    if (cp === 0x200d) {
      const before = [...s.slice(Math.max(0, m.index! - 2), m.index!)].pop() ?? "";
      const after = [...s.slice(m.index! + 1, m.index! + 3)][0] ?? "";
      if (PICTOGRAPH.test(before) && PICTOGRAPH.test(after)) continue;
    }
    found.add(cp);
    if (first < 0) first = m.index!;
  }
  if (found.size) hits.push({ rule: "hidden_text", index: 0, length: s.length, exact: true, message: `contains invisible characters: ${[...found].map(codePoint).join(", ")}` });
  const comment = /<!--[\s\S]*?(-->|$)/.exec(s);
  if (comment) hits.push({ rule: "hidden_text", index: comment.index, length: comment[0].length, message: "contains an HTML comment, which a rendered description hides" });
  return hits;
}

function encoded(s: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of s.matchAll(/[A-Za-z0-9+/_-]{80,}={0,2}/g)) {
    const run = m[0];
    if (/^[0-9a-f]+$/i.test(run)) continue; // hex: below
    if (/[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run) && !/^[a-z]+$/i.test(run)) {
      hits.push({ rule: "encoded_payload", index: m.index!, length: run.length, message: `contains a base64-like run of ${run.length} characters` });
    }
  }
  for (const m of s.matchAll(/\b[0-9a-fA-F]{64,}\b/g)) {
    const near = s.slice(Math.max(0, m.index! - 30), m.index!).toLowerCase();
    if (m[0].length < 96 && /(sha-?256|sha-?512|hash|digest|checksum|fingerprint)/.test(near)) continue;
    hits.push({ rule: "encoded_payload", index: m.index!, length: m[0].length, message: `contains a hex run of ${m[0].length} characters` });
  }
  return hits;
}

const FILES = /(~\/\.ssh\b|\bid_(rsa|dsa|ecdsa|ed25519)\b|(^|[\s"'`(/])\.env(\.[a-z]+)?\b(?!\w)|\bmcp\.json\b|\bclaude_desktop_config\.json\b|~\/\.aws\/credentials|\.aws\/credentials\b|(^|[\s"'`(/~])\.npmrc\b|(^|[\s"'`(/~])\.netrc\b|\.git-credentials\b|\/etc\/(passwd|shadow)\b|~\/\.kube\/config\b|~\/\.docker\/config\.json\b|\bprivate\s+keys?\b)/gi;
const SECRET_WORD = /\b(api[\s_-]?keys?|access[\s_-]?tokens?|bearer\s+tokens?|secrets?|passwords?|credentials?|session\s+cookies?)\b/gi;
const PASS_VERB = /\b(include|send|pass|read|paste|share|provide|append|attach|copy|forward|upload|leak|extract|dump|print|output)\b/i;

function credentials(s: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of s.matchAll(FILES)) {
    const at = m.index! + (m[0].length - m[0].trimStart().length);
    hits.push({ rule: "credential_reference", index: at, length: m[0].trim().length, message: `refers to a credential or local file (${m[0].trim()})` });
  }
  for (const m of s.matchAll(SECRET_WORD)) {
    const around = s.slice(Math.max(0, m.index! - 40), m.index! + m[0].length + 40);
    if (PASS_VERB.test(around)) hits.push({ rule: "credential_reference", index: m.index!, length: m[0].length, message: `asks for ${m[0].toLowerCase()} to be read or passed on` });
  }
  return hits;
}

const registrable = (host: string) => host.split(".").slice(-2).join(".");

function foreign(host: string, own: string | null): boolean {
  if (!own) return true;
  const h = host.toLowerCase().replace(/\.$/, "");
  const o = own.toLowerCase();
  return !(h === o || h.endsWith(`.${o}`) || registrable(h) === registrable(o));
}

const SEND = /\b(send|post|upload|forward|exfiltrate|transmit|report|submit|leak)\b[^.\n]{0,80}?\b(to|at|via)\b|\bexfiltrat|\bwebhook\b/i;

function exfiltration(s: string, own: string | null): Hit[] {
  const hits: Hit[] = [];
  const sending = SEND.test(s);
  for (const m of s.matchAll(/\bhttps?:\/\/([^\s/"'<>)\]]+)[^\s"'<>)\]]*/gi)) {
    const host = m[1].replace(/:\d+$/, "").replace(/^.*@/, "");
    if (!foreign(host, own)) continue;
    hits.push({
      rule: "exfiltration",
      severity: sending ? "high" : "medium",
      index: m.index!,
      length: m[0].length,
      message: sending ? `asks for data to be sent to ${host}, outside the server's own domain` : `links to ${host}, outside the server's own domain`,
    });
  }
  if (sending) {
    for (const m of s.matchAll(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g)) {
      const host = m[0].split("@")[1];
      if (foreign(host, own)) hits.push({ rule: "exfiltration", index: m.index!, length: m[0].length, message: `asks for data to be sent to the address ${m[0]}` });
    }
  }
  return hits;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Names distinctive enough that mentioning them means the tool, not the word. */
const distinctive = (n: string) => n.length >= 4 && (/[_-]/.test(n) || /[a-z][A-Z]/.test(n));

function shadowing(s: string, own: Set<string>, others: string[]): Hit[] {
  const hits: Hit[] = [];
  for (const name of others) {
    if (own.has(name) || !distinctive(name)) continue;
    const m = new RegExp(`(^|[^\\w-])(${escapeRe(name)})(?![\\w-])`).exec(s);
    if (m) hits.push({ rule: "tool_shadowing", index: m.index + m[1].length, length: name.length, message: `mentions ${name}, a tool another server offers` });
  }
  const phrase =
    /\binstead\s+of\s+(using\s+)?(the\s+)?[`'"]?[\w.-]+[`'"]?\s+tool\b|\b(overrides?|replaces?|redefines?|supersedes?|shadows?)\s+(the\s+|any\s+|all\s+)?([`'"]?[\w.-]+[`'"]?\s+)?tools?\b|\bthis\s+tool\s+(replaces|overrides)\b|\bwhen\s+(the\s+user|you)\s+calls?\s+[`'"]?[\w.-]+[`'"]?,?\s+(also|first|instead)\b/i.exec(s);
  if (phrase) hits.push({ rule: "tool_shadowing", index: phrase.index, length: phrase[0].length, message: "says it replaces or changes how other tools behave" });
  return hits;
}

function oversized(c: Capture): Finding[] {
  const lengths = c.tools.map((t) => (typeof t.description === "string" ? t.description.length : 0));
  const sorted = [...lengths].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  const out: Finding[] = [];
  c.tools.forEach((t, i) => {
    const len = lengths[i];
    const enough = c.tools.length >= 3 ? len > 1000 && len > 4 * Math.max(median, 1) : len > 4000;
    if (!enough) return;
    const severity: Severity = c.tools.length >= 3 && len > 2000 && len > 10 * Math.max(median, 1) ? "medium" : "low";
    const text = String(t.description).slice(0, 200) + "…";
    const message = c.tools.length >= 3 ? `the description is ${len} characters long; the median of this server's tools is ${median}` : `the description is ${len} characters long`;
    out.push(finding("oversized_description", severity, "tool", String(t.name ?? ""), "description", text, message));
  });
  return out;
}

function finding(rule: FindingRule, severity: Severity, kind: ItemKind, item: string | null, field: string, text: string, message: string): Finding {
  const key = createHash("sha256").update(`${rule}|${kind}|${item ?? ""}|${field}|${text}`).digest("hex").slice(0, 16);
  return { key, rule, severity, kind, item, field, text, message };
}

const KIND_ORDER: ItemKind[] = ["server", "tool", "prompt", "resource", "resourceTemplate"];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function scanCapture(capture: Capture, ctx: ScanContext): Finding[] {
  const own = new Set(capture.tools.map((t) => String(t.name ?? "")));
  const others = [...new Set(ctx.otherToolNames)];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const t of texts(capture)) {
    const s = t.value;
    const hits: Hit[] = [...hidden(s)];
    if (t.field !== "name") {
      for (const [re, message] of MODEL_PATTERNS) {
        const m = re.exec(s);
        if (m) hits.push({ rule: "model_instructions", index: m.index, length: m[0].length, message });
      }
      hits.push(...encoded(s), ...credentials(s), ...exfiltration(s, ctx.serverHost), ...shadowing(s, own, others));
    }
    for (const h of hits) {
      const text = h.exact ? (s.length > 500 ? s.slice(0, 500) : s) : excerpt(s, h.index, h.length);
      const f = finding(h.rule, h.severity ?? FINDING_RULES[h.rule].severity, t.kind, t.item, t.field, text, h.message);
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      out.push(f);
    }
    if (out.length >= MAX_FINDINGS) break;
  }
  out.push(...oversized(capture));
  out.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.item ?? "", b.item ?? "") || cmp(a.field, b.field) || cmp(a.rule, b.rule) || cmp(a.text, b.text));
  return out.slice(0, MAX_FINDINGS);
}

export function summarizeFindings(findings: Finding[]): { total: number; high: number; medium: number; low: number } {
  const s = { total: findings.length, high: 0, medium: 0, low: 0 };
  for (const f of findings) s[f.severity]++;
  return s;
}

/** Makes invisible and control characters visible: each becomes «U+XXXX». */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `«U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}»`);
}
