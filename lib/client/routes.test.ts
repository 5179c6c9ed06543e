import { describe, expect, it } from "vitest";
import { safeCallbackUrl, safeRedirectPath } from "@/lib/client/routes";

// Open redirects: every hostile callbackUrl falls back to "/"; local paths survive intact.

const ORIGIN = "https://portcullis.example.com";

describe("safeCallbackUrl", () => {
  it.each([
    ["/\t/evil.com"],
    ["/\n/evil.com"],
    ["/\r\n/evil.com"],
    ["/ /evil.com"],
    ["//evil.com"],
    ["///evil.com"],
    ["/\\evil.com"],
    ["\\/evil.com"],
    ["\\\\evil.com"],
    ["/\\/evil.com"],
    ["https://evil.com"],
    ["https://evil.com/"],
    ["http:evil.com"],
    ["https:/evil.com"],
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["evil.com"],
    [" /admin"],
    ["/admin "],
    ["\u0000/admin"],
    ["/admin\u0000"],
    ["/\u00a0/evil.com"],
    ["/\u2028/evil.com"],
    ["/\ufeff/evil.com"],
    ["/\u200b/evil.com"],
    ["https://portcullis.example.com.evil.com/"],
    ["https://user:pass@portcullis.example.com/"],
    ["/" + "a".repeat(3000)],
    [""],
    [null],
    [undefined],
  ])("refuses %j", (raw) => {
    expect(safeCallbackUrl(raw)).toBe("/");
    expect(safeCallbackUrl(raw, ORIGIN)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/admin/users", "/admin/users"],
    ["/audit?action=auth.signin&from=2026-01-01T00:00:00Z", "/audit?action=auth.signin&from=2026-01-01T00:00:00Z"],
    ["/audit#row-5", "/audit#row-5"],
    ["/admin/../audit", "/audit"],
    ["/%2F%2Fevil.com", "/%2F%2Fevil.com"],
    ["/%09/evil.com", "/%09/evil.com"],
  ])("keeps the local path %j as %j", (raw, expected) => {
    expect(safeCallbackUrl(raw)).toBe(expected);
    expect(safeCallbackUrl(raw, ORIGIN)).toBe(expected);
  });

  it.each([["/signin"], ["/signin?callbackUrl=/x"], ["/setup"], ["/api/v1/me"], ["/api"], ["/admin/../signin"]])(
    "does not loop back to %j",
    (raw) => {
      expect(safeCallbackUrl(raw)).toBe("/");
    },
  );
});

describe("safeRedirectPath (next-auth redirect callback)", () => {
  it("accepts our own absolute URL and returns its path", () => {
    expect(safeRedirectPath(`${ORIGIN}/audit?x=1`, ORIGIN)).toBe("/audit?x=1");
    expect(safeRedirectPath(`${ORIGIN}/signin`, ORIGIN)).toBe("/signin");
  });

  it.each([
    ["http://portcullis.example.com/audit"],
    ["https://portcullis.example.com:8443/audit"],
    [`${ORIGIN}//evil.com`],
    [`${ORIGIN}/\t/evil.com`],
    ["https://evil.com/"],
    ["//evil.com"],
    ["/\t/evil.com"],
  ])("refuses %j", (raw) => {
    expect(safeRedirectPath(raw, ORIGIN)).toBeNull();
  });
});
