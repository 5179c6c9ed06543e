import { Client, SSEClientTransport, StreamableHTTPClientTransport, ClientCredentialsProvider, type FetchLike } from "@modelcontextprotocol/client";
import { outboundFetch, outboundStream, OutboundError, type OutboundOptions } from "@/lib/net/outbound";

// Connects to a server version's remote with the official MCP client (SDK v2, version
// negotiation "auto": a 2026-07-28 server is spoken to in the modern era, a 2025-era one through
// `initialize`) and reads what it offers: server info, capabilities, instructions, and every page
// of tools, prompts, resources and resource templates. Every byte goes through outboundFetch (the
// SSRF guard), under a deadline for the whole capture, a cap per response and for the total, and a
// cap on pages and items, so a hostile server ends in a CaptureError, never a stuck job.

export type CaptureErrorCode =
  | "blocked_address"
  | "bad_url"
  | "timeout"
  | "too_large"
  | "too_many_pages"
  | "too_many_items"
  | "unauthorized"
  | "unreachable"
  | "bad_response";

/** Why a capture failed; the message names the server's host and the reason, never a credential. */
export class CaptureError extends Error {
  readonly name = "CaptureError";
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type RemoteTransport = "streamable-http" | "sse";

export type CaptureAuth =
  | { kind: "headers"; headers: Record<string, string> }
  | { kind: "oauth_client_credentials"; issuer: string; clientId: string; clientSecret: string; scope?: string };

export interface CaptureLimits {
  /** For the whole capture, connection included (default 30 s). */
  totalMs: number;
  /** For each HTTP request (default 10 s). */
  requestMs: number;
  /** Largest single response (default 2 MiB). */
  responseBytes: number;
  /** All responses together (default 16 MiB). */
  totalBytes: number;
  /** Pages read per list before giving up (default 50). */
  pages: number;
  /** Items accepted per list (default 2,000). */
  items: number;
}

export const DEFAULT_LIMITS: CaptureLimits = {
  totalMs: 30_000,
  requestMs: 10_000,
  responseBytes: 2 * 1024 * 1024,
  totalBytes: 16 * 1024 * 1024,
  pages: 50,
  items: 2_000,
};

export interface CaptureInput {
  url: string;
  transport: RemoteTransport;
  auth?: CaptureAuth;
  limits?: Partial<CaptureLimits>;
  /** Passed to every outbound request (tests inject a resolver or an allowlist). */
  outbound?: Pick<OutboundOptions, "allowlist" | "lookup" | "ca" | "allowHttp">;
}

export type JsonObject = Record<string, unknown>;

export interface Capture {
  era: "legacy" | "modern";
  protocolVersion: string;
  serverInfo: JsonObject;
  capabilities: JsonObject;
  instructions: string | null;
  tools: JsonObject[];
  prompts: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
}

const CLIENT_INFO = { name: "portcullis-snapshot", version: "1.0.0" };

function headerRecord(h: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(h ?? {}).forEach((v, k) => (out[k] = v));
  return out;
}

function bodyOf(b: RequestInit["body"]): string | Uint8Array | undefined {
  if (b == null) return undefined;
  if (typeof b === "string" || b instanceof Uint8Array) return b;
  if (b instanceof URLSearchParams) return b.toString();
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  throw new CaptureError("bad_response", "the MCP client sent a request body of an unexpected kind");
}

/**
 * The fetch the SDK's transports use: every request through the SSRF guard with the per-request
 * limits, the running total counted. A Streamable HTTP client's optional standing GET stream is
 * answered 405 here (a snapshot needs no server-initiated messages), as a server without one would.
 */
function guardedFetch(input: CaptureInput, limits: CaptureLimits, signal: AbortSignal, fail: (e: CaptureError) => void): FetchLike {
  let total = 0;
  const count = (n: number) => {
    total += n;
    if (total > limits.totalBytes) {
      const err = new CaptureError("too_large", `${new URL(input.url).host} sent more than ${limits.totalBytes} bytes in all`);
      fail(err);
      throw err;
    }
  };
  return async (url, init) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = headerRecord(init?.headers);
    const opts: OutboundOptions = {
      ...input.outbound,
      method,
      headers,
      body: bodyOf(init?.body),
      maxBytes: limits.responseBytes,
      timeoutMs: limits.requestMs,
      signal,
      // Static credential headers are for the server's own origin, never for where it redirects.
      originBound: input.auth?.kind === "headers" ? Object.keys(input.auth.headers) : undefined,
    };
    const sseGet = method === "GET" && (headers.accept ?? "").includes("text/event-stream");
    if (sseGet && input.transport === "streamable-http") return new Response(null, { status: 405, statusText: "Method Not Allowed" });
    if (sseGet) {
      const res = await outboundStream(String(url), opts);
      const counted = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, c) {
            count(chunk.length);
            c.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: res.status, headers: res.headers });
    }
    const res = await outboundFetch(String(url), opts);
    count(res.body.length);
    const empty = res.status === 204 || res.status === 304 || method === "HEAD";
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers: res.headers });
  };
}

const asObject = (v: unknown): JsonObject => (v && typeof v === "object" && !Array.isArray(v) ? JSON.parse(JSON.stringify(v)) : {});

function describe(err: unknown, host: string): CaptureError {
  if (err instanceof CaptureError) return err;
  const cause = findCause(err);
  if (cause instanceof CaptureError) return cause;
  if (cause instanceof OutboundError) {
    const code = cause.code === "blocked_address" || cause.code === "bad_url" || cause.code === "timeout" || cause.code === "too_large" ? cause.code : cause.code === "downgrade" || cause.code === "too_many_redirects" ? "bad_url" : "unreachable";
    return new CaptureError(code, cause.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/\b401\b|unauthori[sz]ed/i.test(message)) return new CaptureError("unauthorized", `${host} refused the snapshot's credentials (401); set them under snapshot credentials`);
  if (/timed? ?out/i.test(message)) return new CaptureError("timeout", `${host} did not answer in time`);
  // SDK and schema errors can quote what the server sent: keep the first line, bounded.
  // A schema error's message is its issue list as JSON: say which field instead.
  const issues = (err as { issues?: { path?: unknown[]; message?: string }[] }).issues;
  const line = Array.isArray(issues) && issues.length ? `a field is wrong (${issues.slice(0, 3).map((i) => `${(i.path ?? []).join(".") || "(root)"}: ${i.message}`).join("; ")})` : message.split("\n")[0].slice(0, 300);
  return new CaptureError("bad_response", `${host} did not answer as an MCP server: ${line}`);
}

function findCause(err: unknown): unknown {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    if (e instanceof OutboundError || e instanceof CaptureError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return err;
}

type ListMethod = "tools/list" | "prompts/list" | "resources/list" | "resources/templates/list";
const LIST_KEY: Record<ListMethod, string> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
};

async function listAll(client: Client, method: ListMethod, limits: CaptureLimits, host: string, signal: AbortSignal): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    if (page > limits.pages) throw new CaptureError("too_many_pages", `${host} kept paginating ${method} past ${limits.pages} pages`);
    // One page per request (the SDK's list helpers would walk every page on their own, past our
    // caps); the raw request still gets the era's `_meta` from the client.
    const result: unknown = await client.request({ method, params: cursor === undefined ? {} : { cursor } }, { signal, timeout: limits.requestMs });
    const list = (result as Record<string, unknown>)[LIST_KEY[method]];
    if (!Array.isArray(list)) throw new CaptureError("bad_response", `${host} answered ${method} without a list`);
    for (const item of list) items.push(asObject(item));
    if (items.length > limits.items) throw new CaptureError("too_many_items", `${host} listed more than ${limits.items} items in ${method}`);
    const next = (result as { nextCursor?: unknown }).nextCursor;
    if (next === undefined || next === null || next === "") return items;
    if (typeof next !== "string") throw new CaptureError("bad_response", `${host} sent a ${method} cursor that is not a string`);
    if (seen.has(next)) throw new CaptureError("too_many_pages", `${host} repeated a ${method} cursor (the list never ends)`);
    seen.add(next);
    cursor = next;
  }
}

/** Reads everything the server offers, or throws CaptureError. */
export async function captureServer(input: CaptureInput): Promise<Capture> {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  let host: string;
  try {
    host = new URL(input.url).host;
  } catch {
    throw new CaptureError("bad_url", "the remote URL is not a valid URL");
  }
  const controller = new AbortController();
  let failure: CaptureError | undefined;
  const fail = (e: CaptureError) => {
    failure ??= e;
    controller.abort();
  };
  const fetch = guardedFetch(input, limits, controller.signal, fail);
  const url = new URL(input.url);
  const headers = input.auth?.kind === "headers" ? input.auth.headers : undefined;
  const authProvider =
    input.auth?.kind === "oauth_client_credentials"
      ? new ClientCredentialsProvider({ clientId: input.auth.clientId, clientSecret: input.auth.clientSecret, expectedIssuer: input.auth.issuer, ...(input.auth.scope ? { scope: input.auth.scope } : {}) })
      : undefined;
  const transportOpts = { fetch, ...(headers ? { requestInit: { headers } } : {}), ...(authProvider ? { authProvider } : {}) };
  const transport = input.transport === "sse" ? new SSEClientTransport(url, transportOpts) : new StreamableHTTPClientTransport(url, { ...transportOpts, reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 } });
  const client = new Client(CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: "auto", probe: { timeoutMs: limits.requestMs } }, listMaxPages: limits.pages });
  client.onerror = () => {};

  const timer = setTimeout(() => fail(new CaptureError("timeout", `${host} did not finish the snapshot within ${limits.totalMs} ms`)), limits.totalMs);
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(failure), { once: true }));
  aborted.catch(() => {});

  const work = async (): Promise<Capture> => {
    await client.connect(transport, { signal: controller.signal, timeout: limits.requestMs });
    const era = client.getProtocolEra() === "modern" ? "modern" : "legacy";
    const discover = client.getDiscoverResult() as unknown as JsonObject | undefined;
    const capabilities = asObject(client.getServerCapabilities() ?? (discover?.capabilities as unknown));
    const serverInfo = asObject(client.getServerVersion() ?? discover?.serverInfo);
    const out: Capture = {
      era,
      protocolVersion: client.getNegotiatedProtocolVersion() ?? "",
      serverInfo,
      capabilities,
      instructions: client.getInstructions() ?? null,
      tools: [],
      prompts: [],
      resources: [],
      resourceTemplates: [],
    };
    if (capabilities.tools) out.tools = await listAll(client, "tools/list", limits, host, controller.signal);
    if (capabilities.prompts) out.prompts = await listAll(client, "prompts/list", limits, host, controller.signal);
    if (capabilities.resources) {
      out.resources = await listAll(client, "resources/list", limits, host, controller.signal);
      out.resourceTemplates = await listAll(client, "resources/templates/list", limits, host, controller.signal);
    }
    return out;
  };
  const running = work();
  running.catch(() => {});
  try {
    return await Promise.race([running, aborted]);
  } catch (err) {
    throw describe(failure ?? err, host);
  } finally {
    clearTimeout(timer);
    controller.abort();
    await Promise.race([client.close().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  }
}
