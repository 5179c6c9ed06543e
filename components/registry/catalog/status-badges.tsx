import { Badge, type BadgeTone } from "@/components/ui/badge";

// How a version's review state and registry status, and a server's risk level, look everywhere.

export function VersionStateBadge({ state, status }: { state: string; status?: string | null }) {
  if (state === "approved") {
    if (status === "deprecated") return <Badge tone="warning">Deprecated</Badge>;
    if (status === "deleted") return <Badge tone="danger">Revoked</Badge>;
    return <Badge tone="success">Approved</Badge>;
  }
  const tones: Record<string, BadgeTone> = { pending: "info", rejected: "danger", withdrawn: "neutral" };
  const labels: Record<string, string> = { pending: "Pending review", rejected: "Rejected", withdrawn: "Withdrawn" };
  return <Badge tone={tones[state] ?? "neutral"}>{labels[state] ?? state}</Badge>;
}

const RISK_TONES: Record<string, BadgeTone> = { low: "success", medium: "info", high: "warning", critical: "danger" };

export function RiskBadge({ risk }: { risk: string | null | undefined }) {
  if (!risk) return <span className="text-xs text-muted-foreground">not rated</span>;
  return <Badge tone={RISK_TONES[risk] ?? "neutral"}>{risk[0].toUpperCase() + risk.slice(1)} risk</Badge>;
}
