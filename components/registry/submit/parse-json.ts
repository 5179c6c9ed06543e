// Parsing the pasted server.json. JSON.parse does the parsing; when it refuses, a small scanner
// finds where and says why, because browsers word (and place) their JSON errors differently and
// some name no position at all.

export interface JsonSyntaxError {
  /** Offset into the text (UTF-16 units), for moving the caret there. */
  offset: number;
  line: number;
  column: number;
  message: string;
}

export type ParsedJson = { kind: "empty" } | { kind: "ok"; value: unknown } | { kind: "syntax"; error: JsonSyntaxError };

export function parseJsonText(text: string): ParsedJson {
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "ok", value: JSON.parse(text) };
  } catch (err) {
    return { kind: "syntax", error: locateSyntaxError(text) ?? at(text, 0, err instanceof Error ? err.message : "is not valid JSON") };
  }
}

class Syntax extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function at(text: string, offset: number, message: string): JsonSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { offset, line, column, message };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Where the first JSON syntax error is and a sentence about it; null when the text is JSON. */
export function locateSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const shown = (c: string) => (c === "'" ? `"'"` : `'${c}'`);
  const fail = (expected: string): never => {
    throw new Syntax(i, i >= text.length ? `The text ends where ${expected} was expected` : `Found ${shown(text[i])} where ${expected} was expected`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === "u" && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
        else throw new Syntax(i, "Invalid escape in a string: use \\\", \\\\, \\n, \\t or \\uXXXX");
      } else if (c < " ") {
        throw new Syntax(i, "A line break or tab inside a string must be written as \\n or \\t");
      } else i++;
    }
    throw new Syntax(start, "This string is never closed with a double quote");
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail("a number");
      i += m![0].length;
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") throw new Syntax(i, "Strings and names must use double quotes (\"), not single quotes");
    fail("a value (a string, number, object, array, true, false or null)");
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') {
        if (text[i] === "}") throw new Syntax(i, "A trailing comma before '}' is not allowed in JSON");
        fail("a property name in double quotes");
      }
      string();
      ws();
      if (text[i] !== ":") fail("':' after the property name");
      i++;
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail("',' or '}'");
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === "]") throw new Syntax(i, "A trailing comma before ']' is not allowed in JSON");
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail("',' or ']'");
    }
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Syntax(i, `Found ${shown(text[i])} after the end of the document`);
    return null;
  } catch (e) {
    if (e instanceof Syntax) return at(text, e.offset, e.message);
    return null; // nested too deeply for the scanner's stack; the caller falls back to JSON.parse's message
  }
}
