import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/permissions";

const TONE: Record<Role, BadgeTone> = { admin: "primary", approver: "info", publisher: "success", auditor: "warning", gateway: "neutral" };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including users, tokens, gateways and settings",
  approver: "Reviews and approves servers, agents and policies",
  publisher: "Submits servers and agents, edits own drafts",
  auditor: "Reads everything and exports audit; changes nothing",
  gateway: "Machine callers (gateways, IdPs): reads the registry, asks for delegation decisions; service accounts only",
};

export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <Badge tone={TONE[role]} className={className}>
      {role}
    </Badge>
  );
}
