import { describe, expect, it } from "vitest";
import { parseTrustedProxies } from "@/lib/env";
import { parseAddress, resolveClient } from "@/lib/server/client";

const trusted = (raw: string) => parseTrustedProxies(raw).ranges;

describe("parseAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["10.0.0.1:8080", "10.0.0.1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    [" 192.0.2.1 ", "192.0.2.1"],
  ])("%s -> %s", (raw, want) => {
    expect(parseAddress(raw)?.toString()).toBe(want);
  });

  it.each(["", "unknown", "10.1", "0x0a.0.0.1", "_hidden", "1.2.3.4.5", "[::1", "999.1.1.1"])("%j -> null", (raw) => {
    expect(parseAddress(raw)).toBeNull();
  });
});

describe("resolveClient", () => {
  const proxies = trusted("10.0.0.0/8, 192.0.2.10, fd00::/8");
  it.each([
    ["an untrusted peer's claims are ignored", "203.0.113.9", "198.51.100.1", "https", ["203.0.113.9", "http"]],
    ["a trusted peer without X-Forwarded-For is the client", "10.0.0.5", undefined, undefined, ["10.0.0.5", "http"]],
    ["one trusted proxy", "10.0.0.5", "203.0.113.9", "https", ["203.0.113.9", "https"]],
    ["spoofed hops left of the real client are ignored", "10.0.0.5", "6.6.6.6, 203.0.113.9", "https", ["203.0.113.9", "https"]],
    ["a chain of trusted proxies", "10.0.0.5", "203.0.113.9, 192.0.2.10, 10.9.9.9", "https", ["203.0.113.9", "https"]],
    ["every hop trusted: the left-most", "10.0.0.5", "10.1.1.1, 10.2.2.2", "http", ["10.1.1.1", "http"]],
    ["garbage hop: the last trusted address", "10.0.0.5", "203.0.113.9, unknown", "https", ["10.0.0.5", "https"]],
    ["IPv6 and ports", "::ffff:10.0.0.5", "[2001:db8::9]:5555, fd00::1", "HTTPS", ["2001:db8::9", "https"]],
    ["the first X-Forwarded-Proto value (the first proxy's)", "10.0.0.5", "203.0.113.9", "https, http", ["203.0.113.9", "https"]],
    ["an X-Forwarded-Proto that is neither http nor https is ignored", "10.0.0.5", "203.0.113.9", "javascript", ["203.0.113.9", "http"]],
    ["no peer (socket gone)", undefined, "203.0.113.9", "https", ["", "http"]],
  ] as const)("%s", (_name, peer, forwardedFor, forwardedProto, want) => {
    const r = resolveClient({ peer, forwardedFor, forwardedProto, encrypted: false }, proxies);
    expect([r.address, r.proto]).toEqual(want);
  });

  it("a TLS socket is https without any header", () => {
    expect(resolveClient({ peer: "203.0.113.9", encrypted: true }, []).proto).toBe("https");
  });
});
