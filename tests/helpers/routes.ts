import * as me from "@/app/api/v1/me/route";
import * as users from "@/app/api/v1/users/route";
import * as user from "@/app/api/v1/users/[id]/route";
import * as serviceAccounts from "@/app/api/v1/service-accounts/route";
import * as serviceAccount from "@/app/api/v1/service-accounts/[id]/route";
import * as tokens from "@/app/api/v1/tokens/route";
import * as tokenById from "@/app/api/v1/tokens/[id]/route";
import * as reviews from "@/app/api/v1/reviews/route";
import * as decision from "@/app/api/v1/reviews/[id]/decision/route";
import * as auditEvents from "@/app/api/v1/audit-events/route";
import * as integrity from "@/app/api/v1/audit/integrity/route";
import * as auditEvent from "@/app/api/v1/audit-events/[id]/route";
import * as auditExport from "@/app/api/v1/audit/export/route";
import * as stats from "@/app/api/v1/stats/route";
import * as catchAll from "@/app/api/v1/[...rest]/route";
import * as mePassword from "@/app/api/v1/me/password/route";
import * as meSessions from "@/app/api/v1/me/sessions/route";
import * as meTokens from "@/app/api/v1/me/tokens/route";
import * as settings from "@/app/api/v1/settings/route";
import * as userSessions from "@/app/api/v1/users/[id]/sessions/route";
import * as userUnlock from "@/app/api/v1/users/[id]/unlock/route";
import * as servers from "@/app/api/v1/servers/route";
import * as serverById from "@/app/api/v1/servers/[id]/route";
import * as serverOwners from "@/app/api/v1/servers/[id]/owners/route";
import * as serverOwner from "@/app/api/v1/servers/[id]/owners/[userId]/route";
import * as versionStatus from "@/app/api/v1/servers/[id]/versions/[versionId]/status/route";
import * as reviewById from "@/app/api/v1/reviews/[id]/route";
import * as reviewWithdraw from "@/app/api/v1/reviews/[id]/withdraw/route";
import * as reviewDecisions from "@/app/api/v1/reviews/decisions/route";
import * as serverImport from "@/app/api/v1/servers/import/route";
import * as upstreams from "@/app/api/v1/upstreams/route";
import * as upstreamById from "@/app/api/v1/upstreams/[id]/route";
import * as upstreamSync from "@/app/api/v1/upstreams/[id]/sync/route";
import * as upstreamRules from "@/app/api/v1/upstreams/[id]/rules/route";
import * as upstreamRule from "@/app/api/v1/upstreams/[id]/rules/[ruleId]/route";
import * as agents from "@/app/api/v1/agents/route";
import * as agentById from "@/app/api/v1/agents/[id]/route";
import * as agentVersions from "@/app/api/v1/agents/[id]/versions/route";
import * as agentDraft from "@/app/api/v1/agents/[id]/draft/route";
import * as agentRevoke from "@/app/api/v1/agents/[id]/revoke/route";
import * as agentOwners from "@/app/api/v1/agents/[id]/owners/route";
import * as agentOwner from "@/app/api/v1/agents/[id]/owners/[userId]/route";
import * as agentKeys from "@/app/api/v1/agents/[id]/keys/route";
import * as agentKeyRetire from "@/app/api/v1/agents/[id]/keys/[kid]/retire/route";
import * as agentClientIds from "@/app/api/v1/agents/client-ids/route";
import * as agentExchangeSecret from "@/app/api/v1/agents/[id]/exchange-secret/route";
import * as serverSnapshots from "@/app/api/v1/servers/[id]/snapshots/route";
import * as serverSnapshotLatest from "@/app/api/v1/servers/[id]/snapshots/latest/route";
import * as serverSnapshot from "@/app/api/v1/servers/[id]/snapshots/[snapshotId]/route";
import * as snapshotCredentials from "@/app/api/v1/servers/[id]/snapshot-credentials/route";
import * as findingAck from "@/app/api/v1/servers/[id]/findings/[key]/acknowledgement/route";
import * as toolScopes from "@/app/api/v1/servers/[id]/tools/[tool]/scopes/route";
import * as policies from "@/app/api/v1/policies/route";
import * as policyById from "@/app/api/v1/policies/[id]/route";
import * as policyVersions from "@/app/api/v1/policies/[id]/versions/route";
import * as policyEnable from "@/app/api/v1/policies/[id]/enable/route";
import * as policyDisable from "@/app/api/v1/policies/[id]/disable/route";
import * as policySimulate from "@/app/api/v1/policies/simulate/route";
import * as policyMatrix from "@/app/api/v1/policies/matrix/route";
import * as policyTargets from "@/app/api/v1/policies/targets/route";
import * as policyGroups from "@/app/api/v1/policies/groups/route";
import type { Handler } from "./http";

// Every /api/v1 route module, keyed by its URL pattern (as the files lay it out).
export const API_V1_MODULES: Record<string, Record<string, unknown>> = {
  "/api/v1/me": me,
  "/api/v1/users": users,
  "/api/v1/users/[id]": user,
  "/api/v1/service-accounts": serviceAccounts,
  "/api/v1/service-accounts/[id]": serviceAccount,
  "/api/v1/tokens": tokens,
  "/api/v1/tokens/[id]": tokenById,
  "/api/v1/reviews": reviews,
  "/api/v1/reviews/[id]/decision": decision,
  "/api/v1/audit-events": auditEvents,
  "/api/v1/audit/integrity": integrity,
  "/api/v1/audit-events/[id]": auditEvent,
  "/api/v1/audit/export": auditExport,
  "/api/v1/stats": stats,
  "/api/v1/[...rest]": catchAll,
  "/api/v1/me/password": mePassword,
  "/api/v1/me/sessions": meSessions,
  "/api/v1/me/tokens": meTokens,
  "/api/v1/settings": settings,
  "/api/v1/users/[id]/sessions": userSessions,
  "/api/v1/users/[id]/unlock": userUnlock,
  "/api/v1/servers": servers,
  "/api/v1/servers/[id]": serverById,
  "/api/v1/servers/[id]/owners": serverOwners,
  "/api/v1/servers/[id]/owners/[userId]": serverOwner,
  "/api/v1/servers/[id]/versions/[versionId]/status": versionStatus,
  "/api/v1/reviews/[id]": reviewById,
  "/api/v1/reviews/[id]/withdraw": reviewWithdraw,
  "/api/v1/reviews/decisions": reviewDecisions,
  "/api/v1/servers/import": serverImport,
  "/api/v1/upstreams": upstreams,
  "/api/v1/upstreams/[id]": upstreamById,
  "/api/v1/upstreams/[id]/sync": upstreamSync,
  "/api/v1/upstreams/[id]/rules": upstreamRules,
  "/api/v1/upstreams/[id]/rules/[ruleId]": upstreamRule,
  "/api/v1/agents": agents,
  "/api/v1/agents/[id]": agentById,
  "/api/v1/agents/[id]/versions": agentVersions,
  "/api/v1/agents/[id]/draft": agentDraft,
  "/api/v1/agents/[id]/revoke": agentRevoke,
  "/api/v1/agents/[id]/owners": agentOwners,
  "/api/v1/agents/[id]/owners/[userId]": agentOwner,
  "/api/v1/agents/[id]/keys": agentKeys,
  "/api/v1/agents/[id]/keys/[kid]/retire": agentKeyRetire,
  "/api/v1/agents/client-ids": agentClientIds,
  "/api/v1/agents/[id]/exchange-secret": agentExchangeSecret,
  "/api/v1/servers/[id]/snapshots": serverSnapshots,
  "/api/v1/servers/[id]/snapshots/latest": serverSnapshotLatest,
  "/api/v1/servers/[id]/snapshots/[snapshotId]": serverSnapshot,
  "/api/v1/servers/[id]/snapshot-credentials": snapshotCredentials,
  "/api/v1/servers/[id]/findings/[key]/acknowledgement": findingAck,
  "/api/v1/servers/[id]/tools/[tool]/scopes": toolScopes,
  "/api/v1/policies": policies,
  "/api/v1/policies/[id]": policyById,
  "/api/v1/policies/[id]/versions": policyVersions,
  "/api/v1/policies/[id]/enable": policyEnable,
  "/api/v1/policies/[id]/disable": policyDisable,
  "/api/v1/policies/simulate": policySimulate,
  "/api/v1/policies/matrix": policyMatrix,
  "/api/v1/policies/targets": policyTargets,
  "/api/v1/policies/groups": policyGroups,
};

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The handler for `METHOD /api/v1/...` (pattern form); throws when it does not exist. */
export function route(method: string, pattern: string): Handler {
  const mod = API_V1_MODULES[pattern];
  const h = mod?.[method];
  if (typeof h !== "function") throw new Error(`no ${method} handler for ${pattern}`);
  return h as Handler;
}
