"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import { useRetireKeyMutation, type AgentDetail, type AgentKey } from "@/lib/client/agents";

/** How long ago, in one unit: "3 days", "5 hours". */
export function ageOf(iso: string | null, now = Date.now()): string {
  if (!iso) return "—";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return "—";
  const units: [string, number][] = [
    ["year", 365 * 86_400_000],
    ["month", 30 * 86_400_000],
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "under a minute";
}

const SOURCES: Record<AgentKey["source"], string> = { generated: "generated here", registered: "registered", document: "in the document" };

const STATES: Record<AgentKey["state"], { label: string; tone: BadgeTone; hint: string }> = {
  active: { label: "Active", tone: "success", hint: "Served now: authorization servers accept assertions signed with it." },
  pending: { label: "In review", tone: "info", hint: "Added by a version in review; served once it is approved." },
  retiring: { label: "Retiring", tone: "warning", hint: "Still served; a version in review removes it." },
  retired: { label: "Retired", tone: "neutral", hint: "No longer served." },
};

export function KeyTable({ agent, items, canChange }: { agent: AgentDetail; items: AgentKey[]; canChange: boolean }) {
  const retire = useRetireKeyMutation(agent.id);
  const [retiring, setRetiring] = useState<AgentKey | null>(null);
  return (
    <>
      {/* A table from sm up; on phones each key is a card. */}
      <Table aria-label="Keys" containerClassName="hidden sm:block">
        <TableHeader>
          <TableRow>
            <TableHead className="pl-4">Key id (kid)</TableHead>
            <TableHead>Algorithm</TableHead>
            <TableHead>Thumbprint (RFC 7638)</TableHead>
            <TableHead>State</TableHead>
            <TableHead>Age</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((k) => (
            <TableRow key={k.thumbprint}>
              <TableCell className="max-w-56 pl-4">
                <code className="font-mono text-xs break-all">{k.kid ?? "(none)"}</code>
                <span className="block text-xs text-muted-foreground">
                  {SOURCES[k.source] ?? k.source}
                  {k.createdBy?.name ? ` by ${k.createdBy.name}` : ""}
                </span>
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <span className="font-mono text-xs">{k.alg ?? "—"}</span>
                <span className="block text-xs text-muted-foreground">
                  {k.kty}
                  {k.crv ? ` ${k.crv}` : ""}
                </span>
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <code className="max-w-48 truncate font-mono text-xs" title={k.thumbprint}>
                    {k.thumbprint}
                  </code>
                  <CopyButton value={k.thumbprint} label="Copy" aria-label={`Copy the thumbprint of ${k.kid ?? "this key"}`} />
                </div>
              </TableCell>
              <TableCell>
                <Badge tone={STATES[k.state].tone} title={STATES[k.state].hint}>
                  {STATES[k.state].label}
                </Badge>
                {k.state === "retired" && k.retiredAt && <span className="block text-xs text-muted-foreground">since {formatDate(k.retiredAt)}</span>}
              </TableCell>
              <TableCell className="whitespace-nowrap" title={formatDate(k.createdAt, true)}>
                {ageOf(k.createdAt)}
              </TableCell>
              <TableCell className="text-right">
                {canChange && k.state === "active" && k.kid && (
                  <Button size="sm" variant="destructive-outline" onClick={() => setRetiring(k)} aria-label={`Retire key ${k.kid}`}>
                    Retire
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ul aria-label="Keys" className="divide-y sm:hidden">
        {items.map((k) => (
          <li key={k.thumbprint} className="grid gap-2 p-4 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={STATES[k.state].tone}>{STATES[k.state].label}</Badge>
              <span className="font-mono text-xs">{k.alg ?? k.kty}</span>
              <span className="text-xs text-muted-foreground">{ageOf(k.createdAt)}</span>
            </div>
            <code className="font-mono text-xs break-all">{k.kid ?? "(no kid)"}</code>
            <span className="text-xs text-muted-foreground">{SOURCES[k.source] ?? k.source}</span>
            <code className="font-mono text-[11px] break-all text-muted-foreground">{k.thumbprint}</code>
            <div className="flex flex-wrap gap-2">
              <CopyButton value={k.thumbprint} label="Copy thumbprint" />
              {canChange && k.state === "active" && k.kid && (
                <Button size="sm" variant="destructive-outline" onClick={() => setRetiring(k)} aria-label={`Retire key ${k.kid}`}>
                  Retire
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={retiring !== null}
        onOpenChange={(open) => !open && setRetiring(null)}
        title={`Retire key ${retiring?.kid ?? ""}?`}
        description="A new version without this key goes to review. The key stays served until that version is approved; then assertions signed with it are refused."
        confirmLabel="Retire key"
        destructive
        pending={retire.isPending}
        onConfirm={() =>
          retiring?.kid &&
          retire.mutate(retiring.kid, {
            onSuccess: (r) => toast.success(`Version ${r.version.number}, without key ${retiring.kid}, is in review`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRetiring(null),
          })
        }
      />
    </>
  );
}
