import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import ipaddr from "ipaddr.js";
import { env, type OutboundAllowlist } from "@/lib/env";

// The one way the product calls out (registry sync, CIMD documents, JWKS, MCP servers). A URL
// an admin or a remote party supplied must not reach the host's own network: each hop's host is
// resolved here, every address it resolves to is checked, and the connection goes to the checked
// address (no second lookup a rebinding DNS server could answer differently), with Host and TLS
// SNI still the host name. OUTBOUND_ALLOWLIST names the special-use hosts or ranges that may be
// reached. Redirects are followed by hand so each hop is checked the same way.

export type OutboundErrorCode =
  | "blocked_address"
  | "bad_url"
  | "too_large"
  | "timeout"
  | "too_many_redirects"
  | "network"
  | "downgrade";

/** Why an outbound request failed; the message names the host and reason, never headers or bodies. */
export class OutboundError extends Error {
  readonly name = "OutboundError";
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Lookup = (hostname: string) => Promise<{ address: string; family?: number }[]>;

export interface OutboundOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Largest response body accepted (default 1 MiB); the read stops as soon as it is exceeded. */
  maxBytes?: number;
  /** For the whole request, redirects and DNS included (default 10 s). */
  timeoutMs?: number;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number;
  accept?: string;
  /** Plain http to any host; otherwise only to hosts OUTBOUND_ALLOWLIST admits (default false). */
  allowHttp?: boolean;
  /** Replaces OUTBOUND_ALLOWLIST (default: the configured one). */
  allowlist?: OutboundAllowlist;
  /** Resolves a host name to all its addresses (default dns.lookup; tests inject one). */
  lookup?: Lookup;
  /** Extra CA certificates (PEM) trusted for https, e.g. an internal CA. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Aborts the request (and, for a stream, the body being read). */
  signal?: AbortSignal;
  /** More headers that carry credentials: like Authorization, dropped when a redirect changes origin. */
  originBound?: string[];
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: string;
  body: Buffer;
  text(): string;
  /** The body parsed as JSON (throws SyntaxError if it is not). */
  json(): unknown;
}

/** A response whose body is read as it arrives (SSE streams), still capped at `maxBytes`. */
export interface OutboundStreamResponse {
  status: number;
  headers: Headers;
  url: string;
  body: ReadableStream<Uint8Array>;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const REASONS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a private address",
  linkLocal: "a link-local address",
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  carrierGradeNat: "a carrier-grade NAT address",
  multicast: "a multicast address",
};

const GLOBAL_UNICAST = ipaddr.parse("2000::");
const NAT64 = ipaddr.parse("64:ff9b::");
const SIX_TO_FOUR = ipaddr.parse("2002::");

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/** Why an address is special-use (a phrase for messages), or null for a public unicast address. */
export function specialUse(address: Address): string | null {
  let a: Address = address;
  if (a.kind() === "ipv6") {
    const six = a as ipaddr.IPv6;
    // IPv6 forms that carry an IPv4 address are judged by that address.
    if (six.isIPv4MappedAddress()) a = six.toIPv4Address();
    else if (six.match(NAT64, 96)) a = v4(six.parts[6], six.parts[7]);
    else if (six.match(SIX_TO_FOUR, 16)) a = v4(six.parts[1], six.parts[2]);
  }
  const range = a.range();
  if (range === "unicast" && (a.kind() === "ipv4" || (a as ipaddr.IPv6).match(GLOBAL_UNICAST, 3))) return null;
  return REASONS[range] ?? "a reserved address";
}

const isIpLiteral = (host: string) => ipaddr.IPv4.isValidFourPartDecimal(host) || (host.includes(":") && ipaddr.IPv6.isValid(host));

function allowed(list: OutboundAllowlist, host: string, address: Address): boolean {
  return list.hosts.includes(host) || list.ranges.some(([r, bits]) => r.kind() === address.kind() && address.match(r, bits));
}

/** Parses a URL (relative to the previous hop for redirects) and refuses what is never fetched. */
function checkUrl(raw: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(String(raw), base);
  } catch {
    throw new OutboundError("bad_url", base ? `${base.host} redirected to an invalid URL` : "not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OutboundError("bad_url", `${url.protocol} URLs are not fetched (only https)`);
  }
  if (!url.hostname) throw new OutboundError("bad_url", "the URL has no host");
  if (url.username || url.password) {
    throw new OutboundError("bad_url", `${url.host}: URLs with credentials (user:password@) are refused`);
  }
  if (url.port === "0") throw new OutboundError("bad_url", `${url.host}: port 0 is not a valid port`);
  return url;
}

interface Target {
  /** Lower case, no brackets or trailing dot: what Host, SNI and the allowlist use. */
  host: string;
  /** The checked address connected to. */
  address: string;
  allowlisted: boolean;
}

async function resolveTarget(url: URL, list: OutboundAllowlist, lookup: Lookup): Promise<Target> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
  let addresses: Address[];
  if (isIpLiteral(host)) addresses = [ipaddr.process(host)];
  else {
    let found: { address: string }[];
    try {
      found = await lookup(host);
    } catch {
      throw new OutboundError("network", `${host} could not be resolved`);
    }
    addresses = found.filter((f) => ipaddr.isValid(f.address)).map((f) => ipaddr.process(f.address));
    if (!addresses.length) throw new OutboundError("network", `${host} could not be resolved`);
  }
  // Any special-use address refuses the host: otherwise which one is used would decide.
  for (const a of addresses) {
    const reason = specialUse(a);
    if (reason && !allowed(list, host, a)) {
      const what = isIpLiteral(host) ? `${host} is ${reason}` : `${host} resolves to ${a.toString()}, ${reason}`;
      throw new OutboundError("blocked_address", `${what}; outbound requests may not reach it unless OUTBOUND_ALLOWLIST names it`);
    }
  }
  return { host, address: addresses[0].toString(), allowlisted: addresses.every((a) => allowed(list, host, a)) };
}

const defaultLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

interface Hop {
  url: URL;
  target: Target;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  ca?: OutboundOptions["ca"];
  signal: AbortSignal;
}

function send({ url, target, method, headers, body, ca, signal }: Hop): Promise<IncomingMessage> {
  const tls = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request({
      host: target.address,
      port: url.port || (tls ? 443 : 80),
      path: url.pathname + url.search,
      method,
      headers: { ...headers, host: url.host, ...(body ? { "content-length": String(body.length) } : {}) },
      agent: false,
      signal,
      ...(tls ? { servername: isIpLiteral(target.host) ? undefined : target.host, ca } : {}),
    });
    req.once("response", resolve);
    req.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code ? ` (${err.code})` : "";
      reject(new OutboundError("network", `${target.host} could not be reached${why}`));
    });
    req.end(body);
  });
}

function readBody(res: IncomingMessage, maxBytes: number, host: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      res.destroy();
      reject(new OutboundError("too_large", `${host} sent more than ${maxBytes} bytes`));
    };
    if (Number(res.headers["content-length"]) > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    res.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        done = true;
        tooLarge();
      } else chunks.push(chunk);
    });
    res.once("end", () => {
      done = true;
      resolve(Buffer.concat(chunks));
    });
    res.once("error", () => {});
    res.once("close", () => {
      if (!done) reject(new OutboundError("network", `${host} closed the connection before the response was complete`));
    });
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Credentials meant for one origin are not handed to another one a redirect names.
const ORIGIN_BOUND = ["authorization", "cookie", "proxy-authorization"];

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  delete out.host;
  delete out["content-length"];
  delete out["transfer-encoding"];
  delete out.connection;
  return out;
}

function headersOf(res: IncomingMessage): Headers {
  const out = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
  return out;
}

/** A response body as a web stream that errors once more than `maxBytes` have arrived. */
function streamOf(res: IncomingMessage, maxBytes: number, host: string): ReadableStream<Uint8Array> {
  let total = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      res.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          controller.error(new OutboundError("too_large", `${host} sent more than ${maxBytes} bytes`));
          res.destroy();
        } else controller.enqueue(new Uint8Array(chunk));
      });
      res.once("end", () => controller.close());
      res.once("error", () => {});
      res.once("close", () => {
        if (!res.complete) {
          try {
            controller.error(new OutboundError("network", `${host} closed the connection before the response was complete`));
          } catch {
            // already closed or errored
          }
        }
      });
    },
    cancel() {
      res.destroy();
    },
  });
}

interface Opened {
  res: IncomingMessage;
  url: URL;
  host: string;
}

/**
 * Sends the request and follows redirects (each hop checked), up to the response head. `read`
 * gets the final response; the whole of it, read included, runs under the timeout.
 */
async function open<T>(input: string | URL, opts: OutboundOptions, read: (o: Opened) => Promise<T>): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxRedirects = opts.maxRedirects ?? 3;
  const list = opts.allowlist ?? env().OUTBOUND_ALLOWLIST;
  const lookup = opts.lookup ?? defaultLookup;

  let url = checkUrl(input);
  let method = (opts.method ?? "GET").toUpperCase();
  let body = typeof opts.body === "string" ? Buffer.from(opts.body) : opts.body;
  const headers: Record<string, string> = { "user-agent": "Portcullis", "accept-encoding": "identity", ...lowerCased(opts.headers ?? {}) };
  if (opts.accept) headers.accept = opts.accept;

  const controller = new AbortController();
  let failed!: (err: Error) => void;
  const deadline = new Promise<never>((_, reject) => (failed = reject));
  const timer = setTimeout(() => {
    failed(new OutboundError("timeout", `${url.host} did not answer within ${timeoutMs} ms`));
    controller.abort();
  }, timeoutMs);
  const onAbort = () => {
    failed(new OutboundError("network", `the request to ${url.host} was cancelled`));
    controller.abort();
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  const follow = async (): Promise<T> => {
    for (let redirects = 0; ; redirects++) {
      const target = await resolveTarget(url, list, lookup);
      if (url.protocol === "http:" && !opts.allowHttp && !target.allowlisted) {
        throw new OutboundError("bad_url", `${url.host}: plain http is refused (https only) unless OUTBOUND_ALLOWLIST names the host`);
      }
      controller.signal.throwIfAborted();
      const res = await send({ url, target, method, headers, body, ca: opts.ca, signal: controller.signal });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        if (redirects >= maxRedirects) {
          throw new OutboundError("too_many_redirects", `${url.host} redirected more than ${maxRedirects} times`);
        }
        const next = checkUrl(location, url);
        if (url.protocol === "https:" && next.protocol === "http:") {
          throw new OutboundError("downgrade", `${url.host} redirected from https to plain http (${next.host}); refused`);
        }
        if (next.origin !== url.origin) for (const h of [...ORIGIN_BOUND, ...(opts.originBound ?? []).map((x) => x.toLowerCase())]) delete headers[h];
        if ((status === 303 && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
          delete headers["content-type"];
        }
        url = next;
        continue;
      }
      return read({ res, url, host: target.host });
    }
  };

  const result = follow();
  result.catch(() => {}); // after a timeout the aborted request's own rejection is not wanted
  try {
    return await Promise.race([result, deadline]);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/** Fetches a URL that may be anyone's, refusing private and special-use addresses (see above). */
export function outboundFetch(input: string | URL, opts: OutboundOptions = {}): Promise<OutboundResponse> {
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return open(input, opts, async ({ res, url, host }) => {
    const data = await readBody(res, maxBytes, host);
    const text = () => data.toString("utf8");
    return { status: res.statusCode ?? 0, headers: headersOf(res), url: url.toString(), body: data, text, json: () => JSON.parse(text()) };
  });
}

/**
 * Like outboundFetch, but answers once the response head has arrived and hands the body over as
 * a stream (for Server-Sent Events). The timeout covers connecting and the head; after that the
 * caller's `signal` ends the stream. The body is still capped at `maxBytes`.
 */
export function outboundStream(input: string | URL, opts: OutboundOptions = {}): Promise<OutboundStreamResponse> {
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return open(input, opts, async ({ res, url, host }) => {
    const abort = () => res.destroy();
    opts.signal?.addEventListener("abort", abort, { once: true });
    res.once("close", () => opts.signal?.removeEventListener("abort", abort));
    return { status: res.statusCode ?? 0, headers: headersOf(res), url: url.toString(), body: streamOf(res, maxBytes, host) };
  });
}
