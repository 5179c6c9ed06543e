import { describe, expect, it } from "vitest";
import { escapeLike, idString, instantString, isWellFormed, queryInt, safeString, textProblem } from "@/lib/validation/strings";

describe("safeString", () => {
  const name = safeString({ max: 10 });
  it.each([
    ["plain", "Alice", "Alice"],
    ["trimmed", "  Bob  ", "Bob"],
    ["astral pair", "a\u{1F600}", "a\u{1F600}"],
    ["RTL", "\u05E9\u05DC\u05D5\u05DD", "\u05E9\u05DC\u05D5\u05DD"],
  ])("accepts %s", (_label, input, out) => {
    expect(name.parse(input)).toBe(out);
  });
  it.each([
    ["NUL", "a\u0000b", "must not contain control characters"],
    ["escape", "a\u001Bb", "must not contain control characters"],
    ["C1", "a\u0085b", "must not contain control characters"],
    ["lone high surrogate", "a\uD800b", "must be well-formed Unicode (no lone surrogates)"],
    ["lone low surrogate", "\uDC00", "must be well-formed Unicode (no lone surrogates)"],
    ["newline", "a\nb", "must not contain tabs or line breaks"],
    ["tab", "a\tb", "must not contain tabs or line breaks"],
    ["empty", "   ", "is required"],
    ["too long", "x".repeat(11), "must be at most 10 characters"],
  ])("refuses %s", (_label, input, message) => {
    const r = name.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(message);
  });
  it("allows line breaks when multiline", () => {
    expect(safeString({ multiline: true }).parse("a\nb\tc")).toBe("a\nb\tc");
    expect(textProblem("a\u0000", true)).toBe("must not contain control characters");
  });
  it("knows well-formed strings", () => {
    expect(isWellFormed("\u{1F600}")).toBe(true);
    expect(isWellFormed("\uD83D")).toBe(false);
  });
});

describe("queryInt", () => {
  const limit = queryInt(1, 100, 25);
  it.each([
    [undefined, 25],
    ["1", 1],
    ["100", 100],
  ])("reads %j as %d", (input, out) => {
    expect(limit.parse(input)).toBe(out);
  });
  it.each(["0x10", "1e1", " 10", "010", "+1", "-1", "1.5", "", "0", "101", "99999999999999999999"])("refuses %j", (input) => {
    expect(limit.safeParse(input).success).toBe(false);
  });
});

describe("instantString", () => {
  it.each(["1970-01-01T00:00:00Z", "2026-12-02T10:00:00+05:00", "9999-12-31T23:59:59.999Z"])("accepts %s", (v) => {
    expect(instantString.safeParse(v).success).toBe(true);
  });
  it.each(["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-01-01", "yesterday"])("refuses %s", (v) => {
    expect(instantString.safeParse(v).success).toBe(false);
  });
});

describe("idString and escapeLike", () => {
  it("takes printable ids only", () => {
    expect(idString.safeParse("ckz1abc_-.:9").success).toBe(true);
    for (const bad of ["", "a b", "a/b", "%FF", "x".repeat(65), "a\u0000"]) expect(idString.safeParse(bad).success).toBe(false);
  });
  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("100%_a\\b")).toBe("100\\%\\_a\\\\b");
  });
});
