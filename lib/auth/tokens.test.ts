import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerFrom } from "@/lib/auth/actor";
import { hashToken, newToken, prefixOf, TOKEN_PREFIX } from "@/lib/auth/tokens";

describe("API tokens", () => {
  it("are pcl_ + 32 random bytes, with a 12-character prefix and a sha256 hash", () => {
    const t = newToken();
    expect(t.token).toMatch(/^pcl_[A-Za-z0-9_-]{43}$/);
    expect(t.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    expect(prefixOf(t.token)).toBe(t.prefix);
    expect(t.hash).toBe(createHash("sha256").update(t.token).digest("hex"));
    expect(hashToken(t.token)).toBe(t.hash);
  });

  it("differ every time", () => {
    const seen = new Set(Array.from({ length: 50 }, () => newToken().token));
    expect(seen.size).toBe(50);
  });
});

describe("bearerFrom (Authorization header)", () => {
  it.each([
    [null, { kind: "none" }],
    ["", { kind: "none" }],
    ["Bearer pcl_abc", { kind: "bearer", token: "pcl_abc" }],
    ["bearer pcl_abc", { kind: "bearer", token: "pcl_abc" }],
    ["Bearer   pcl_abc  ", { kind: "bearer", token: "pcl_abc" }],
    ["Bearer", { kind: "malformed" }],
    ["Bearer ", { kind: "malformed" }],
    ["Bearer a b", { kind: "malformed" }],
    ["Basic dXNlcjpwYXNz", { kind: "malformed" }],
    ["Token pcl_abc", { kind: "malformed" }],
    ["pcl_abc", { kind: "malformed" }],
  ])("%j -> %j", (header, expected) => {
    expect(bearerFrom(header)).toEqual(expected);
  });
});
