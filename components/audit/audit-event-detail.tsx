"use client";

import { Filter } from "lucide-react";
import { actorName } from "@/components/audit/describe";
import { integrityExplanation, INTEGRITY_TEXT } from "@/components/audit/integrity-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { formatDate } from "@/lib/client/format";
import type { AuditFilters } from "@/lib/client/query-keys";
import type { AuditEventJson } from "@/lib/client/types";

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Top-level keys whose values differ between before and after. */
function changedKeys(before: unknown, after: unknown): string[] {
  if (!isObject(before) || !isObject(after)) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One event in full: identifiers, and its before/after/data JSON (rendered as text, never HTML). */
export function AuditEventDetail({ event: e, onFilter }: { event: AuditEventJson; onFilter: (f: AuditFilters) => void }) {
  const changed = changedKeys(e.before, e.after);
  const facts: [string, React.ReactNode][] = [
    ["Event id", <code key="id" className="font-mono text-xs break-all">{e.id}</code>],
    ["Stream", e.stream],
    ["Sequence", e.seq],
    ["Chain position", e.chainSeq ?? (e.integrity === "quarantined" ? "none (quarantined)" : "not sealed yet")],
    [
      "Integrity",
      <span key="integrity" className="grid gap-0.5">
        <span className="font-medium">{INTEGRITY_TEXT[e.integrity]}</span>
        <span className="text-xs text-muted-foreground">{integrityExplanation(e)}</span>
      </span>,
    ],
    ["Sealed", e.sealedAt ? formatDate(e.sealedAt, true) : "—"],
    ["Actor", `${e.actor.type}${e.actor.id ? ` · ${e.actor.id}` : ""}`],
    [
      "Credential",
      e.credential ? (
        <span key="credential" className="grid gap-0.5">
          <span>{e.credential.via === "token" ? "API token" : e.credential.via === "cli" ? "Command line" : "Console session"}{e.credential.label ? ` ${e.credential.label}` : ""}</span>
          {e.credential.id && <code className="font-mono text-xs break-all text-muted-foreground">{e.credential.id}</code>}
        </span>
      ) : (
        "—"
      ),
    ],
    [
      "Client",
      e.client ? (
        <span key="client" className="grid gap-0.5">
          <span className="font-mono text-xs">{e.client.address ?? "address unknown"}</span>
          {e.client.userAgent && <span className="text-xs break-all text-muted-foreground">{e.client.userAgent}</span>}
        </span>
      ) : (
        "—"
      ),
    ],
    ["Target", e.target ? `${e.target.type}${e.target.id ? ` · ${e.target.id}` : ""}` : "—"],
  ];
  const actorFilter = e.actor.id ?? e.actor.label ?? undefined;

  return (
    <div className="grid gap-4 px-4 py-4 sm:px-6">
      {e.quarantine && (
        <Alert tone="warning" title={`Quarantined ${formatDate(e.quarantine.at, true)}`}>
          The sealer set this event aside instead of chaining it: {e.quarantine.reason ?? "no reason recorded"}.
        </Alert>
      )}
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
        {facts.map(([k, v]) => (
          <div key={k} className="grid min-w-0 gap-0.5">
            <dt className="text-xs text-muted-foreground">{k}</dt>
            <dd className="min-w-0 break-words">{v}</dd>
          </div>
        ))}
      </dl>

      {changed.length > 0 && (
        <p className="text-sm">
          <span className="text-muted-foreground">Changed: </span>
          {changed.map((k, i) => (
            <span key={k}>
              {i > 0 && ", "}
              <code className="font-mono text-xs">{k}</code>
            </span>
          ))}
        </p>
      )}

      {(e.before !== null || e.after !== null) && (
        <div className="grid gap-3 md:grid-cols-2">
          <JsonBlock title="Before" value={e.before} />
          <JsonBlock title="After" value={e.after} />
        </div>
      )}
      {e.data !== null && <JsonBlock title="Data" value={e.data} />}

      <div className="flex flex-wrap gap-2">
        {actorFilter && (
          <Button variant="secondary" size="sm" onClick={() => onFilter({ actor: actorFilter })}>
            <Filter aria-hidden />
            Events by {actorName(e)}
          </Button>
        )}
        <Button variant="secondary" size="sm" onClick={() => onFilter({ action: e.action })}>
          <Filter aria-hidden />
          All {e.action} events
        </Button>
      </div>
    </div>
  );
}

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  const text = value === null || value === undefined ? null : pretty(value);
  return (
    <section className="grid min-w-0 content-start gap-1.5">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-medium tracking-wide text-muted-foreground uppercase">{title}</h3>
        {text && <CopyButton value={text} label="Copy" variant="ghost" aria-label={`Copy ${title} JSON`} />}
      </div>
      {text ? (
        <pre className="max-h-80 overflow-auto rounded-lg border bg-card p-3 font-mono text-xs leading-relaxed">{text}</pre>
      ) : (
        <p className="rounded-lg border border-dashed p-3 text-xs text-muted-foreground">Nothing recorded</p>
      )}
    </section>
  );
}
