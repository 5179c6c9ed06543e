"use client";

import { useMemo } from "react";
import { diffWordsWithSpace } from "diff";
import { DocumentDiff } from "@/components/registry/review/document-diff";
import { Badge } from "@/components/ui/badge";
import type { SnapshotDiff as Diff } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// What changed from the pinned snapshot: tools and prompts added, removed, and each changed
// field's before and after. Text fields (descriptions, titles, instructions) as a word diff that
// wraps, so an appended sentence is never scrolled out of sight; schemas and other JSON line by
// line. Invisible characters are revealed on both sides: a zero-width insertion is a change the
// reviewer must see.

type ListDiff = Diff["tools"];

/** Every string inside a JSON value with its invisible characters revealed. */
function revealDeep(v: unknown): unknown {
  if (typeof v === "string") return revealInvisible(v);
  if (Array.isArray(v)) return v.map(revealDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [revealInvisible(k), revealDeep(x)]));
  return v;
}

const isText = (v: unknown) => typeof v === "string" || v === null || v === undefined;

/** Two strings as one wrapped paragraph: removed words struck through, added ones highlighted. */
export function TextDiff({ before, after }: { before: string | null | undefined; after: string | null | undefined }) {
  const parts = useMemo(() => diffWordsWithSpace(revealInvisible(before ?? ""), revealInvisible(after ?? "")), [before, after]);
  return (
    <figure className="grid gap-1">
      <figcaption className="flex flex-wrap gap-3 text-xs text-muted-foreground">
        <span className="font-mono text-red-700 dark:text-red-300">− pinned</span>
        <span className="font-mono text-emerald-700 dark:text-emerald-300">+ now</span>
        {before == null && <span>(not set before)</span>}
        {after == null && <span>(removed)</span>}
      </figcaption>
      <p className="rounded-md border bg-muted/40 p-2 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
        {parts.map((p, i) =>
          p.added ? (
            <ins key={i} className="bg-emerald-100/70 text-emerald-900 no-underline dark:bg-emerald-500/15 dark:text-emerald-200">
              <span className="sr-only">[added: </span>
              {p.value}
              <span className="sr-only">]</span>
            </ins>
          ) : p.removed ? (
            <del key={i} className="bg-red-100/70 text-red-900 dark:bg-red-500/15 dark:text-red-200">
              <span className="sr-only">[removed: </span>
              {p.value}
              <span className="sr-only">]</span>
            </del>
          ) : (
            <span key={i}>{p.value}</span>
          ),
        )}
      </p>
    </figure>
  );
}

/** One changed field: text as words, anything else as JSON lines. */
export function FieldDiff({ before, after }: { before: unknown; after: unknown }) {
  if (isText(before) && isText(after)) return <TextDiff before={before as string | null} after={after as string | null} />;
  return <DocumentDiff before={revealDeep(before)} after={revealDeep(after)} beforeLabel="pinned" afterLabel="now" />;
}

function Names({ tone, label, names }: { tone: "warning" | "danger"; label: string; names: string[] }) {
  if (!names.length) return null;
  return (
    <p className="flex flex-wrap items-center gap-1.5 text-sm">
      <Badge tone={tone}>{label}</Badge>
      {names.map((n) => (
        <code key={n} className="rounded bg-muted px-1.5 py-0.5 text-xs">
          {revealInvisible(n)}
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
        <div key={c.name} className="grid gap-2 rounded-lg border bg-card p-3">
          <p className="text-sm">
            <Badge tone="info">changed</Badge> <code className="text-xs font-semibold">{revealInvisible(c.name)}</code>
          </p>
          {c.fields.map((f) => (
            <div key={f.field} className="grid gap-1">
              <span className="text-xs font-medium text-muted-foreground">{f.field}</span>
              <FieldDiff before={f.before} after={f.after} />
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}

const count = (l: ListDiff) => l.added.length + l.removed.length + l.changed.length;

export function SnapshotDiff({ diff }: { diff: Diff }) {
  const data = count(diff.resources) + count(diff.resourceTemplates);
  return (
    <div className="grid gap-4">
      <Section title="Tools" list={diff.tools} />
      <Section title="Prompts" list={diff.prompts} />
      {diff.instructions && (
        <section className="grid gap-1" aria-label="Server instructions">
          <h3 className="text-sm font-semibold">Server instructions</h3>
          <TextDiff before={diff.instructions.before} after={diff.instructions.after} />
        </section>
      )}
      {!diff.detected && <p className="text-sm text-muted-foreground">Tools, prompts and instructions are as pinned.</p>}
      {data > 0 && (
        <p className="text-xs text-muted-foreground">
          Resources and templates changed too ({diff.resources.added.length + diff.resourceTemplates.added.length} added,{" "}
          {diff.resources.removed.length + diff.resourceTemplates.removed.length} removed, {diff.resources.changed.length + diff.resourceTemplates.changed.length} changed); they list data and
          do not count as drift.
        </p>
      )}
    </div>
  );
}
