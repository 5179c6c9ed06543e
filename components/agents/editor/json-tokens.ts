// A JSON tokenizer for highlighting only: it never fails, so half-typed or broken text is still
// coloured up to where it breaks, and every character of the input is in exactly one token (the
// overlay must line up with the textarea character for character).

export type TokenKind = "key" | "string" | "number" | "literal" | "punctuation" | "plain";

export interface Token {
  kind: TokenKind;
  text: string;
}

const RULES: [Exclude<TokenKind, "key">, RegExp][] = [
  // An unterminated string runs to the end of its line, as an editor would show it.
  ["string", /"(?:[^"\\\n]|\\.)*"?/y],
  ["number", /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y],
  ["literal", /(?:true|false|null)\b/y],
  ["punctuation", /[{}[\],:]/y],
  ["plain", /\s+/y],
];

export function tokenizeJson(text: string): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, value: string) => {
    const last = out[out.length - 1];
    if (kind === "plain" && last?.kind === "plain") last.text += value;
    else out.push({ kind, text: value });
  };
  let i = 0;
  outer: while (i < text.length) {
    for (const [kind, re] of RULES) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m && m[0].length > 0) {
        i += m[0].length;
        if (kind === "string" && /^\s*:/.test(text.slice(i, i + 64))) push("key", m[0]);
        else push(kind, m[0]);
        continue outer;
      }
    }
    push("plain", text[i]);
    i += 1;
  }
  return out;
}
