"use client";

import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { ClipboardCheck, FileUp, Plus, RefreshCw, Server } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { DataList, type Column } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { FilterSelect } from "@/components/registry/catalog/filter-select";
import { RiskBadge, VersionStateBadge } from "@/components/registry/catalog/status-badges";
import { formatDate, formatRelative } from "@/lib/client/format";
import { useReviewsQuery, useServersQuery, type ServerListItem } from "@/lib/client/servers";
import { rowsOf } from "@/lib/client/list-query";

const STATUS = [
  { value: "approved", label: "Approved" },
  { value: "pending", label: "Pending review" },
  { value: "deprecated", label: "Deprecated" },
  { value: "deleted", label: "Revoked" },
  { value: "rejected", label: "Rejected" },
  { value: "withdrawn", label: "Withdrawn" },
];
const TRANSPORTS = [
  { value: "stdio", label: "stdio" },
  { value: "streamable-http", label: "Streamable HTTP" },
  { value: "sse", label: "SSE" },
];
const REGISTRY_TYPES = ["npm", "pypi", "oci", "nuget", "mcpb"].map((t) => ({ value: t, label: t }));
const RISKS = ["low", "medium", "high", "critical"].map((r) => ({ value: r, label: r }));
const SORTS = [
  { value: "name", label: "name" },
  { value: "updated", label: "recently updated" },
];

const COLUMNS: Column<ServerListItem>[] = [
  {
    id: "server",
    header: "Server",
    primary: true,
    className: "min-w-64 max-w-xl",
    cell: (s) => (
      <div className="grid min-w-0 gap-0.5">
        <Link href={`/servers/${s.id}`} className="font-medium break-all text-foreground hover:underline focus-visible:underline">
          {s.title ?? s.name}
        </Link>
        {s.title && <span className="font-mono text-xs break-all text-muted-foreground">{s.name}</span>}
        {s.description && <span className="line-clamp-2 text-xs text-muted-foreground">{s.description}</span>}
        {s.tags.length > 0 && (
          <span className="mt-1 flex flex-wrap gap-1">
            {s.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </span>
        )}
      </div>
    ),
  },
  {
    id: "version",
    header: "Latest version",
    cell: (s) =>
      s.latest ? (
        <div className="grid justify-items-start gap-1">
          <span className="font-mono text-xs">{s.latest.version}</span>
          <VersionStateBadge state={s.latest.state} status={s.latest.status} />
          {s.pendingCount > 0 && s.latest.state !== "pending" && <span className="text-xs text-muted-foreground">{s.pendingCount} pending</span>}
        </div>
      ) : (
        <span className="text-xs text-muted-foreground">none</span>
      ),
  },
  {
    id: "transport",
    header: "Transport",
    cell: (s) => (
      <div className="flex flex-wrap gap-1">
        {[...(s.latest?.transports ?? []), ...(s.latest?.registryTypes ?? [])].map((t) => (
          <Badge key={t} tone="neutral" className="font-mono">
            {t}
          </Badge>
        ))}
      </div>
    ),
  },
  { id: "risk", header: "Risk", cell: (s) => <RiskBadge risk={s.riskLevel} /> },
  { id: "owner", header: "Owner team", cell: (s) => <span className="text-sm">{s.ownerTeam ?? <span className="text-muted-foreground">—</span>}</span> },
  {
    id: "updated",
    header: "Updated",
    className: "whitespace-nowrap",
    cell: (s) => <span title={formatDate(s.updatedAt, true)}>{formatRelative(s.updatedAt)}</span>,
  },
];

/** Servers: the catalog, searchable and filtered, with the ways in (submit, import, sync, review). */
export function ServerCatalog({ children }: { children?: React.ReactNode }) {
  const can = useCan();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [status, setStatus] = useState("");
  const [transport, setTransport] = useState("");
  const [registryType, setRegistryType] = useState("");
  const [risk, setRisk] = useState("");
  const [sort, setSort] = useState("name");
  const servers = useServersQuery({ q, status, transport, registryType, risk, sort });
  const pending = useReviewsQuery({ state: "pending", type: "server-version" }, { enabled: can("reviews.decide") });
  const pendingCount = rowsOf(pending).length;
  const filtered = !!(q || status || transport || registryType || risk);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Servers"
        description="The catalog of MCP servers: what is approved is what the registry API serves to MCP clients."
        actions={
          <>
            {can("reviews.decide") && (
              <Link href="/servers/reviews" className={buttonClasses("secondary")}>
                <ClipboardCheck aria-hidden className="size-4" />
                Review queue
                {pendingCount > 0 && <Badge tone="info">{pending.hasNextPage ? `${pendingCount}+` : pendingCount}</Badge>}
              </Link>
            )}
            {can("reviews.decide") && (
              <Link href="/servers/sync" className={buttonClasses("secondary")}>
                <RefreshCw aria-hidden className="size-4" />
                Sync
              </Link>
            )}
            {can("servers.submit") && (
              <Link href="/servers/import" className={buttonClasses("secondary")}>
                <FileUp aria-hidden className="size-4" />
                Import
              </Link>
            )}
            {can("servers.submit") && (
              <Link href="/servers/new" className={buttonClasses("primary")}>
                <Plus aria-hidden className="size-4" />
                Submit server
              </Link>
            )}
          </>
        }
      />
      <DataList
        query={servers}
        columns={COLUMNS}
        rowKey={(s) => s.id}
        rowLabel={(s) => s.name}
        caption="Servers"
        noun={["server", "servers"]}
        filtered={filtered}
        search={{ value: search, onChange: setSearch, label: "Search servers", placeholder: "Search name, title, description, tags" }}
        toolbar={
          <>
            <FilterSelect label="Status" value={status} onChange={setStatus} options={STATUS} />
            <FilterSelect label="Transport" value={transport} onChange={setTransport} options={TRANSPORTS} />
            <FilterSelect label="Package" value={registryType} onChange={setRegistryType} options={REGISTRY_TYPES} />
            <FilterSelect label="Risk" value={risk} onChange={setRisk} options={RISKS} />
            <Select size="sm" aria-label="Sort" value={sort} onValueChange={setSort} options={SORTS.map((o) => ({ value: o.value, label: `Sort: ${o.label}` }))} className="w-auto min-w-36" />
          </>
        }
        empty={{
          icon: Server,
          title: "No servers yet",
          description: "Submit a server.json, import a file of them, or sync from an upstream registry. Approved versions appear in the registry API at once.",
          action: can("servers.submit") ? (
            <Link href="/servers/new" className={buttonClasses("primary")}>
              <Plus aria-hidden className="size-4" />
              Submit server
            </Link>
          ) : undefined,
        }}
      />
      {children}
    </div>
  );
}
