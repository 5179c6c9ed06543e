// Invisible and control characters in text a server sent: which ones are hidden text (the
// poisoning rule `hidden_text` in tools-findings.ts) and how the console shows them («U+XXXX»),
// one definition for both so what is shown is what fired. Pure: no Node modules, so the browser
// bundle can use it.

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const PICTO = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const JOINING_SCRIPT = /[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}]/u;
const FLAG_TAGS = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,6}\u{E007F}/uy;
const isVS = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** Invisible code points that are not part of legitimate text: emoji ZWJ sequences, one variation selector after a character, subdivision flags and ZWNJ/ZWJ in joining scripts are left alone. */
export function invisibleAt(s: string): { index: number; cp: number }[] {
  const out: { index: number; cp: number }[] = [];
  let prev = "";
  for (let i = 0; i < s.length; ) {
    FLAG_TAGS.lastIndex = i;
    const flag = s.codePointAt(i) === 0x1f3f4 ? FLAG_TAGS.exec(s) : null;
    if (flag) { i += flag[0].length; prev = "\u{E007F}"; continue; }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const next = String.fromCodePoint(s.codePointAt(i + ch.length) ?? 0x20);
    const benign =
      cp === 0x09 || cp === 0x0a || cp === 0x0d || !INVISIBLE.test(ch) ||
      (cp === 0x200d && PICTO.test(prev) && /\p{Extended_Pictographic}/u.test(next)) ||
      ((cp === 0x200c || cp === 0x200d) && JOINING_SCRIPT.test(prev) && JOINING_SCRIPT.test(next)) ||
      (cp >= 0xfe00 && cp <= 0xfe0f && prev !== "" && !INVISIBLE.test(prev) && !isVS(next.codePointAt(0)!)) ||
      (cp >= 0xe0100 && cp <= 0xe01ef && /\p{Script=Han}/u.test(prev) && !isVS(next.codePointAt(0)!));
    if (!benign) out.push({ index: i, cp });
    prev = ch;
    i += ch.length;
  }
  return out;
}

export const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** Makes invisible/control characters visible for display: replaces each with «U+XXXX». */
export function revealInvisible(text: string): string {
  let out = "";
  let at = 0;
  for (const { index, cp } of invisibleAt(text)) {
    out += `${text.slice(at, index)}«${codePoint(cp)}»`;
    at = index + (cp > 0xffff ? 2 : 1);
  }
  return out + text.slice(at);
}
