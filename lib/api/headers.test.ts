import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { applyApiHeaders, SECURITY_HEADERS, withApiHeaders } from "@/lib/api/headers";

describe("API security headers", () => {
  it("are the headers next.config.ts gives every response", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const all = rules.find((r) => r.source === "/:path*");
    expect(all).toBeDefined();
    const fromConfig = Object.fromEntries(all!.headers.map((h) => [h.key.toLowerCase(), h.value]));
    expect(SECURITY_HEADERS).toEqual(fromConfig);
  });

  it("keep what a handler set itself and add no-store only when asked and unset", () => {
    const h = applyApiHeaders(new Headers({ "x-frame-options": "SAMEORIGIN", "cache-control": "private, max-age=5" }), { noStore: true });
    expect(h.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(h.get("cache-control")).toBe("private, max-age=5");
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(applyApiHeaders(new Headers(), { noStore: true }).get("cache-control")).toBe("no-store");
    expect(applyApiHeaders(new Headers()).get("cache-control")).toBeNull();
  });

  it("copy a response whose headers are immutable", async () => {
    const res = withApiHeaders(Response.redirect("http://localhost/x", 302), { noStore: true });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://localhost/x");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});
