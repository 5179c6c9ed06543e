"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/client/cn";
import type { SnapshotDetail } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// A snapshot's prompts, resources and resource templates as compact tables. The strings are the
// server's, shown as text with invisible characters revealed.

const PAGE = 20;

type Item = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? revealInvisible(v) : "");

/** A compact table of a snapshot's list, 20 rows at first and "show more" beyond. */
function ItemTable({ label, items, columns }: { label: string; items: Item[]; columns: { head: string; cell: (item: Item) => React.ReactNode; className?: string }[] }) {
  const [shown, setShown] = useState(PAGE);
  if (!items.length) return null;
  return (
    <section className="grid gap-2" aria-label={label}>
      <h3 className="text-sm font-semibold">
        {label} ({items.length})
      </h3>
      <Table containerClassName="rounded-lg border">
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHead key={c.head} className="h-8 px-3">
                {c.head}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.slice(0, shown).map((item, i) => (
            <TableRow key={i}>
              {columns.map((c) => (
                <TableCell key={c.head} className={cn("px-3 py-2 align-top text-xs", c.className)}>
                  {c.cell(item)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.length > shown && (
        <Button variant="ghost" size="sm" className="w-fit" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, items.length - shown)} more of {items.length - shown}
        </Button>
      )}
    </section>
  );
}

function promptArguments(p: Item) {
  if (!Array.isArray(p.arguments) || !p.arguments.length) return <span className="text-muted-foreground">none</span>;
  return (
    <ul className="grid gap-0.5">
      {(p.arguments as Item[]).map((a, i) => (
        <li key={i}>
          <span className="font-mono">{str(a.name)}</span>
          {a.required === true && <span className="ml-1 text-amber-700 dark:text-amber-300">required</span>}
          {typeof a.description === "string" && <span className="text-muted-foreground"> · {str(a.description)}</span>}
        </li>
      ))}
    </ul>
  );
}

function mono(key: string) {
  return function MonoCell(item: Item) {
    return <span className="font-mono break-all">{str(item[key])}</span>;
  };
}
function text(key: string) {
  return function TextCell(item: Item) {
    return <span className="break-words whitespace-pre-wrap">{str(item[key])}</span>;
  };
}

const LISTS = [
  ["prompts", "prompts"],
  ["resources", "resources"],
  ["resourceTemplates", "resource templates"],
] as const;

export function PromptsAndResources({ snapshot }: { snapshot: SnapshotDetail }) {
  // Empty lists in one line: whether the server declares the capability at all, or lists nothing.
  const caps = (snapshot.capabilities ?? {}) as Record<string, unknown>;
  const empty = LISTS.filter(([k]) => !snapshot[k].length).map(([k, label]) => `${label}${caps[k === "resourceTemplates" ? "resources" : k] ? "" : " (not declared)"}`);
  return (
    <div className="grid gap-4">
      {empty.length > 0 && <p className="text-sm text-muted-foreground">No {empty.join(", ")}.</p>}
      <ItemTable
        label="Prompts"
        items={snapshot.prompts as Item[]}
        columns={[
          { head: "Name", cell: mono("name"), className: "w-1/4" },
          { head: "Description", cell: text("description") },
          { head: "Arguments", cell: promptArguments, className: "w-1/3" },
        ]}
      />
      <ItemTable
        label="Resources"
        items={snapshot.resources as Item[]}
        columns={[
          { head: "URI", cell: mono("uri"), className: "w-2/5" },
          { head: "Name", cell: (r) => str(r.title ?? r.name) },
          { head: "Type", cell: mono("mimeType") },
        ]}
      />
      <ItemTable
        label="Resource templates"
        items={snapshot.resourceTemplates as Item[]}
        columns={[
          { head: "URI template", cell: mono("uriTemplate"), className: "w-2/5" },
          { head: "Name", cell: (r) => str(r.title ?? r.name) },
          { head: "Type", cell: mono("mimeType") },
        ]}
      />
    </div>
  );
}
