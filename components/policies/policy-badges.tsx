import { Ban, Check, PauseCircle, TriangleAlert } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { PolicyEffect, PolicyStatus, PolicyVersionState } from "@/lib/client/policies";

// How a policy's effect, status and a version's state look everywhere: always a word, never
// colour alone.

export function EffectBadge({ effect }: { effect: PolicyEffect }) {
  return effect === "allow" ? (
    <Badge tone="success">
      <Check aria-hidden />
      Allow
    </Badge>
  ) : (
    <Badge tone="danger">
      <Ban aria-hidden />
      Deny
    </Badge>
  );
}

const STATUS: Record<PolicyStatus, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  disabled: { label: "Disabled", tone: "neutral" },
  pending: { label: "Pending review", tone: "info" },
  rejected: { label: "Rejected", tone: "danger" },
  withdrawn: { label: "Withdrawn", tone: "neutral" },
};

export function PolicyStatusBadge({ status }: { status: PolicyStatus }) {
  const s = STATUS[status] ?? { label: status, tone: "neutral" as const };
  return (
    <Badge tone={s.tone}>
      {status === "disabled" && <PauseCircle aria-hidden />}
      {s.label}
    </Badge>
  );
}

/** Where a policy stands, and what waits behind an active one (a version in review). */
export function PolicyStatusBadges({ status, pending }: { status: PolicyStatus; pending: { number: number } | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <PolicyStatusBadge status={status} />
      {pending && status !== "pending" && <Badge tone="info">v{pending.number} in review</Badge>}
    </span>
  );
}

/** The policy grants nothing now: its server drifted (or is no longer approved). */
export function SuspendedBadge({ reason }: { reason: string }) {
  return (
    <Badge tone="warning" title={reason}>
      <TriangleAlert aria-hidden />
      Suspended
    </Badge>
  );
}

const VERSION: Record<string, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  pending: { label: "Pending review", tone: "info" },
  approved: { label: "Approved", tone: "neutral" },
  rejected: { label: "Rejected", tone: "danger" },
  withdrawn: { label: "Withdrawn", tone: "neutral" },
  deprecated: { label: "Superseded", tone: "neutral" },
  revoked: { label: "Revoked", tone: "danger" },
};

export function PolicyVersionBadge({ state }: { state: PolicyVersionState }) {
  const v = VERSION[state] ?? { label: state, tone: "neutral" as const };
  return <Badge tone={v.tone}>{v.label}</Badge>;
}
