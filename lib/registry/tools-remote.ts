import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { CaptureAuth, RemoteTransport } from "@/lib/registry/tools-capture";
import type { ServerJson } from "@/lib/registry/server-json";

// Where a snapshot connects (a server version's remote) and with what (the server's snapshot
// credentials: static headers or OAuth client credentials, encrypted with ENCRYPTION_KEY, never
// returned or logged; GET says only whether some are set).

export interface Remote {
  url: string;
  transport: RemoteTransport;
}

/**
 * The remote a snapshot connects to: the first `streamable-http` remote, else the first `sse`
 * one, with `{variables}` filled from their defaults. 422 when there is none or a variable has no
 * default (a snapshot cannot guess it).
 */
export function remoteOf(doc: ServerJson): Remote {
  const remotes = doc.remotes ?? [];
  const r = remotes.find((x) => x.type === "streamable-http") ?? remotes.find((x) => x.type === "sse");
  if (!r) {
    throw new ApiError("validation_failed", `${doc.name} version ${doc.version} has no streamable-http or sse remote to take a snapshot of`, [
      { field: "version", message: "has no streamable-http or sse remote" },
    ]);
  }
  const url = r.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const v = r.variables?.[name];
    const value = v?.value ?? v?.default;
    if (value === undefined) {
      throw new ApiError("validation_failed", `The remote URL's variable {${name}} has no default, so a snapshot cannot connect`, [
        { field: "version", message: `remote URL variable {${name}} has no default` },
      ]);
    }
    return encodeURIComponent(value);
  });
  return { url, transport: r.type };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const RESERVED = new Set(["host", "content-length", "content-type", "accept", "connection", "transfer-encoding", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name"]);
const headerValue = z
  .string()
  .min(1, "must not be empty")
  .max(4096, "must be at most 4096 characters")
  .refine((v) => !/[\r\n\0]/.test(v), "must not contain line breaks or NUL");
const credentialText = (max: number) => z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`).refine((v) => !/[\r\n\0]/.test(v), "must not contain line breaks or NUL");

export const snapshotCredentialsSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("headers"),
    headers: z
      .record(z.string(), headerValue)
      .refine((h) => Object.keys(h).length >= 1 && Object.keys(h).length <= 10, "must hold 1 to 10 headers")
      .superRefine((h, ctx) => {
        for (const name of Object.keys(h)) {
          if (!HEADER_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "is not a valid header name" });
          else if (RESERVED.has(name.toLowerCase())) ctx.addIssue({ code: "custom", path: [name], message: "is set by the MCP client itself and cannot be replaced" });
        }
      }),
  }),
  z.strictObject({
    kind: z.literal("oauth_client_credentials"),
    /** The authorization server's issuer the credentials belong to: they are sent to no other. */
    issuer: z.url({ protocol: /^https?$/, error: "must be the authorization server's issuer URL" }).max(500, "must be at most 500 characters"),
    clientId: credentialText(500),
    clientSecret: credentialText(4096),
    scope: credentialText(1000).optional(),
  }),
]);
export type SnapshotCredentialsInput = z.infer<typeof snapshotCredentialsSchema>;

const context = (serverId: string) => `SnapshotCredential.secret:${serverId}`;

async function serverOrThrow(tx: Tx, serverId: string) {
  const s = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true } });
  if (!s) throw new ApiError("not_found", `Server ${serverId} not found`);
  return s;
}

export async function setSnapshotCredentials(actor: Actor, serverId: string, input: SnapshotCredentialsInput): Promise<void> {
  await db().$transaction(async (tx) => {
    const s = await serverOrThrow(tx, serverId);
    const secret = encryptSecret(JSON.stringify(input), { context: context(serverId) });
    const before = await tx.snapshotCredential.findUnique({ where: { serverId }, select: { kind: true } });
    await tx.snapshotCredential.upsert({
      where: { serverId },
      create: { serverId, kind: input.kind, secret, updatedById: actor.id },
      update: { kind: input.kind, secret, updatedById: actor.id },
    });
    // Which header names were set is useful to an auditor; their values never are.
    const names = input.kind === "headers" ? Object.keys(input.headers).sort() : undefined;
    await recordAudit(tx, actor, {
      action: "server.snapshot_credentials.set",
      target: { type: "server", id: s.id, label: s.name },
      before: before ? { kind: before.kind } : null,
      after: { kind: input.kind, ...(names ? { headerNames: names } : input.kind === "oauth_client_credentials" ? { clientId: input.clientId, issuer: input.issuer } : {}) },
    });
  });
}

export async function deleteSnapshotCredentials(actor: Actor, serverId: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const s = await serverOrThrow(tx, serverId);
    const gone = await tx.snapshotCredential.deleteMany({ where: { serverId } });
    if (gone.count) await recordAudit(tx, actor, { action: "server.snapshot_credentials.delete", target: { type: "server", id: s.id, label: s.name } });
    return gone.count > 0;
  });
}

/** Whether credentials are set, their kind and when; never their values. */
export async function snapshotCredentialsInfo(serverId: string) {
  await serverOrThrow(db(), serverId);
  const c = await db().snapshotCredential.findUnique({ where: { serverId }, select: { kind: true, updatedAt: true, updatedById: true } });
  return c ? { configured: true, kind: c.kind, updatedAt: c.updatedAt.toISOString(), updatedById: c.updatedById } : { configured: false };
}

/** The decrypted credentials for a capture (null when none are set). */
export async function snapshotAuth(serverId: string): Promise<CaptureAuth | null> {
  const c = await db().snapshotCredential.findUnique({ where: { serverId }, select: { secret: true } });
  if (!c) return null;
  const input = snapshotCredentialsSchema.parse(JSON.parse(decryptSecret(c.secret, { context: context(serverId) })));
  return input.kind === "headers" ? { kind: "headers", headers: input.headers } : { kind: "oauth_client_credentials", issuer: input.issuer, clientId: input.clientId, clientSecret: input.clientSecret, scope: input.scope };
}
