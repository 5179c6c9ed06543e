"use client";

import { PickerResults, PickerSearch } from "@/components/ui/picker";
import { useDeferredValue, useId, useState } from "react";
import { Plus, X } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AgentStatusBadges } from "@/components/agents/agent-badges";
import { rowsOf } from "@/lib/client/list-query";
import { useAgentsQuery } from "@/lib/client/agents";
import { useAgentNames } from "../agent-names";
import { fieldSentence } from "./policy-draft";

/**
 * The agents a policy names, by client_id: tick registered agents (name and client_id shown),
 * or type the client_id of an agent registered elsewhere.
 */
export function AgentPicker({ value, onChange, error, itemError }: { value: string[]; onChange: (v: string[]) => void; error?: string; itemError: (i: number) => string | undefined }) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const agents = useAgentsQuery({ q });
  const rows = rowsOf(agents).filter((a) => a.status !== "revoked" && a.status !== "deleted");
  const nameOf = useAgentNames(value);
  const [external, setExternal] = useState("");
  const id = useId();
  const picked = new Set(value);
  const toggle = (clientId: string, on: boolean) => onChange(on ? [...value.filter((v) => v !== clientId), clientId] : value.filter((v) => v !== clientId));
  const addExternal = () => {
    const v = external.trim();
    if (v && !picked.has(v)) onChange([...value, v]);
    setExternal("");
  };
  const problems = value.map((v, i) => ({ v, m: itemError(i) })).filter((x) => x.m);

  return (
    <fieldset className="grid gap-2" aria-describedby={`${id}-hint`}>
      <legend className="mb-1.5 text-sm font-medium">Agents</legend>
      <div id={`${id}-hint`} className="-mt-1 grid gap-0.5 text-xs">
        {error ? <p className="text-destructive">{fieldSentence("Agents", error)}</p> : <p className="text-muted-foreground">The OAuth clients this policy is about, by client_id. At least one.</p>}
        {problems.map(({ v, m }) => (
          <p key={v} className="text-destructive">
            <code className="font-mono break-all">{v}</code> {m}
          </p>
        ))}
      </div>
      {value.length > 0 && (
        <ul aria-label="Chosen agents" className="grid gap-1.5">
          {value.map((clientId, i) => (
            <li key={clientId}>
              <Badge tone={itemError(i) ? "danger" : "primary"} className="max-w-full py-1 pr-1 whitespace-normal">
                <span className="grid min-w-0">
                  <span className="font-medium">{nameOf(clientId) === clientId ? "External agent" : nameOf(clientId)}</span>
                  <span className="font-mono break-all opacity-80">{clientId}</span>
                </span>
                <button type="button" onClick={() => toggle(clientId, false)} aria-label={`Remove agent ${clientId}`} className="shrink-0 cursor-pointer rounded-full p-0.5 hover:bg-primary/15 focus-visible:outline-2 focus-visible:outline-ring">
                  <X aria-hidden />
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <PickerSearch value={search} onChange={setSearch} label="Search registered agents" busy={agents.isFetching} />
      <PickerResults
        error={agents.isError ? agents.error : null}
        empty={rows.length === 0 ? (agents.isPending ? "Loading agents…" : q ? "No agent matches." : "No agents are registered yet: type an external client_id below.") : null}
        listLabel="Registered agents"
        className="max-h-56"
      >
            {rows.map((a) => (
              <li key={a.id}>
                <label className="flex cursor-pointer items-start gap-2.5 px-3 py-2 text-sm hover:bg-muted/50 has-[:focus-visible]:bg-muted/50">
                  <input type="checkbox" checked={picked.has(a.clientId)} onChange={(e) => toggle(a.clientId, e.target.checked)} className="mt-0.5 size-4 cursor-pointer accent-primary" />
                  <span className="grid min-w-0 flex-1 gap-0.5">
                    <span className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{a.name}</span>
                      <AgentStatusBadges agent={a} />
                    </span>
                    <span className="font-mono text-xs break-all text-muted-foreground">{a.clientId}</span>
                  </span>
                </label>
              </li>
            ))}
      </PickerResults>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-external`}>External client_id</Label>
        <div className="flex gap-2">
          <Input
            id={`${id}-external`}
            value={external}
            onChange={(e) => setExternal(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addExternal();
              }
            }}
            placeholder="https://agent.example.com/client.json"
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
          />
          <Button variant="secondary" onClick={addExternal} disabled={!external.trim()}>
            <Plus aria-hidden />
            Add client_id
          </Button>
        </div>
        <p className="text-xs text-muted-foreground">An agent registered elsewhere: its client_id URL, or the id your identity provider knows it by.</p>
      </div>
    </fieldset>
  );
}
