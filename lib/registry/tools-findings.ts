import { createHash } from "node:crypto";
import type { Capture, JsonObject } from "@/lib/registry/tools-capture";
import { codePoint, invisibleAt } from "@/lib/registry/tools-reveal";

export { revealInvisible } from "@/lib/registry/tools-reveal";

// Static tool-poisoning checks over a captured snapshot: text a server shows the model (tool and
// schema descriptions, prompts, instructions) that tries to steer it rather than describe it. Pure
// and bounded, so it runs on every capture. A finding asks a reviewer to look; it is not a verdict,
// and its key lets an acknowledgement (FindingAck) hold for later snapshots while the text stays.

export type Severity = "high" | "medium" | "low";
export type FindingRule =
  | "model_instructions"
  | "hidden_text"
  | "encoded_payload"
  | "credential_reference"
  | "exfiltration"
  | "tool_shadowing"
  | "oversized_description";
export type ItemKind = "server" | "tool" | "prompt" | "resource" | "resourceTemplate";

export interface Finding {
  /** Stable id: first 16 hex of sha256 of `${rule}|${kind}|${item}|${field}|${text}` (the same finding in a later snapshot has the same key). */
  key: string;
  rule: FindingRule;
  severity: Severity;
  kind: ItemKind;
  /** The item's name (tool/prompt/resource name, template name); null for kind "server". */
  item: string | null;
  /** Where in the item, as a dotted path: "description", "inputSchema.properties.query.description", "arguments.0.description", "instructions". */
  field: string;
  /** The offending text: the match within its sentence (or ~200 chars around it), never over 500 chars; for hidden_text the text holding the invisible characters, unchanged. */
  text: string;
  /** What was found, naming invisible characters by code point. */
  message: string;
}

export interface ScanContext {
  /** Host of the server's own remote URL; URLs on it, its subdomains or its registrable parent are not exfiltration. */
  serverHost: string | null;
  /** Tool names offered by other servers in the catalog (for shadowing). */
  otherToolNames: string[];
}

export const FINDING_RULES: Record<FindingRule, { severity: Severity; title: string; description: string }> = {
  model_instructions: { severity: "high", title: "Instructions to the model", description: "Text addressed to the AI model instead of describing the tool: overriding earlier instructions, hiding actions from the user, forcing calls." },
  hidden_text: { severity: "high", title: "Hidden text", description: "Characters or markup the user does not see but the model reads: zero-width and bidi controls, Unicode tag characters, control characters, ANSI escapes, HTML comments." },
  encoded_payload: { severity: "medium", title: "Encoded payload", description: "A long base64 or hex run, which can carry instructions or data a reviewer cannot read." },
  credential_reference: { severity: "high", title: "Credential reference", description: "Mentions local credential files (SSH keys, .env, cloud and MCP client configs), or asks to read or send keys and tokens." },
  exfiltration: { severity: "high", title: "Exfiltration channel", description: "A URL outside the server's own domain: high when the text asks to send data there (or to an email address), medium for a link alone." },
  tool_shadowing: { severity: "high", title: "Tool shadowing", description: "Mentions other servers' tools, or claims to replace or override tools, steering the model away from them." },
  oversized_description: { severity: "low", title: "Oversized description", description: "A tool description far longer than its siblings', room to bury instructions (medium beyond 10× the median)." },
};

const RULE_ORDER = Object.keys(FINDING_RULES) as FindingRule[];
const KIND_ORDER: ItemKind[] = ["server", "tool", "prompt", "resource", "resourceTemplate"];
const MAX_SCAN = 100_000;
const MAX_FINDINGS = 5_000;
const MAX_DEPTH = 32;
const CONTEXT = 200;
const MAX_TEXT = 500;

interface Site { kind: ItemKind; item: string | null; field: string; value: string }
interface Hit { rule: FindingRule; severity: Severity; text: string; message: string }
interface Env { serverHost: string | null; ownTools: Set<string>; otherTools: Set<string> }

// ---- what is scanned -------------------------------------------------------------------------

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const nameOf = (o: JsonObject, key = "name") => (typeof o[key] === "string" ? (o[key] as string) : "");
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
// Values, not schemas: a `description` key inside an example object is data, not documentation.
const SCHEMA_DATA = new Set(["default", "const", "examples", "enum"]);

function* schemaStrings(node: unknown, path: string, depth: number, namesMap: boolean): Generator<[string, string]> {
  if (depth > MAX_DEPTH || typeof node !== "object" || node === null) return;
  const entries: [string, unknown][] = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
  for (const [k, v] of entries) {
    const p = `${path}.${k}`;
    if (namesMap || Array.isArray(node)) yield* schemaStrings(v, p, depth + 1, false);
    else if (typeof v === "string" && (k === "description" || k === "title" || k === "default")) yield [p, v];
    else if (k === "enum" && Array.isArray(v)) for (const [i, e] of v.entries()) { if (typeof e === "string") yield [`${p}.${i}`, e]; }
    else if (!SCHEMA_DATA.has(k)) yield* schemaStrings(v, p, depth + 1, SCHEMA_MAPS.has(k));
  }
}

function* sites(c: Capture): Generator<Site> {
  if (typeof c.instructions === "string") yield { kind: "server", item: null, field: "instructions", value: c.instructions };
  for (const k of ["title", "description"]) {
    const v = isObj(c.serverInfo) ? c.serverInfo[k] : undefined;
    if (typeof v === "string") yield { kind: "server", item: null, field: `serverInfo.${k}`, value: v };
  }
  const plain = function* (kind: ItemKind, item: string, o: JsonObject, keys: string[], prefix = ""): Generator<Site> {
    for (const k of keys) if (typeof o[k] === "string") yield { kind, item, field: prefix + k, value: o[k] as string };
  };
  for (const t of c.tools.filter(isObj)) {
    const item = nameOf(t);
    yield* plain("tool", item, t, ["title", "description"]);
    if (isObj(t.annotations)) yield* plain("tool", item, t.annotations, ["title"], "annotations.");
    for (const key of ["inputSchema", "outputSchema"])
      for (const [field, value] of schemaStrings(t[key], key, 0, false)) yield { kind: "tool", item, field, value };
  }
  for (const p of c.prompts.filter(isObj)) {
    const item = nameOf(p);
    yield* plain("prompt", item, p, ["title", "description"]);
    if (Array.isArray(p.arguments))
      for (const [i, a] of p.arguments.entries()) if (isObj(a)) yield* plain("prompt", item, a, ["title", "description"], `arguments.${i}.`);
  }
  for (const r of c.resources.filter(isObj)) yield* plain("resource", nameOf(r), r, ["name", "title", "description"]);
  for (const r of c.resourceTemplates.filter(isObj)) yield* plain("resourceTemplate", nameOf(r), r, ["name", "title", "description"]);
}

// ---- excerpts ----------------------------------------------------------------------------------

// Never cut a surrogate pair: half of a tag character is a different character.
const snap = (s: string, i: number) => (i > 0 && i < s.length && /[\udc00-\udfff]/.test(s[i]) ? i - 1 : i);
const endsSentence = (s: string, i: number) => s[i - 1] === "\n" || s[i] === "\n" || (/[.!?]/.test(s[i - 1] ?? "") && /\s/.test(s[i] ?? " "));

/** The match within its sentence when that is short, else ~200 chars around it: an exact substring, so it can be found in the original. */
function excerpt(s: string, start: number, end: number): string {
  end = Math.min(end, start + MAX_TEXT);
  let from = start;
  let to = end;
  while (from > 0 && start - from <= CONTEXT && !endsSentence(s, from)) from--;
  while (to < s.length && to - end <= CONTEXT && !endsSentence(s, to)) to++;
  if (to - from > CONTEXT) {
    const pad = Math.max(0, Math.floor((CONTEXT - (end - start)) / 2));
    from = Math.max(0, start - pad);
    to = Math.min(s.length, end + pad);
  }
  return s.slice(snap(s, from), snap(s, to)).trim();
}

const fmt = (n: number) => n.toLocaleString("en-US");
const quote = (s: string, n = 80) => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

// ---- model_instructions ------------------------------------------------------------------------

const NEVER = String.raw`(?:do\s+not|don['’]t|never)`;
const INSTRUCTIONS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|former|original|system)\s+(?:instructions?|prompts?|rules|directions|guidelines|messages)\b/gi,
  /\bdisregard\b[^.\n]{0,40}?\b(?:instructions?|rules|guidelines)\b/gi,
  new RegExp(String.raw`\b${NEVER}\s+(?:tell|inform|mention|reveal|disclose|notify|alert|show)\b[^.\n]{0,60}?\b(?:the\s+)?user\b`, "gi"),
  new RegExp(String.raw`\b${NEVER}\s+let\s+the\s+user\s+(?:know|see|notice|find\s+out)\b`, "gi"),
  new RegExp(String.raw`\b${NEVER}\s+ask\s+(?:the\s+user\s+)?for\s+(?:confirmation|permission|approval|consent)\b`, "gi"),
  /\bwithout\s+(?:the\s+)?(?:user|human|them|anyone)(?:['’]s)?\s+(?:knowing|knowledge|noticing|seeing|realizing|being\s+told)\b/gi,
  /\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?(?:user|human)\b/gi,
  /\bbefore\s+(?:using|calling|invoking|running|executing)\s+(?:this|the|any)\s+(?:\w+\s+)?tools?\b[\s,:;-]*(?:(?:you|the\s+(?:model|assistant|agent))\s+)?(?:(?:must|should|need\s+to|have\s+to|are\s+required\s+to|always)\s+)?(?:first\s+)?(?:read|call|fetch|open|load|run|execute|send|pass|include|get|retrieve|cat|access)\b/gi,
  /<\s*\/?\s*(?:important|system|instructions?|secret|hidden|admin|sys)\s*>/gi,
  /<\|(?:im_start|im_end|system|endoftext)\|>|\[\/?INST\]/gi,
  /\byou\s+are\s+now\b/gi,
  /\bas\s+an?\s+(?:ai|assistant|language\s+model|llm|agent|ai\s+assistant)\b[^.\n]{0,40}?\b(?:must|should|need\s+to|have\s+to|are\s+required)\b/gi,
  /\balways\s+(?:call|use|invoke|run)\s+this\s+tool\s+(?:first|before)\b/gi,
  /\bthis\s+tool\s+(?:must|should|has\s+to)\s+(?:always\s+)?be\s+(?:called|used|invoked|run)\s+(?:first|before\s+(?:any|all|every)\s+other)\b/gi,
];

function* modelInstructions(s: string): Generator<Hit> {
  for (const re of INSTRUCTIONS)
    for (const m of s.matchAll(re))
      yield { rule: "model_instructions", severity: "high", text: excerpt(s, m.index, m.index + m[0].length), message: `Addresses the model rather than describing the tool: ${quote(m[0])}.` };
}

// ---- hidden_text -------------------------------------------------------------------------------

const CHAR_NAMES: Record<number, string> = {
  0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0b: "LINE TABULATION", 0x0c: "FORM FEED", 0x1b: "ESCAPE", 0x7f: "DELETE",
  0xad: "SOFT HYPHEN", 0x34f: "COMBINING GRAPHEME JOINER", 0x61c: "ARABIC LETTER MARK", 0x115f: "HANGUL CHOSEONG FILLER",
  0x1160: "HANGUL JUNGSEONG FILLER", 0x180e: "MONGOLIAN VOWEL SEPARATOR", 0x200b: "ZERO WIDTH SPACE", 0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER", 0x200e: "LEFT-TO-RIGHT MARK", 0x200f: "RIGHT-TO-LEFT MARK", 0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING", 0x202c: "POP DIRECTIONAL FORMATTING", 0x202d: "LEFT-TO-RIGHT OVERRIDE", 0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER", 0x2061: "FUNCTION APPLICATION", 0x2062: "INVISIBLE TIMES", 0x2063: "INVISIBLE SEPARATOR", 0x2064: "INVISIBLE PLUS",
  0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
  0x3164: "HANGUL FILLER", 0xfeff: "ZERO WIDTH NO-BREAK SPACE", 0xffa0: "HALFWIDTH HANGUL FILLER", 0xe0001: "LANGUAGE TAG", 0xe007f: "CANCEL TAG",
};
function charName(cp: number): string {
  if (CHAR_NAMES[cp]) return CHAR_NAMES[cp];
  if (cp >= 0xfe00 && cp <= 0xfe0f) return `VARIATION SELECTOR-${cp - 0xfe00 + 1}`;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ? "CONTROL CHARACTER" : "FORMAT CHARACTER";
}

function describeInvisible(s: string, found: { index: number; cp: number }[]): string {
  const counts = new Map<number, number>();
  let tags = "";
  for (const { cp } of found) {
    // Tag characters mirror ASCII: decoding them shows the smuggled text itself.
    if (cp >= 0xe0020 && cp <= 0xe007e) tags += String.fromCharCode(cp - 0xe0000);
    else counts.set(cp, (counts.get(cp) ?? 0) + 1);
  }
  const parts = [...counts].map(([cp, n]) => `${codePoint(cp)} ${charName(cp)}${n > 1 ? ` ×${n}` : ""}`);
  if (tags) parts.unshift(`${tags.length} Unicode tag characters (U+E0020–U+E007E) spelling ${quote(tags)}`);
  const shown = parts.length > 6 ? [...parts.slice(0, 6), `and ${parts.length - 6} more kinds`] : parts;
  const ansi = found.some(({ index, cp }) => cp === 0x1b && /[[\]]/.test(s[index + 1] ?? "")) ? " (ANSI terminal escape sequences)" : "";
  return `Invisible characters the user does not see but the model reads: ${shown.join(", ")}${ansi}.`;
}

const CSS_HIDDEN = /\bstyle\s*=\s*["'][^"'>]{0,200}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9]))/gi;

function* hiddenText(s: string): Generator<Hit> {
  const found = invisibleAt(s);
  if (found.length > 0) {
    const first = found[0].index;
    const last = found[found.length - 1].index + 2;
    const from = s.length <= MAX_TEXT ? 0 : snap(s, Math.max(0, Math.min(first - 100, last + 100 - MAX_TEXT)));
    const text = s.slice(from, snap(s, Math.min(s.length, from + MAX_TEXT)));
    yield { rule: "hidden_text", severity: "high", text, message: describeInvisible(s, found) };
  }
  // indexOf rather than a regex: an unclosed `<!--` repeated many times would make a lazy regex quadratic.
  for (let at = s.indexOf("<!--"); at >= 0; ) {
    const close = s.indexOf("-->", at + 4);
    const end = close < 0 ? s.length : close + 3;
    yield { rule: "hidden_text", severity: "high", text: s.slice(at, snap(s, Math.min(end, at + MAX_TEXT))), message: "An HTML comment, hidden when the text is rendered as Markdown but read by the model." };
    at = close < 0 ? -1 : s.indexOf("<!--", end);
  }
  for (const m of s.matchAll(CSS_HIDDEN))
    yield { rule: "hidden_text", severity: "high", text: excerpt(s, m.index, m.index + m[0].length), message: "Markup styled to be invisible, hidden from the user but read by the model." };
}

// ---- encoded_payload ---------------------------------------------------------------------------

const RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{64,}={0,2}/g;
const HASH_WORD = /\b(?:sha-?(?:1|224|256|384|512)|sha|hash|digest|checksum|fingerprint|sum)\b/i;

// Encoded bytes use the whole alphabet evenly (high entropy) and put capitals next to capitals or
// digits often; identifiers, paths and words do neither, which keeps camelCase names and URL
// paths out. Measured on the first 4 KB only.
function looksEncoded(run: string): boolean {
  const sample = run.slice(0, 4096);
  const counts = new Map<string, number>();
  let capsRun = 0;
  for (let i = 0; i < sample.length; i++) {
    counts.set(sample[i], (counts.get(sample[i]) ?? 0) + 1);
    if (i > 0 && /[A-Z]/.test(sample[i]) && /[A-Z\d]/.test(sample[i - 1])) capsRun++;
  }
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / sample.length) * Math.log2(n / sample.length);
  return entropy >= 4.5 && capsRun / sample.length >= 0.08;
}

function decodedPreview(run: string, hex: boolean): string {
  const bytes = hex ? Buffer.from(run.slice(0, 4096 - (run.length % 2)), "hex") : Buffer.from(run.slice(0, 4096).replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const text = bytes.toString("utf8");
  const printable = text.replace(/[^\x20-\x7e\n\t]/g, "").length;
  return text.length >= 8 && printable / text.length >= 0.9 ? `; it decodes to text: ${quote(text)}` : "";
}

function* encodedPayload(s: string): Generator<Hit> {
  for (const m of s.matchAll(RUN)) {
    const run = m[0];
    const hex = /^[0-9a-fA-F]+$/.test(run);
    const fires = hex
      ? /\d/.test(run) && /[a-f]/i.test(run) && (run.length >= 96 || !HASH_WORD.test(s.slice(Math.max(0, m.index - 40), m.index)))
      : run.length >= 80 && /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run) && looksEncoded(run);
    if (!fires) continue;
    const what = hex ? "hex" : "base64-like";
    yield { rule: "encoded_payload", severity: "medium", text: excerpt(s, m.index, m.index + run.length), message: `A ${what} run of ${fmt(run.length)} characters, which can carry content a reviewer cannot read${decodedPreview(run, hex)}.` };
  }
}

// ---- credential_reference ----------------------------------------------------------------------

const CREDENTIAL_FILES = /(?<![\w-])(?:~[/\\])?\.ssh\b(?:[/\\][\w.-]+)?|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?:\.pub)?|(?<![\w$])\.env(?:\.[\w-]+)?(?![\w-])|\b(?:mcp|claude_desktop_config)\.json\b|(?:~[/\\])?\.aws[/\\](?:credentials|config)\b|(?<![\w])\.(?:npmrc|netrc|pypirc|pgpass|git-credentials)\b|\/etc\/(?:passwd|shadow|sudoers)\b|(?:~[/\\])?\.kube[/\\]config\b|(?:~[/\\])?\.docker[/\\]config\.json\b/gi;
const SECRETS = /\b(?:api[\s_-]?keys?|(?:access|auth(?:entication)?|bearer|oauth|refresh|session|personal[\s_-]access)[\s_-]?tokens?|session[\s_-]?cookies?|secret[\s_-]?keys?|client[\s_-]?secrets?|private[\s_-]?keys?|ssh[\s_-]?keys?|seed[\s_-]phrases?|mnemonic|passwords?|credentials?|secrets?|(?:your|the\s+user['’]s)\s+tokens?|contents\s+of\s+the\s+token)\b/gi;
// Sending a secret anywhere is suspect; merely reading one is what secret-manager tools do, so a
// reading verb counts only when the secret is the user's ("your API key", "the contents of").
const SEND_VERB = /\b(?:include|send|pass|paste|share|append|attach|embed|forward|upload|post|leak|exfiltrate)(?:s|es|ed|ing|d)?\b/i;
const READ_VERB = /\b(?:read|reveal|print|output|provide|copy|copies|show|dump|cat)(?:s|ed|ing)?\b/i;
const OWNED = /\b(?:your|the\s+user['’]s|their|all|any|every)\s+(?:\w+\s+)?$|\bcontents?\s+of\s+(?:the\s+)?$/i;

function* credentialReference(s: string): Generator<Hit> {
  for (const m of s.matchAll(CREDENTIAL_FILES))
    yield { rule: "credential_reference", severity: "high", text: excerpt(s, m.index, m.index + m[0].length), message: `Refers to a local credential file (${m[0]}); a tool description has no reason to point the model at it.` };
  for (const m of s.matchAll(SECRETS)) {
    const near = s.slice(Math.max(0, m.index - 40), m.index) + " " + s.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const owned = /^(?:your|the user|contents)/i.test(m[0]) || OWNED.test(s.slice(Math.max(0, m.index - 30), m.index));
    const verb = SEND_VERB.exec(near) ?? (owned ? READ_VERB.exec(near) : null);
    if (verb) yield { rule: "credential_reference", severity: "high", text: excerpt(s, m.index, m.index + m[0].length), message: `Asks to ${verb[0].toLowerCase()} a credential (${quote(m[0])}).` };
  }
}

// ---- exfiltration ------------------------------------------------------------------------------

const URL_RE = /\bhttps?:\/\/[^\s<>"'`\\)\]]{1,2048}/gi;
const EMAIL_RE = /(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;
const SEND_TO = /\b(?:send|post|upload|forward|transmit|exfiltrat|leak|copy|pipe|beacon|mail)\w*\s+(?:it|them|this|that|these|those|the|all|any|every|each|your|their|its|a\s+copy|everything|data|contents?|files?|results?|output|conversation|history|messages?|logs?|credentials?|keys?|tokens?|secrets?)\b[^.\n]{0,80}?\b(?:to|into|via|using|through)\b[^.\n]{0,40}$/i;
const SEND_WORD = /\b(?:exfiltrat\w*|webhooks?)\b/i;
// Standards bodies host no user content, so a link there cannot receive data.
const STANDARDS = new Set(["json-schema.org", "w3.org", "ietf.org", "rfc-editor.org", "iso.org", "modelcontextprotocol.io", "openapis.org", "schema.org"]);

// Last two labels, or three under a two-letter country code with a generic second level (co.uk).
function registrable(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(":")) return host;
  const labels = host.split(".");
  const n = labels.length >= 3 && labels[labels.length - 1].length === 2 && /^(?:co|com|net|org|gov|edu|ac|or|ne|go)$/.test(labels[labels.length - 2]) ? 3 : 2;
  return labels.slice(-n).join(".");
}

function isOwn(host: string, own: string | null): boolean {
  if (STANDARDS.has(registrable(host))) return true;
  return own !== null && (host === own || host.endsWith(`.${own}`) || registrable(host) === registrable(own));
}

function* exfiltration(s: string, env: Env): Generator<Hit> {
  const whose = env.serverHost ? `outside the server's own domain (${env.serverHost})` : "and the server's own host is not known";
  const asksToSend = (start: number, end: number) =>
    SEND_TO.test(s.slice(Math.max(0, start - 160), start)) || SEND_WORD.test(excerpt(s, start, end));
  for (const m of s.matchAll(URL_RE)) {
    const raw = m[0].replace(/[.,;:!?]+$/, "");
    let host: string;
    try { host = new URL(raw).hostname.toLowerCase().replace(/\.$/, ""); } catch { continue; }
    if (isOwn(host, env.serverHost)) continue;
    const end = m.index + raw.length;
    const text = excerpt(s, m.index, end);
    if (asksToSend(m.index, end) || /[{}$]|%7B/i.test(raw))
      yield { rule: "exfiltration", severity: "high", text, message: `Asks to send data to ${host}, ${whose}.` };
    else yield { rule: "exfiltration", severity: "medium", text, message: `Links to ${host}, ${whose}; the model may be led to fetch from or send data there.` };
  }
  // An address alone is a contact; only an instruction to send there is a channel.
  for (const m of s.matchAll(EMAIL_RE)) {
    const addr = m[0].replace(/\.+$/, "");
    const domain = addr.slice(addr.indexOf("@") + 1).toLowerCase();
    if (!isOwn(domain, env.serverHost) && asksToSend(m.index, m.index + addr.length))
      yield { rule: "exfiltration", severity: "high", text: excerpt(s, m.index, m.index + addr.length), message: `Asks to send data to the address ${addr}, ${whose}.` };
  }
}

// ---- tool_shadowing ----------------------------------------------------------------------------

const TOOLISH = (n: string) => n.length >= 4 && (/[_-]/.test(n) || /[a-z][A-Z]/.test(n));
const Q = "[`'\"]?";
const SHADOWING: RegExp[] = [
  new RegExp(String.raw`\binstead\s+of\s+(?:using\s+|calling\s+)?(?:the\s+|any\s+)?((?:${Q}[\w.-]+${Q}\s+){1,3})tools?\b`, "gi"),
  new RegExp(String.raw`\bwhen\s+(?:the\s+user|you|the\s+(?:assistant|model|agent))\s+(?:calls?|uses?|invokes?|runs?)\s+(?:the\s+)?${Q}([\w.-]+)${Q}[^.\n]{0,60}?\b(?:also|first|instead|always|must)\b`, "gi"),
  new RegExp(String.raw`\b(?:overrides?|replaces?|redefines?|supersedes?|shadows?)\s+(?:the\s+|any\s+|all\s+)?((?:${Q}[\w.-]+${Q}\s+){0,3})tools?\b`, "gi"),
  new RegExp(String.raw`\bthis\s+tool\s+(?:replaces|overrides|supersedes|shadows|takes\s+precedence\s+over)\b(?:\s+(?:the\s+)?${Q}([\w.-]+))?`, "gi"),
  new RegExp(String.raw`\b${NEVER}\s+(?:use|call)\s+(?:the\s+|any\s+)?(?!this\b)((?:other\s+)|(?:${Q}[\w.-]+${Q}\s+))tools?\b`, "gi"),
];

function* toolShadowing(s: string, env: Env): Generator<Hit> {
  for (const m of s.matchAll(/[A-Za-z0-9_.-]+/g)) {
    const token = m[0].replace(/[._-]+$/, "");
    const name = [token, ...token.split(".")].map((t) => t.toLowerCase()).find((t) => env.otherTools.has(t));
    if (name) yield { rule: "tool_shadowing", severity: "high", text: excerpt(s, m.index, m.index + token.length), message: `Mentions \`${name}\`, a tool of another server in the catalog; a description that talks about other servers' tools can steer the model away from them or into misusing them.` };
  }
  for (const re of SHADOWING)
    for (const m of s.matchAll(re)) {
      const named = (m[1] ?? "").toLowerCase().split(/[^\w.-]+/).map((n) => n.replace(/[.-]+$/, "")).filter(Boolean);
      if (named.some((n) => env.ownTools.has(n))) continue;
      yield { rule: "tool_shadowing", severity: "high", text: excerpt(s, m.index, m.index + m[0].length), message: `Claims precedence over other tools: ${quote(m[0])}.` };
    }
}

// ---- oversized_description ---------------------------------------------------------------------

function* oversized(c: Capture): Generator<[Site, Hit]> {
  const tools = c.tools.filter(isObj);
  const lengths = tools.map((t) => (typeof t.description === "string" ? t.description.length : 0)).sort((a, b) => a - b);
  const mid = lengths.length >> 1;
  const median = lengths.length >= 3 ? (lengths.length % 2 ? lengths[mid] : Math.round((lengths[mid - 1] + lengths[mid]) / 2)) : null;
  for (const t of tools) {
    const d = t.description;
    if (typeof d !== "string") continue;
    const big = median === null ? d.length > 4_000 : d.length > 1_000 && d.length > 4 * median;
    if (!big) continue;
    const severity: Severity = median !== null && d.length > 2_000 && d.length > 10 * median ? "medium" : "low";
    const message = median === null
      ? `The description is ${fmt(d.length)} characters long (too few tools to compare with).`
      : `The description is ${fmt(d.length)} characters long; the median for this server's tools is ${fmt(median)}.`;
    yield [{ kind: "tool", item: nameOf(t), field: "description", value: d }, { rule: "oversized_description", severity, text: `${d.slice(0, snap(d, 200))}…`, message }];
  }
}

// ---- scan --------------------------------------------------------------------------------------

const TEXT_RULES: ((s: string, env: Env) => Iterable<Hit>)[] = [modelInstructions, hiddenText, encodedPayload, credentialReference, exfiltration, toolShadowing];

const findingKey = (rule: string, kind: string, item: string | null, field: string, text: string) =>
  createHash("sha256").update(`${rule}|${kind}|${item}|${field}|${text}`).digest("hex").slice(0, 16);

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function compareFindings(a: Finding, b: Finding): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.item === null ? (b.item === null ? 0 : -1) : b.item === null ? 1 : cmp(a.item, b.item))
    || cmp(a.field, b.field) || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) || cmp(a.text, b.text);
}

/** Every finding in the capture, deduplicated by key, sorted by kind, item, field, rule and text; at most 5,000 (the first found). */
export function scanCapture(capture: Capture, ctx: ScanContext): Finding[] {
  const ownTools = new Set(capture.tools.filter(isObj).map((t) => nameOf(t).toLowerCase()).filter(Boolean));
  const env: Env = {
    serverHost: ctx.serverHost ? ctx.serverHost.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "") : null,
    ownTools,
    otherTools: new Set(ctx.otherToolNames.filter(TOOLISH).map((n) => n.toLowerCase()).filter((n) => !ownTools.has(n))),
  };
  const found = new Map<string, Finding>();
  const add = (site: Site, hit: Hit) => {
    const key = findingKey(hit.rule, site.kind, site.item, site.field, hit.text);
    if (!found.has(key)) found.set(key, { key, rule: hit.rule, severity: hit.severity, kind: site.kind, item: site.item, field: site.field, text: hit.text, message: hit.message });
    return found.size < MAX_FINDINGS;
  };
  scan: {
    for (const [site, hit] of oversized(capture)) if (!add(site, hit)) break scan;
    for (const site of sites(capture)) {
      // Past 100 KB nothing is read: a longer string is already flagged as oversized or absurd.
      const value = site.value.length > MAX_SCAN ? site.value.slice(0, snap(site.value, MAX_SCAN)) : site.value;
      for (const rule of TEXT_RULES) for (const hit of rule(value, env)) if (!add(site, hit)) break scan;
    }
  }
  return [...found.values()].sort(compareFindings);
}

export function summarizeFindings(findings: Finding[]): { total: number; high: number; medium: number; low: number } {
  const out = { total: findings.length, high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
