"use client";

import { Search } from "lucide-react";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/client/api";
import { cn } from "@/lib/client/cn";

// The parts every searchable picker shares (catalog servers, agents, policy targets): a search
// box with a spinner while the query runs, and a scrolling list with its error and empty states.

export function PickerSearch({ value, onChange, label, busy }: { value: string; onChange: (value: string) => void; label: string; busy: boolean }) {
  return (
    <div className="relative">
      <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input type="search" value={value} onChange={(e) => onChange(e.target.value)} placeholder={label} aria-label={label} className="pl-9" />
      {busy && (
        <span className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground">
          <Spinner label="Searching" />
        </span>
      )}
    </div>
  );
}

/** The scrolling results: the query's error, else `empty` (a message) when there is nothing to
 * list, else the list itself. */
export function PickerResults({ error, empty, listLabel, className, children }: { error: unknown; empty: string | null; listLabel: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={cn("max-h-52 overflow-y-auto rounded-md border", className)}>
      {error ? (
        <p role="alert" className="p-3 text-sm text-destructive">
          {errorMessage(error)}
        </p>
      ) : empty !== null ? (
        <p className="p-3 text-sm text-muted-foreground">{empty}</p>
      ) : (
        <ul aria-label={listLabel} className="divide-y">
          {children}
        </ul>
      )}
    </div>
  );
}
