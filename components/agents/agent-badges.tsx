import { Bot, Cpu } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { AgentEnvironment, AgentKind, AgentSummary, AgentVersionState } from "@/lib/client/agents";

// How an agent's status, kind, environment and a version's state look everywhere.

type StatusLabel = "Published" | "Pending review" | "Draft" | "Unpublished" | "Revoked" | "Deleted";

/** The one word for where an agent stands: revoked beats everything, then what is served. */
export function agentStatusLabel(a: Pick<AgentSummary, "status" | "pending" | "hasDraft">): StatusLabel {
  if (a.status === "revoked") return "Revoked";
  if (a.status === "deleted") return "Deleted";
  if (a.status === "published") return "Published";
  if (a.pending) return "Pending review";
  return a.hasDraft ? "Draft" : "Unpublished";
}

const STATUS_TONES: Record<StatusLabel, BadgeTone> = {
  Published: "success",
  "Pending review": "info",
  Draft: "neutral",
  Unpublished: "neutral",
  Revoked: "danger",
  Deleted: "danger",
};

/** The status, and for a published agent what waits behind it (a version in review, a draft). */
export function AgentStatusBadges({ agent }: { agent: Pick<AgentSummary, "status" | "pending" | "hasDraft"> }) {
  const label = agentStatusLabel(agent);
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={STATUS_TONES[label]}>{label}</Badge>
      {label === "Published" && agent.pending && <Badge tone="info">v{agent.pending.number} in review</Badge>}
      {(label === "Published" || label === "Pending review") && agent.hasDraft && <Badge tone="neutral">Draft</Badge>}
    </span>
  );
}

export function KindBadge({ kind }: { kind: AgentKind }) {
  const Icon = kind === "interactive" ? Bot : Cpu;
  return (
    <Badge tone="neutral" title={kind === "interactive" ? "Acts for a signed-in person (authorization code + PKCE)" : "Machine to machine (client credentials, private_key_jwt)"}>
      <Icon aria-hidden />
      {kind === "interactive" ? "Interactive" : "Headless"}
    </Badge>
  );
}

const ENV_TONES: Record<AgentEnvironment, BadgeTone> = { production: "warning", staging: "info", dev: "neutral" };

export function EnvironmentBadge({ environment }: { environment: AgentEnvironment | null }) {
  if (!environment) return <span className="text-xs text-muted-foreground">—</span>;
  return <Badge tone={ENV_TONES[environment] ?? "neutral"}>{environment}</Badge>;
}

const VERSION_TONES: Record<AgentVersionState, BadgeTone> = { pending: "info", approved: "success", rejected: "danger", withdrawn: "neutral" };
const VERSION_LABELS: Record<AgentVersionState, string> = { pending: "Pending review", approved: "Approved", rejected: "Rejected", withdrawn: "Withdrawn" };

export function AgentVersionBadge({ state }: { state: AgentVersionState }) {
  return <Badge tone={VERSION_TONES[state] ?? "neutral"}>{VERSION_LABELS[state] ?? state}</Badge>;
}

/** The first 12 hex digits of a SHA-256, with the whole one in a title. */
export function ShortSha({ sha256, className }: { sha256: string | null | undefined; className?: string }) {
  if (!sha256) return <span className="text-xs text-muted-foreground">—</span>;
  return (
    <code title={`SHA-256 ${sha256}`} className={className ?? "font-mono text-xs text-muted-foreground"}>
      {sha256.slice(0, 12)}
    </code>
  );
}
