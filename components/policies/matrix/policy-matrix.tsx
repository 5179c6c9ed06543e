"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FlaskConical, Grid3x3, ShieldAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { rowsOf } from "@/lib/client/list-query";
import { usePoliciesQuery, usePolicyMatrixQuery, type PolicyMatrix } from "@/lib/client/policies";
import { EVERYONE } from "@/lib/xaa/schema";
import { ServerRadioList } from "../editor/target-fields";

const ACTIVE = "__active__";

/**
 * Policies > Matrix: for one server, which agents may act for which groups, with which scopes
 * (step-up ones marked); optionally with a version under review in place of its policy's.
 */
export function PolicyMatrixPage({ server: initialServer, versionId: initialVersion }: { server: string; versionId?: string }) {
  const router = useRouter();
  const [server, setServer] = useState(initialServer);
  const [versionId, setVersionId] = useState(initialVersion ?? "");
  const pending = rowsOf(usePoliciesQuery({ state: "pending", server: server || undefined }, { pageSize: 100 }));
  const matrix = usePolicyMatrixQuery(server, versionId || undefined);
  const versionOptions = [
    { value: ACTIVE, label: "Active policies only" },
    ...pending.filter((p) => p.pending).map((p) => ({ value: p.pending!.versionId, label: `${p.name}, v${p.pending!.number} (in review)` })),
  ];
  if (versionId && !versionOptions.some((o) => o.value === versionId)) versionOptions.push({ value: versionId, label: `Version ${versionId}` });

  const go = (s: string, v: string) => {
    const q = new URLSearchParams();
    if (s) q.set("server", s);
    if (v) q.set("versionId", v);
    const qs = q.toString();
    router.replace(`/policies/matrix${qs ? `?${qs}` : ""}`, { scroll: false });
  };

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Policy matrix"
        description="For one server: which agents may act for which groups, and the scopes each pair would be granted. Read across a row to see an agent's reach; down a column to see what a group lets agents do."
        actions={
          <>
            <Link href="/policies" className={buttonClasses("secondary")}>
              Policies
            </Link>
            <Link href={`/policies/simulator${server ? `?server=${encodeURIComponent(server)}` : ""}`} className={buttonClasses("secondary")}>
              <FlaskConical aria-hidden className="size-4" />
              Simulator
            </Link>
          </>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,3fr)]">
        <Card>
          <CardContent className="grid gap-5 pt-5">
            <ServerRadioList
              legend="Server"
              hint="An approved catalog server."
              value={server}
              onChange={(s) => {
                setServer(s);
                setVersionId("");
                go(s, "");
              }}
            />
            <Field label="Evaluate with" hint="A version under review in place of its policy's active one.">
              {(p) => (
                <Select
                  {...p}
                  value={versionId || ACTIVE}
                  onValueChange={(v) => {
                    const next = v === ACTIVE ? "" : v;
                    setVersionId(next);
                    go(server, next);
                  }}
                  options={versionOptions}
                />
              )}
            </Field>
          </CardContent>
        </Card>
        <Card className="overflow-hidden">
          {!server ? (
            <EmptyState icon={Grid3x3} title="Choose a server" description="The matrix shows one server's agents and groups at a time." />
          ) : matrix.isPending ? (
            <TableSkeleton rows={4} columns={4} label="Loading the matrix" />
          ) : matrix.isError ? (
            <ErrorState error={matrix.error} title="Could not load the matrix" onRetry={() => void matrix.refetch()} />
          ) : (
            <MatrixTable matrix={matrix.data} busy={matrix.isFetching} />
          )}
        </Card>
      </div>
    </div>
  );
}

function MatrixTable({ matrix, busy }: { matrix: PolicyMatrix; busy: boolean }) {
  const cells = new Map(matrix.cells.map((c) => [`${c.clientId}\u0000${c.group}`, c]));
  const caption = `Scopes granted at ${matrix.server.name}, by agent and group`;
  return (
    <div className="grid" aria-busy={busy || undefined}>
      <CardHeader>
        <CardTitle className="font-mono break-all">{matrix.server.name}</CardTitle>
        <CardDescription>
          Audience <code className="font-mono break-all">{matrix.audience ?? "—"}</code>
          {matrix.resource && (
            <>
              , resource <code className="font-mono break-all">{matrix.resource}</code>
            </>
          )}
          . <ShieldAlert aria-hidden className="inline size-3.5 align-[-2px]" /> marks a scope that needs a step-up sign-in.
        </CardDescription>
      </CardHeader>
      {matrix.agents.length === 0 || matrix.groups.length === 0 ? (
        <EmptyState icon={Grid3x3} title="No policy grants anything here" description="No active allow policy names an agent and a group at this server." />
      ) : (
        <div className="overflow-x-auto border-t">
          <table aria-label={caption} className="w-full border-collapse text-sm">
            <thead className="bg-muted/60">
              <tr>
                <th scope="col" className="sticky left-0 z-10 h-10 border-b bg-[color-mix(in_oklab,var(--color-muted)_60%,var(--color-card))] px-4 text-left text-xs font-medium tracking-wide text-muted-foreground uppercase">
                  Agent \ group
                </th>
                {matrix.groups.map((g) => (
                  <th key={g} scope="col" className="h-10 border-b px-4 text-left font-mono text-xs font-medium whitespace-nowrap text-muted-foreground">
                    {g === EVERYONE ? "* (everyone)" : g}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.agents.map((a) => (
                <tr key={a.clientId} className="border-b last:border-0">
                  <th scope="row" className="sticky left-0 z-10 min-w-48 bg-card px-4 py-3 text-left align-top font-normal">
                    <span className="grid">
                      <span className="font-medium">{a.name ?? "External agent"}</span>
                      <code className="font-mono text-xs break-all text-muted-foreground">{a.clientId}</code>
                      {a.refused && (
                        <Badge tone="danger" className="mt-1 w-fit">
                          refused: not published here
                        </Badge>
                      )}
                    </span>
                  </th>
                  {matrix.groups.map((g) => {
                    const cell = cells.get(`${a.clientId}\u0000${g}`);
                    const up = new Set(cell?.stepUp ?? []);
                    return (
                      <td key={g} className="min-w-36 px-4 py-3 align-top" data-testid={`cell:${a.clientId}|${g}`}>
                        {cell && cell.scopes.length > 0 ? (
                          <span className="flex flex-wrap gap-1">
                            {cell.scopes.map((s) => (
                              <Badge key={s} tone={up.has(s) ? "warning" : "success"} className="font-mono">
                                {s}
                                {up.has(s) && (
                                  <>
                                    <ShieldAlert aria-hidden />
                                    <span className="sr-only"> (step-up)</span>
                                  </>
                                )}
                              </Badge>
                            ))}
                          </span>
                        ) : (
                          <span className="text-xs text-muted-foreground">
                            <span aria-hidden>—</span>
                            <span className="sr-only">nothing</span>
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
