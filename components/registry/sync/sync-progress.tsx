import type { SyncCountsJson } from "@/lib/client/sync";
import { cn } from "@/lib/client/cn";

// The counts of the last (or running) run, and while it runs a progress bar. An upstream does not
// say how many entries it holds, so the bar is indeterminate; the counts say how far it got.

const COUNTS: { key: keyof Omit<SyncCountsJson, "problems">; label: string; tone?: string }[] = [
  { key: "pages", label: "Pages" },
  { key: "seen", label: "Seen" },
  { key: "submitted", label: "Pending review" },
  { key: "admitted", label: "Admitted by rule", tone: "text-emerald-700 dark:text-emerald-300" },
  { key: "unchanged", label: "Unchanged" },
  { key: "skipped", label: "Skipped" },
  { key: "deprecated", label: "Deprecated" },
  { key: "deleted", label: "Deleted" },
  { key: "rejected", label: "Rejected", tone: "text-amber-700 dark:text-amber-300" },
  { key: "errors", label: "Errors", tone: "text-destructive" },
];

export function SyncProgress({ name, counts }: { name: string; counts: SyncCountsJson | null }) {
  return (
    <div className="grid gap-1.5">
      <div
        role="progressbar"
        aria-label={`Syncing ${name}`}
        aria-valuetext={counts ? `${counts.seen} entries seen on ${counts.pages} pages` : "Starting"}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full w-full animate-pulse rounded-full bg-primary/70" />
      </div>
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {counts ? `${counts.seen} entries seen on ${counts.pages} ${counts.pages === 1 ? "page" : "pages"} so far` : "Starting…"}
      </p>
    </div>
  );
}

export function SyncCounts({ counts }: { counts: SyncCountsJson }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-5">
      {COUNTS.map((c) => (
        <div key={c.key} className="grid">
          <dt className="text-xs text-muted-foreground">{c.label}</dt>
          <dd className={cn("text-sm font-semibold tabular-nums", counts[c.key] > 0 && c.tone)}>{counts[c.key] ?? 0}</dd>
        </div>
      ))}
    </dl>
  );
}
