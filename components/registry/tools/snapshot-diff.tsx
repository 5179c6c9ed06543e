"use client";

import { DocumentDiff } from "@/components/registry/review/document-diff";
import { Badge } from "@/components/ui/badge";
import type { SnapshotDiff as Diff } from "@/lib/client/snapshots";

// What changed from the pinned snapshot: tools and prompts added, removed, and each changed
// field's before and after, line by line.

type ListDiff = Diff["tools"];

function Names({ tone, label, names }: { tone: "warning" | "danger"; label: string; names: string[] }) {
  if (!names.length) return null;
  return (
    <p className="flex flex-wrap items-center gap-1.5 text-sm">
      <Badge tone={tone}>{label}</Badge>
      {names.map((n) => (
        <code key={n} className="rounded bg-muted px-1.5 py-0.5 text-xs">
          {n}
        </code>
      ))}
    </p>
  );
}

function Section({ title, list }: { title: string; list: ListDiff }) {
  if (!list.added.length && !list.removed.length && !list.changed.length) return null;
  return (
    <section className="grid gap-2" aria-label={title}>
      <h3 className="text-sm font-semibold">{title}</h3>
      <Names tone="warning" label="added" names={list.added} />
      <Names tone="danger" label="removed" names={list.removed} />
      {list.changed.map((c) => (
        <div key={c.name} className="grid gap-2 rounded-lg border p-3">
          <p className="text-sm">
            <Badge tone="info">changed</Badge> <code className="text-xs font-semibold">{c.name}</code>
          </p>
          {c.fields.map((f) => (
            <div key={f.field} className="grid gap-1">
              <span className="text-xs font-medium text-muted-foreground">{f.field}</span>
              <DocumentDiff before={f.before} after={f.after} beforeLabel="pinned" afterLabel="now" />
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}

export function SnapshotDiff({ diff }: { diff: Diff }) {
  return (
    <div className="grid gap-4">
      <Section title="Tools" list={diff.tools} />
      <Section title="Prompts" list={diff.prompts} />
      {diff.instructions && (
        <section className="grid gap-1" aria-label="Server instructions">
          <h3 className="text-sm font-semibold">Server instructions</h3>
          <DocumentDiff before={diff.instructions.before} after={diff.instructions.after} beforeLabel="pinned" afterLabel="now" />
        </section>
      )}
      {!diff.detected && <p className="text-sm text-muted-foreground">Tools, prompts and instructions are as pinned.</p>}
      {(diff.resources.added.length > 0 || diff.resources.removed.length > 0) && (
        <p className="text-xs text-muted-foreground">
          Resources changed too ({diff.resources.added.length} added, {diff.resources.removed.length} removed); resources list data and are not counted as drift.
        </p>
      )}
    </div>
  );
}
