"use client";

import { useMemo } from "react";
import { jsonDiff } from "@/lib/registry/json-diff";
import { cn } from "@/lib/client/cn";

/** The submitted document against the approved version it follows, line by line. */
export function DocumentDiff({ before, after, beforeLabel, afterLabel }: { before: unknown; after: unknown; beforeLabel: string; afterLabel: string }) {
  const diff = useMemo(() => jsonDiff(before, after), [before, after]);
  return (
    <figure className="grid gap-2">
      <figcaption className="flex flex-wrap items-center gap-3 text-xs text-muted-foreground">
        <span>
          <span className="font-mono text-red-700 dark:text-red-300">− {beforeLabel}</span>
        </span>
        <span>
          <span className="font-mono text-emerald-700 dark:text-emerald-300">+ {afterLabel}</span>
        </span>
        <span>
          {diff.added} line{diff.added === 1 ? "" : "s"} added, {diff.removed} removed
        </span>
      </figcaption>
      {diff.added === 0 && diff.removed === 0 ? (
        <p className="rounded-md bg-muted p-3 text-sm">The documents are the same (apart from key order).</p>
      ) : (
        <pre className="max-h-[32rem] overflow-auto rounded-md border bg-muted/40 py-2 font-mono text-xs leading-relaxed" aria-label="Differences">
          {diff.lines.map((l, i) =>
            l.kind === "fold" ? (
              <div key={i} className="px-3 py-0.5 text-muted-foreground italic select-none">
                ⋯ {l.count} unchanged line{l.count === 1 ? "" : "s"}
              </div>
            ) : (
              <div
                key={i}
                className={cn(
                  "px-3 whitespace-pre",
                  l.kind === "added" && "bg-emerald-100/70 text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-200",
                  l.kind === "removed" && "bg-red-100/70 text-red-900 dark:bg-red-500/15 dark:text-red-200",
                )}
              >
                <span aria-hidden className="mr-2 inline-block w-3 select-none">
                  {l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}
                </span>
                <span className="sr-only">{l.kind === "added" ? "added: " : l.kind === "removed" ? "removed: " : ""}</span>
                {l.text}
              </div>
            ),
          )}
        </pre>
      )}
    </figure>
  );
}
