"use client";

import { Clock, Lock, ShieldAlert, TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { AuditEventJson } from "@/lib/client/types";

// Where one event stands in the integrity check (GET /api/v1/audit-events `integrity`): only
// "verified" means sealed AND checked in the chain.

export const INTEGRITY_TEXT: Record<AuditEventJson["integrity"], string> = {
  verified: "Verified",
  pending: "Pending",
  unverified: "Unverified",
  quarantined: "Quarantined",
};

export function integrityExplanation(e: Pick<AuditEventJson, "integrity" | "chainSeq" | "stream" | "quarantine">): string {
  switch (e.integrity) {
    case "verified":
      return `Verified in the ${e.stream} chain at position ${e.chainSeq}`;
    case "pending":
      return e.chainSeq
        ? `Sealed at position ${e.chainSeq}; the next integrity check verifies it`
        : "Recorded; the sealer links it into the hash chain within seconds";
    case "unverified":
      return e.chainSeq
        ? `At or after the first broken link of the ${e.stream} chain: not verified`
        : "Marked sealed but has no place in the chain: not verified";
    case "quarantined":
      return `Set aside, not in the chain: ${e.quarantine?.reason ?? "no reason recorded"}`;
  }
}

export function IntegrityBadge({ event: e }: { event: AuditEventJson }) {
  const title = integrityExplanation(e);
  switch (e.integrity) {
    case "verified":
      return (
        <Badge tone="success" title={title}>
          <Lock aria-hidden />
          Verified
        </Badge>
      );
    case "unverified":
      return (
        <Badge tone="danger" title={title}>
          <ShieldAlert aria-hidden />
          Unverified
        </Badge>
      );
    case "quarantined":
      return (
        <Badge tone="warning" title={title}>
          <TriangleAlert aria-hidden />
          Quarantined
        </Badge>
      );
    default:
      return (
        <Badge tone="neutral" title={title}>
          <Clock aria-hidden />
          Pending
        </Badge>
      );
  }
}
