"use client";

import { OwnersEditor } from "@/components/owners/owners-editor";
import { useAddAgentOwnerMutation, useRemoveAgentOwnerMutation, type AgentDetail } from "@/lib/client/agents";

/** Who may change the agent: the creator and the co-owners they add (approvers may act for any agent). */
export function OwnersCard({ agent }: { agent: AgentDetail }) {
  return (
    <OwnersEditor
      owners={agent.owners}
      manage={agent.permissions.canEdit}
      subject={agent.name}
      description="Owners change the document, the keys and this list; approvers may act for any agent."
      removeDescription="They can no longer change this agent's document or keys (unless they are an approver). What they submitted stays as it is."
      add={useAddAgentOwnerMutation(agent.id)}
      remove={useRemoveAgentOwnerMutation(agent.id)}
    />
  );
}
