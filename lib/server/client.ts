import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import type { ProxyRange } from "@/lib/env";

// The client of a request, as server.ts determined it. server.ts always overwrites these
// headers before handing a request to Next (a client cannot set them): the address is the
// socket's peer or, when the peer is a trusted proxy (TRUSTED_PROXIES), the right-most
// X-Forwarded-For hop that is not itself a trusted proxy; the protocol is X-Forwarded-Proto only
// when the peer is trusted, else what the socket is (http, or https on a TLS socket).

export const CLIENT_ADDRESS_HEADER = "x-portcullis-client-address";
export const CLIENT_PROTO_HEADER = "x-portcullis-client-proto";
const INTERNAL = new Set([CLIENT_ADDRESS_HEADER, CLIENT_PROTO_HEADER]);

const MAX_UA = 512;

export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
}

/** The client address and user agent of a request (null when unknown, e.g. in unit tests). */
export function clientInfo(headers: Headers): ClientInfo {
  const address = headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
  const ua = headers.get("user-agent")?.replace(/[\u0000-\u001F\u007F]/g, "").slice(0, MAX_UA) || null;
  return { address, userAgent: ua };
}

/** The same, for a node:http request that went through the edges (the public fast path). */
export function nodeClientInfo(req: IncomingMessage): ClientInfo {
  const headers = new Headers();
  for (const name of [CLIENT_ADDRESS_HEADER, "user-agent"]) {
    const v = req.headers[name];
    if (typeof v === "string") headers.set(name, v);
  }
  return clientInfo(headers);
}

/** An address as a socket or a proxy writes it ("::ffff:10.0.0.1", "[::1]:443", "10.0.0.1:80"), or null. */
export function parseAddress(raw: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!raw) return null;
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const valid = ipaddr.IPv4.isValidFourPartDecimal(a) || (a.includes(":") && ipaddr.IPv6.isValid(a));
  return valid ? ipaddr.process(a) : null; // process(): IPv4-mapped IPv6 becomes IPv4
}

const PEERS = new Map<string, string>();

function normalisedPeer(raw: string | undefined): string {
  if (!raw) return "";
  let out = PEERS.get(raw);
  if (out === undefined) {
    out = parseAddress(raw)?.toString() ?? "";
    if (PEERS.size >= 4096) PEERS.clear();
    PEERS.set(raw, out);
  }
  return out;
}

export function isTrustedProxy(address: ipaddr.IPv4 | ipaddr.IPv6, trusted: readonly ProxyRange[]): boolean {
  return trusted.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

export interface ResolvedClient {
  address: string;
  proto: "http" | "https";
}

export function resolveClient(
  input: { peer: string | undefined; forwardedFor?: string; forwardedProto?: string; encrypted: boolean },
  trusted: readonly ProxyRange[],
): ResolvedClient {
  let proto: ResolvedClient["proto"] = input.encrypted ? "https" : "http";
  // The usual case: no trusted proxies, so the peer is the client (its normalised form cached:
  // the same few peers ask again and again, and parsing is most of this function's cost).
  if (trusted.length === 0) return { address: normalisedPeer(input.peer), proto };
  const peer = parseAddress(input.peer);
  let address = peer?.toString() ?? "";
  if (!peer || !isTrustedProxy(peer, trusted)) return { address, proto };

  // Walk from the right: each trusted proxy vouches for the hop before it. Stop at the first
  // hop that is not a trusted proxy (the client), or at one that is not an address at all.
  const hops = (input.forwardedFor ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i]);
    if (!hop) break;
    address = hop.toString();
    if (!isTrustedProxy(hop, trusted)) break;
  }
  // The first proxy in the chain writes the client's scheme first.
  const claimed = (input.forwardedProto ?? "").split(",")[0].trim().toLowerCase();
  if (claimed === "http" || claimed === "https") proto = claimed;
  return { address, proto };
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);

/** Overwrites the internal client headers on a request (dropping any copy the client sent). */
export function setClientHeaders(req: IncomingMessage, trusted: readonly ProxyRange[]): ResolvedClient {
  const client = resolveClient(
    {
      peer: req.socket.remoteAddress,
      forwardedFor: header(req.headers["x-forwarded-for"]),
      forwardedProto: header(req.headers["x-forwarded-proto"]),
      encrypted: Boolean((req.socket as { encrypted?: boolean }).encrypted),
    },
    trusted,
  );
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (INTERNAL.has(req.rawHeaders[i].toLowerCase())) req.rawHeaders.splice(i, 2);
  }
  req.headers[CLIENT_ADDRESS_HEADER] = client.address;
  req.headers[CLIENT_PROTO_HEADER] = client.proto;
  return client;
}
