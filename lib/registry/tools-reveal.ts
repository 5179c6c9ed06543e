// Invisible and control characters in text a server sent, shared by the poisoning rules and the
// console (which shows each as «U+XXXX», so a reviewer sees what the model would read). Pure: no
// Node modules, so the browser bundle can use it.

/** Zero-width, bidi, tag and other format characters; C0/C1 controls but tab and line breaks. */
export const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD\u061C\u180E\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\uDB40[\uDC00-\uDC7F]/g;

/** Makes invisible and control characters visible: each becomes «U+XXXX». */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `«U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}»`);
}
