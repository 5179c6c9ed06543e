"use client";

import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { Bot, Plus, UserRound } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Button, buttonClasses } from "@/components/ui/button";
import { DataList, type Column } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { FilterSelect } from "@/components/registry/catalog/filter-select";
import { AgentStatusBadges, EnvironmentBadge, KindBadge, ShortSha } from "@/components/agents/agent-badges";
import { ExportClientIds } from "@/components/agents/export-client-ids";
import { PendingAgentReviews } from "@/components/agents/pending-reviews";
import { useAgentsQuery, type AgentSummary } from "@/lib/client/agents";

const KINDS = [
  { value: "interactive", label: "Interactive" },
  { value: "headless", label: "Headless" },
];
const ENVIRONMENTS = ["production", "staging", "dev"].map((e) => ({ value: e, label: e }));
const STATUSES = [
  { value: "published", label: "Published" },
  { value: "unpublished", label: "Not yet published" },
  { value: "revoked", label: "Revoked" },
];

const COLUMNS: Column<AgentSummary>[] = [
  {
    id: "agent",
    header: "Agent",
    primary: true,
    className: "min-w-56 max-w-md",
    cell: (a) => (
      <div className="grid min-w-0 gap-0.5">
        <Link href={`/agents/${encodeURIComponent(a.id)}`} className="font-medium break-words text-foreground hover:underline focus-visible:underline">
          {a.name}
        </Link>
        <span className="font-mono text-xs break-all text-muted-foreground">{a.slug}</span>
        {a.purpose && <span className="line-clamp-2 text-xs text-muted-foreground">{a.purpose}</span>}
      </div>
    ),
  },
  { id: "kind", header: "Kind", cell: (a) => <KindBadge kind={a.kind} /> },
  { id: "environment", header: "Environment", cell: (a) => <EnvironmentBadge environment={a.environment} /> },
  { id: "status", header: "Status", cell: (a) => <AgentStatusBadges agent={a} /> },
  {
    id: "published",
    header: "Published",
    className: "whitespace-nowrap",
    cell: (a) =>
      a.published ? (
        <div className="grid gap-0.5">
          <span className="text-sm">v{a.published.number}</span>
          <ShortSha sha256={a.published.sha256} />
        </div>
      ) : (
        <span className="text-xs text-muted-foreground">nothing served</span>
      ),
  },
  {
    id: "owners",
    header: "Owners",
    className: "min-w-36",
    cell: (a) => (
      <span className="text-sm">
        {a.owners.length ? a.owners.map((o) => o.name ?? "someone removed").join(", ") : <span className="text-muted-foreground">—</span>}
        {a.ownerTeam && <span className="block text-xs text-muted-foreground">{a.ownerTeam}</span>}
      </span>
    ),
  },
  { id: "servers", header: "Servers", className: "text-right tabular-nums", headerClassName: "text-right", cell: (a) => a.serverCount },
];

/** Agents: every registered OAuth client identity, searchable and filtered. */
export function AgentList() {
  const can = useCan();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [kind, setKind] = useState("");
  const [environment, setEnvironment] = useState("");
  const [status, setStatus] = useState("");
  const [mine, setMine] = useState(false);
  const agents = useAgentsQuery({ q, kind, environment, status, owner: mine ? "me" : undefined });
  const register = can("agents.submit") ? (
    <Link href="/agents/new" className={buttonClasses("primary")}>
      <Plus aria-hidden className="size-4" />
      Register an agent
    </Link>
  ) : undefined;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Agents"
        description="The AI agents allowed to act here, each an OAuth client whose client_id is a URL Portcullis serves. Every change to a document is reviewed; a revoked agent stops being served at once."
        actions={
          <>
            <ExportClientIds />
            {register}
          </>
        }
      />
      {can("reviews.decide") && <PendingAgentReviews />}
      <DataList
        query={agents}
        columns={COLUMNS}
        rowKey={(a) => a.id}
        rowLabel={(a) => a.name}
        caption="Agents"
        noun={["agent", "agents"]}
        filtered={!!(q || kind || environment || status || mine)}
        search={{ value: search, onChange: setSearch, label: "Search agents", placeholder: "Search name, slug, purpose, team" }}
        toolbar={
          <>
            <FilterSelect label="Kind" value={kind} onChange={setKind} options={KINDS} />
            <FilterSelect label="Environment" value={environment} onChange={setEnvironment} options={ENVIRONMENTS} />
            <FilterSelect label="Status" value={status} onChange={setStatus} options={STATUSES} />
            <Button size="sm" variant={mine ? "primary" : "secondary"} aria-pressed={mine} onClick={() => setMine((m) => !m)}>
              <UserRound aria-hidden />
              Mine
            </Button>
          </>
        }
        empty={{
          icon: Bot,
          title: "No agents yet",
          description: "Register an agent to give it a client_id: a URL authorization servers fetch its metadata from, once an approver has reviewed it.",
          action: register,
        }}
      />
    </div>
  );
}
