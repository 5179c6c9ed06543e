import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { jsonValueIssues, MAX_JSON_DEPTH, nestsDeeperThan, paramsObject, queryObject, readJsonBody } from "@/lib/api/handler";

// What the wrapper refuses before any schema runs (the behaviour through real routes is in
// tests/integration/bad-input.test.ts).

function thrown(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

async function rejected(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

const jsonRequest = (body: BodyInit) => new Request("http://localhost/x", { method: "POST", headers: { "content-type": "application/json" }, body });

describe("nesting limit", () => {
  it.each([
    ["[]", 1, false],
    ["[[]]", 1, true],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    ['["[[[[[[", "{{{{"]', 1, false],
    ['["\\"[[[["]', 1, false],
    ['"\\\\"[[', 1, true],
  ])("%s within %i: deeper=%s", (text, limit, deeper) => {
    expect(nestsDeeperThan(text, limit)).toBe(deeper);
  });

  it("refuses 65 levels with a 400 and accepts 64", async () => {
    const ok = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(await readJsonBody(jsonRequest(ok))).toBeInstanceOf(Array);
    const deep = '{"a":' + "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH) + "}";
    const e = await rejected(readJsonBody(jsonRequest(deep)));
    expect([e.status, e.code, e.message]).toEqual([400, "bad_request", "Request body nests arrays or objects deeper than 64 levels"]);
  });

  it("refuses 100,000 levels without touching the stack", async () => {
    const e = await rejected(readJsonBody(jsonRequest("[".repeat(100_000) + "]".repeat(100_000))));
    expect(e.status).toBe(400);
  });
});

describe("body values", () => {
  it("names each bad string, key and number, wherever it is", () => {
    const value = JSON.parse('{"a":"x\\u0000","b":["ok","\\ud800"],"c":{"__proto__":{"polluted":true}},"d":1e400,"e\\u0007":1,"f":"tab\\tand\\nnewline"}');
    expect(jsonValueIssues(value)).toEqual([
      { field: "a", message: "must not contain control characters" },
      { field: "b.1", message: "must be well-formed Unicode (no lone surrogates)" },
      { field: "c.__proto__", message: "is not an allowed field name" },
      { field: "d", message: "must be a finite number" },
      { field: "(body)", message: "has a field name that must not contain control characters" },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a body that is not UTF-8", async () => {
    const e = await rejected(readJsonBody(jsonRequest(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))));
    expect([e.status, e.code, e.message]).toEqual([400, "bad_request", "Request body is not valid UTF-8"]);
  });

  it("refuses a body with a NUL with a 422 naming the field", async () => {
    const e = await rejected(readJsonBody(jsonRequest('{"name":"a\\u0000b"}')));
    expect([e.status, e.message, e.details]).toEqual([422, "Invalid name", [{ field: "name", message: "must not contain control characters" }]]);
  });
});

describe("query strings", () => {
  const q = (s: string) => queryObject(new URL(`http://localhost/x?${s}`));

  it("gives each parameter once as a string", () => {
    expect(q("limit=5&q=%25&cursor=")).toEqual({ limit: "5", q: "%", cursor: "" });
    expect(q("q=%")).toEqual({ q: "%" });
    expect(Object.getPrototypeOf(q("x=1"))).toBe(Object.prototype);
  });

  it.each([
    ["limit=1&limit=2", [{ field: "query.limit", message: "must be given at most once" }]],
    ["a=1&a=2&a=3", [{ field: "query.a", message: "must be given at most once" }]],
    ["q=a%00b", [{ field: "query.q", message: "must not contain control characters" }]],
    ["q=line%0Abreak", [{ field: "query.q", message: "must not contain tabs or line breaks" }]],
    ["q%00=1", [{ field: "query", message: "has a parameter name that must not contain control characters" }]],
    ["__proto__=1", [{ field: "query.__proto__", message: "is not an allowed parameter name" }]],
  ])("refuses %s", (s, details) => {
    const e = thrown(() => q(s));
    expect([e.status, e.code, e.details]).toEqual([422, "validation_failed", details]);
  });

  it("takes a lone surrogate in a raw URL as U+FFFD (the URL parser's rule), never as broken text", () => {
    expect(queryObject(new URL("http://localhost/x?q=\uD800"))).toEqual({ q: "\uFFFD" });
    expect(q("q=%ED%A0%80")).toEqual({ q: "\uFFFD\uFFFD\uFFFD" });
  });
});

describe("route params", () => {
  it("passes decoded params through and refuses control characters and lone surrogates", () => {
    expect(paramsObject({ id: "abc", rest: ["a", "b"] })).toEqual({ id: "abc", rest: ["a", "b"] });
    expect(thrown(() => paramsObject({ id: "a\u0000" })).details).toEqual([{ field: "params.id", message: "must not contain control characters" }]);
    expect(thrown(() => paramsObject({ id: "\uDC00" })).details).toEqual([{ field: "params.id", message: "must be well-formed Unicode (no lone surrogates)" }]);
    expect(thrown(() => paramsObject({ rest: ["ok", "a\nb"] })).details).toEqual([{ field: "params.rest", message: "must not contain tabs or line breaks" }]);
    expect(thrown(() => paramsObject({ id: 5 })).details).toEqual([{ field: "params.id", message: "is not text" }]);
  });
});
