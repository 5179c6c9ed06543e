"use client";

import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/lib/client/format";
import { EVERYONE } from "@/lib/xaa/schema";
import type { PolicyDocument } from "@/lib/client/policies";
import { useAgentNames } from "./agent-names";
import { EffectBadge } from "./policy-badges";

const none = <span className="text-muted-foreground">—</span>;

function Chips({ items, mono = true, empty = none }: { items: string[]; mono?: boolean; empty?: React.ReactNode }) {
  if (!items.length) return <>{empty}</>;
  return (
    <span className="flex flex-wrap gap-1">
      {items.map((s) => (
        <Badge key={s} className={mono ? "font-mono" : undefined}>
          {s === EVERYONE ? "* (everyone)" : s}
        </Badge>
      ))}
    </span>
  );
}

/** A policy version's document, member by member, for people (the sentence's long form). */
export function PolicyFacts({ doc }: { doc: PolicyDocument }) {
  const nameOf = useAgentNames(doc.agents);
  const c = doc.conditions;
  const rows: [string, React.ReactNode][] = [
    ["Effect", <EffectBadge key="e" effect={doc.effect} />],
    [
      "Agents",
      <ul key="a" className="grid gap-1">
        {doc.agents.map((a) => (
          <li key={a} className="grid">
            {nameOf(a) !== a && <span className="font-medium">{nameOf(a)}</span>}
            <code className="font-mono text-xs break-all text-muted-foreground">{a}</code>
          </li>
        ))}
      </ul>,
    ],
    ["Groups", <Chips key="g" items={doc.subjects.include.groups} />],
    ["Users", <Chips key="u" items={doc.subjects.include.users} />],
    ["Except groups", <Chips key="xg" items={doc.subjects.exclude.groups} />],
    ["Except users", <Chips key="xu" items={doc.subjects.exclude.users} />],
    ["Server", <code key="s" className="font-mono text-xs break-all">{doc.target.server}</code>],
    ["Audience", <code key="au" className="font-mono text-xs break-all">{doc.target.audience}</code>],
    ["Resource", <code key="r" className="font-mono text-xs break-all">{doc.target.resource}</code>],
    ["Scopes", <Chips key="sc" items={doc.scopes} empty={<span>every scope of the server</span>} />],
    ["Valid", <span key="v">{c.validFrom || c.validUntil ? `${c.validFrom ? `from ${formatDate(c.validFrom)} ` : ""}${c.validUntil ? `until ${formatDate(c.validUntil)}` : ""}` : "at any time"}</span>],
    ["Environments", <Chips key="env" items={c.environments} mono={false} empty={<span>any</span>} />],
    ["Max token lifetime", <span key="ttl">{c.maxTokenLifetimeSeconds} s</span>],
    [
      "Step-up",
      c.stepUp.scopes.length ? (
        <span key="su" className="grid gap-1">
          <Chips items={c.stepUp.scopes} />
          <span className="text-xs text-muted-foreground">
            {[c.stepUp.acr ? `acr ${c.stepUp.acr}` : null, c.stepUp.maxAgeSeconds !== null ? `signed in within ${c.stepUp.maxAgeSeconds} s` : null].filter(Boolean).join(", ")}
          </span>
        </span>
      ) : (
        <span key="su">none</span>
      ),
    ],
  ];
  // A deny has no token lifetime or step-up: it refuses whatever the authentication.
  const shown = doc.effect === "deny" ? rows.filter(([k]) => k !== "Max token lifetime" && k !== "Step-up") : rows;
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-2.5 text-sm">
      {shown.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-xs font-medium text-muted-foreground">{k}</dt>
          <dd className="min-w-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
