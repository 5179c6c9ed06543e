import type { IncomingMessage, ServerResponse } from "node:http";
import { classifyDatabaseError, zodIssues, type FieldIssue } from "@/lib/api/errors";
import { logger } from "@/lib/log";
import { jsonValueIssues, nestsDeeperThan, MAX_JSON_DEPTH } from "@/lib/api/handler";
import { bearerFrom, can } from "@/lib/auth/actor";
import { cachedBearerActor } from "@/lib/auth/token-cache";
import { readBody, sendJson } from "@/lib/public/http";
import { nodeClientInfo } from "@/lib/server/client";
import { decide } from "@/lib/xaa/decide";
import { logDecision } from "@/lib/xaa/decision-log";
import { decisionRequestSchema } from "@/lib/xaa/schema";

// POST /api/v1/xaa/decisions: the policy decision point for IdPs and gateways (docs/xaa.md),
// answered on the fast path before Next: the caller's token from the in-memory token cache
// (lib/auth/token-cache.ts), the decision from the in-memory policy index (lib/xaa/index.ts),
// the audit event queued for a batch write (lib/xaa/decision-log.ts). Errors use the console
// API's shape, `{ "error": { code, message, details? } }`, as everywhere under /api/v1.

export const DECISIONS_PATH = "/api/v1/xaa/decisions";
const MAX_BODY = 65_536;

const NO_STORE = { "cache-control": "no-store" };

function fail(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, details?: FieldIssue[], headers: Record<string, string> = {}) {
  sendJson(req, res, status, { error: { code, message, ...(details ? { details } : {}) } }, { ...NO_STORE, ...headers });
}

export async function handleDecisions(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== DECISIONS_PATH) return false;
  try {
    await answer(req, res);
  } catch (err) {
    // in this API's shape, not the registry's (lib/public/router.ts answers the other paths)
    if (res.headersSent) res.destroy();
    else if (classifyDatabaseError(err) === "unavailable") fail(req, res, 503, "unavailable", "The decision point cannot reach its database; retry shortly", undefined, { "retry-after": "5" });
    else {
      logger().error({ err, path }, "decision request failed");
      fail(req, res, 500, "internal", "Internal error");
    }
  }
  return true;
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") {
    fail(req, res, 405, "method_not_allowed", `${req.method} is not allowed here; POST a decision request`, undefined, { allow: "POST" });
    return;
  }
  const creds = bearerFrom(typeof req.headers.authorization === "string" ? req.headers.authorization : null);
  if (creds.kind !== "bearer") {
    fail(req, res, 401, "unauthenticated", creds.kind === "malformed" ? "Authorization header must be `Bearer <token>`" : "Send a service account's API token as a Bearer token", undefined, { "www-authenticate": "Bearer" });
    return;
  }
  const actor = await cachedBearerActor(creds.token, nodeClientInfo(req));
  if (!actor) {
    fail(req, res, 401, "unauthenticated", "Invalid, expired or revoked token", undefined, { "www-authenticate": 'Bearer error="invalid_token"' });
    return;
  }
  if (!can(actor, "xaa.decide")) {
    fail(req, res, 403, "forbidden", "This needs the xaa.decide permission");
    return;
  }
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    fail(req, res, 415, "unsupported_media_type", "Content-Type must be application/json");
    return;
  }
  const body = await readBody(req, MAX_BODY);
  if ("error" in body) {
    if (body.error === "too_large") fail(req, res, 413, "payload_too_large", `Request body exceeds ${MAX_BODY} bytes`);
    else if (body.error === "aborted") res.destroy();
    else fail(req, res, 400, "bad_request", "Request body is not valid UTF-8");
    return;
  }
  let value: unknown;
  try {
    if (nestsDeeperThan(body.text, MAX_JSON_DEPTH)) throw new Error("deep");
    value = JSON.parse(body.text);
  } catch {
    fail(req, res, 400, "bad_request", "Request body is not valid JSON (or nests too deep)");
    return;
  }
  const textIssues = jsonValueIssues(value);
  if (textIssues.length) {
    fail(req, res, 422, "validation_failed", `Invalid ${textIssues.map((i) => i.field).join(", ")}`, textIssues);
    return;
  }
  const parsed = decisionRequestSchema.safeParse(value);
  if (!parsed.success) {
    const details = zodIssues(parsed.error);
    fail(req, res, 422, "validation_failed", `Invalid ${details.map((d) => d.field).join(", ")}`, details);
    return;
  }
  const r = parsed.data;
  const result = await decide({
    clientId: r.client_id,
    subject: { sub: r.subject.sub, email: r.subject.email ?? null, groups: r.subject.groups, acr: r.subject.acr ?? null, authTime: r.subject.auth_time ?? null },
    audience: r.audience ?? null,
    resource: r.resource ?? null,
    scopes: r.scopes,
    environment: r.environment ?? null,
  });
  const answer = {
    decision: result.decision,
    scopes: result.scopes,
    policy_ids: result.policyIds,
    reasons: result.reasons,
    ttl: result.ttl,
    ...(result.error === "insufficient_user_authentication" ? { error: result.error, step_up: { acr: result.stepUp?.acr ?? null, max_age: result.stepUp?.maxAgeSeconds ?? null } } : {}),
    ...(result.error === "invalid_target" ? { error: result.error } : {}),
  };
  sendJson(req, res, 200, answer, NO_STORE);
  logDecision(actor, { clientId: r.client_id, request: r, decision: result.decision, scopes: result.scopes, policyIds: result.policyIds, reasons: result.reasons, ttl: result.ttl, error: result.error });
}
