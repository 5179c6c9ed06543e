import { ListChecks, Network } from "lucide-react";
import { ComingSoon } from "@/components/coming-soon/coming-soon";

// What each planned section will do (DESIGN.md), shown until it is built.

export function GatewaysComingSoon() {
  return (
    <ComingSoon
      title="Gateways"
      icon={Network}
      summary="The MCP gateways that sit in the traffic between agents and servers."
      features={[
        "Register a gateway with its base URL and a credential, stored encrypted.",
        "Pull each gateway's audit events and tasks continuously, resuming where it left off after a restart.",
        "Check gateway health and see when each one last reported.",
        "Keep every gateway's events in its own hash-chained audit stream, verifiable like the console's.",
      ]}
      related={[{ href: "/audit", label: "console audit events" }]}
    />
  );
}

export function TasksComingSoon() {
  return (
    <ComingSoon
      title="Tasks"
      icon={ListChecks}
      summary="Long-running MCP tasks that agents started through your gateways."
      features={[
        "List tasks from every gateway with their status, agent, person, server and tool.",
        "Follow a task from the audit events that started and polled it.",
        "Cancel a running task (approvers and admins), recorded in the audit trail.",
      ]}
    />
  );
}
