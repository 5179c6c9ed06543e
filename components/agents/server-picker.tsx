"use client";

import { PickerResults, PickerSearch } from "@/components/ui/picker";
import { useDeferredValue, useId, useState } from "react";
import { X } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { rowsOf } from "@/lib/client/list-query";
import { useServersQuery } from "@/lib/client/servers";

export interface PickedServer {
  id: string;
  name: string;
}

/** Catalog servers the agent is meant to reach: search the catalog, tick, and the ticks show as chips. */
export function ServerPicker({ value, onChange, error, label = "Servers" }: { value: PickedServer[]; onChange: (v: PickedServer[]) => void; error?: string; label?: string }) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const servers = useServersQuery({ q, sort: "name" });
  const rows = rowsOf(servers);
  const id = useId();
  const picked = new Set(value.map((s) => s.id));
  const toggle = (s: PickedServer, on: boolean) => onChange(on ? [...value.filter((v) => v.id !== s.id), s] : value.filter((v) => v.id !== s.id));

  return (
    <fieldset className="grid gap-2" aria-describedby={`${id}-hint`}>
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      <p id={`${id}-hint`} className={error ? "-mt-1 text-xs text-destructive" : "-mt-1 text-xs text-muted-foreground"}>
        {error ?? "Optional. The catalog servers this agent is meant to reach; reviewers see them with each version."}
      </p>
      {value.length > 0 && (
        <ul aria-label="Chosen servers" className="flex flex-wrap gap-1.5">
          {value.map((s) => (
            <li key={s.id}>
              <Badge tone="primary" className="py-1 pr-1 font-mono">
                {s.name}
                <button type="button" onClick={() => toggle(s, false)} aria-label={`Remove ${s.name}`} className="rounded-full p-0.5 hover:bg-primary/15">
                  <X aria-hidden />
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <PickerSearch value={search} onChange={setSearch} label="Search catalog servers" busy={servers.isFetching} />
      <PickerResults
        error={servers.isError ? servers.error : null}
        empty={rows.length === 0 ? (servers.isPending ? "Loading servers…" : q ? "No server matches." : "The catalog has no servers yet.") : null}
        listLabel="Catalog servers"
      >
            {rows.map((s) => (
              <li key={s.id}>
                <label className="flex cursor-pointer items-center gap-2.5 px-3 py-2 text-sm hover:bg-muted/50">
                  <input type="checkbox" checked={picked.has(s.id)} onChange={(e) => toggle({ id: s.id, name: s.name }, e.target.checked)} className="size-4 cursor-pointer accent-primary" />
                  <span className="grid min-w-0">
                    <span className="truncate font-medium">{s.title ?? s.name}</span>
                    {s.title && <span className="truncate font-mono text-xs text-muted-foreground">{s.name}</span>}
                  </span>
                </label>
              </li>
            ))}
      </PickerResults>
    </fieldset>
  );
}
