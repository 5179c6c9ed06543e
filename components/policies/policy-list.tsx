"use client";

import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { FlaskConical, Grid3x3, Plus, ShieldCheck } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { DataList, type Column } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { FilterSelect } from "@/components/registry/catalog/filter-select";
import { formatDay, formatDate } from "@/lib/client/format";
import { rowsOf } from "@/lib/client/list-query";
import { useServersQuery } from "@/lib/client/servers";
import { usePoliciesQuery, type PolicySummary } from "@/lib/client/policies";
import { useAgentNames } from "./agent-names";
import { EffectBadge, PolicyStatusBadges, SuspendedBadge } from "./policy-badges";
import { PendingPolicyReviews } from "./pending-reviews";

const STATES = [
  { value: "active", label: "Active" },
  { value: "disabled", label: "Disabled" },
  { value: "pending", label: "Pending review" },
];
const EFFECTS = [
  { value: "allow", label: "Allow" },
  { value: "deny", label: "Deny" },
];

function AgentsCell({ agents }: { agents: string[] }) {
  const nameOf = useAgentNames(agents);
  if (!agents.length) return <span className="text-xs text-muted-foreground">—</span>;
  return (
    <span className="grid gap-0.5 text-sm">
      <span className="break-words" title={agents[0]}>
        {nameOf(agents[0])}
      </span>
      {agents.length > 1 && <span className="text-xs text-muted-foreground">and {agents.length - 1} more</span>}
    </span>
  );
}

function ScopesCell({ scopes }: { scopes: string[] }) {
  if (!scopes.length) return <span className="text-xs text-muted-foreground">every scope</span>;
  const shown = scopes.slice(0, 3);
  return (
    <span className="flex flex-wrap gap-1" title={scopes.join(" ")}>
      {shown.map((s) => (
        <Badge key={s} className="font-mono">
          {s}
        </Badge>
      ))}
      {scopes.length > shown.length && <span className="text-xs text-muted-foreground">+{scopes.length - shown.length}</span>}
    </span>
  );
}

const COLUMNS: Column<PolicySummary>[] = [
  {
    id: "name",
    header: "Policy",
    primary: true,
    className: "min-w-48 max-w-sm",
    cell: (p) => (
      <div className="grid min-w-0 gap-0.5">
        <Link href={`/policies/${encodeURIComponent(p.id)}`} className="font-medium break-words text-foreground hover:underline focus-visible:underline">
          {p.name}
        </Link>
        <span className="text-xs text-muted-foreground" title={formatDate(p.updatedAt, true)}>
          {p.activeVersion ? `v${p.activeVersion.number} in effect` : "no version in effect"} · changed {formatDay(p.updatedAt)}
        </span>
      </div>
    ),
  },
  { id: "effect", header: "Effect", cell: (p) => <EffectBadge effect={p.effect} /> },
  {
    id: "server",
    header: "Target server",
    className: "max-w-56",
    cell: (p) => (p.server ? <span className="font-mono text-xs break-all">{p.server.name}</span> : <span className="text-xs text-muted-foreground">—</span>),
  },
  { id: "agents", header: "Agents", className: "max-w-48", cell: (p) => <AgentsCell agents={p.agents} /> },
  { id: "scopes", header: "Scopes", className: "max-w-56", cell: (p) => <ScopesCell scopes={p.scopes} /> },
  {
    id: "status",
    header: "Status",
    cell: (p) => (
      <span className="inline-flex flex-wrap items-center gap-1">
        <PolicyStatusBadges status={p.status} pending={p.pending} />
        {p.suspended && <SuspendedBadge reason={p.suspended} />}
      </span>
    ),
  },
];

/** Policies: every delegation policy, searchable and filtered, with the simulator and matrix a click away. */
export function PolicyList() {
  const can = useCan();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [state, setState] = useState("");
  const [effect, setEffect] = useState("");
  const [server, setServer] = useState("");
  const policies = usePoliciesQuery({ q, state, effect, server });
  // Servers policies may target: the approved ones in the catalog.
  const servers = rowsOf(useServersQuery({ status: "approved", sort: "name" }));
  const create = can("policies.submit") ? (
    <Link href="/policies/new" className={buttonClasses("primary")}>
      <Plus aria-hidden className="size-4" />
      New policy
    </Link>
  ) : undefined;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Policies"
        description={
          <>
            Enterprise-managed authorization (XAA): which agents may act for which people and groups, with which scopes, at which server. Every change is a new version
            that someone other than its author approves; the decision point answers with the active versions only.
          </>
        }
        actions={
          <>
            <Link href="/policies/simulator" className={buttonClasses("secondary")}>
              <FlaskConical aria-hidden className="size-4" />
              Simulator
            </Link>
            <Link href="/policies/matrix" className={buttonClasses("secondary")}>
              <Grid3x3 aria-hidden className="size-4" />
              Matrix
            </Link>
            {create}
          </>
        }
      />
      {can("reviews.decide") && <PendingPolicyReviews />}
      <DataList
        query={policies}
        columns={COLUMNS}
        rowKey={(p) => p.id}
        rowLabel={(p) => p.name}
        caption="Policies"
        noun={["policy", "policies"]}
        filtered={!!(q || state || effect || server)}
        search={{ value: search, onChange: setSearch, label: "Search policies", placeholder: "Search policy names" }}
        toolbar={
          <>
            <FilterSelect label="Status" value={state} onChange={setState} options={STATES} />
            <FilterSelect label="Effect" value={effect} onChange={setEffect} options={EFFECTS} />
            <FilterSelect label="Server" value={server} onChange={setServer} options={servers.map((s) => ({ value: s.name, label: s.name }))} />
          </>
        }
        empty={{
          icon: ShieldCheck,
          title: "No delegation policies yet",
          description: "Without a policy every delegation is denied. Write one to let an agent act for a group of people at a server, with the scopes you choose.",
          action: create,
        }}
      />
    </div>
  );
}
