"use client";

import { useState } from "react";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { SchemaFields } from "@/components/registry/tools/schema-fields";
import { errorMessage } from "@/lib/client/api";
import { useToolScopesMutation, type SnapshotDetail, type SnapshotTool } from "@/lib/client/snapshots";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// What a snapshot says a server offers: its tools (annotations, task support, scopes, schemas),
// prompts and resources. Every string is the server's and is shown as text, invisible
// characters revealed.

const HINTS: [key: string, label: string][] = [
  ["readOnlyHint", "read-only"],
  ["destructiveHint", "destructive"],
  ["idempotentHint", "idempotent"],
  ["openWorldHint", "open-world"],
];

function Annotations({ tool }: { tool: SnapshotTool }) {
  const a = (tool.annotations ?? {}) as Record<string, unknown>;
  const declared = HINTS.filter(([k]) => typeof a[k] === "boolean");
  const task = (tool.execution as { taskSupport?: string } | undefined)?.taskSupport;
  return (
    <div className="flex flex-wrap gap-1.5">
      {declared.length === 0 && <Badge>annotations not declared</Badge>}
      {declared.map(([k, label]) => (
        <Badge key={k} tone={k === "destructiveHint" && a[k] ? "danger" : a[k] ? "primary" : "neutral"}>
          {a[k] ? label : `not ${label}`}
        </Badge>
      ))}
      <Badge tone={task === "required" ? "info" : "neutral"}>tasks: {task ?? "not declared"}</Badge>
    </div>
  );
}

function Scopes({ serverId, tool, editable }: { serverId: string; tool: SnapshotTool; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const mutation = useToolScopesMutation(serverId);
  const scopes = tool.requiredScopes;
  const name = String(tool.name);
  const save = async (value: string[] | null) => {
    try {
      await mutation.mutateAsync({ tool: name, scopes: value });
      toast.success(value === null ? `Scopes of ${name} reset` : `Scopes of ${name} saved`);
      setEditing(false);
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };
  if (editing) {
    return (
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void save(text.split(/[\s,]+/).filter(Boolean));
        }}
      >
        <Input aria-label={`Scopes required by ${name}`} value={text} onChange={(e) => setText(e.target.value)} className="h-8 w-64 font-mono text-xs" placeholder="docs:read docs:write" autoFocus />
        <Button size="sm" type="submit" disabled={mutation.isPending}>
          Save
        </Button>
        {scopes.source === "edited" && (
          <Button size="sm" variant="ghost" type="button" onClick={() => void save(null)} disabled={mutation.isPending}>
            Reset to declared
          </Button>
        )}
        <Button size="sm" variant="ghost" type="button" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </form>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs">
      <span className="text-muted-foreground">Scopes:</span>
      {scopes.scopes.map((s) => (
        <code key={s} className="rounded bg-muted px-1.5 py-0.5">
          {s}
        </code>
      ))}
      <span className="text-muted-foreground">({scopes.source})</span>
      {editable && (
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Edit the scopes of ${name}`}
          onClick={() => {
            setText(scopes.scopes.join(" "));
            setEditing(true);
          }}
        >
          <Pencil aria-hidden />
        </Button>
      )}
    </div>
  );
}

export function ToolList({ snapshot, serverId, canEditScopes }: { snapshot: SnapshotDetail; serverId: string; canEditScopes: boolean }) {
  if (!snapshot.tools.length) return <p className="text-sm text-muted-foreground">This server offers no tools.</p>;
  return (
    <ul className="grid gap-3" aria-label="Tools">
      {(snapshot.tools as SnapshotTool[]).map((t) => (
        <li key={String(t.name)} className="grid gap-2 rounded-lg border p-3">
          <div className="flex flex-wrap items-baseline gap-2">
            <span className="font-mono text-sm font-semibold">{String(t.name)}</span>
            {typeof t.title === "string" && <span className="text-sm text-muted-foreground">{revealInvisible(t.title)}</span>}
          </div>
          {typeof t.description === "string" && <p className="text-sm whitespace-pre-wrap break-words">{revealInvisible(t.description)}</p>}
          <Annotations tool={t} />
          <Scopes serverId={serverId} tool={t} editable={canEditScopes} />
          <SchemaFields schema={t.inputSchema} label="Input" />
          {t.outputSchema !== undefined && <SchemaFields schema={t.outputSchema} label="Output" />}
        </li>
      ))}
    </ul>
  );
}

const PAGE = 20;

function More<T>({ items, render, label }: { items: T[]; render: (item: T) => React.ReactNode; label: string }) {
  const [shown, setShown] = useState(PAGE);
  if (!items.length) return <p className="text-sm text-muted-foreground">None.</p>;
  return (
    <div className="grid gap-2">
      <ul className="grid gap-1.5 text-sm" aria-label={label}>
        {items.slice(0, shown).map(render)}
      </ul>
      {items.length > shown && (
        <Button variant="ghost" size="sm" className="w-fit" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, items.length - shown)} more of {items.length - shown}
        </Button>
      )}
    </div>
  );
}

type Item = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? revealInvisible(v) : "");

export function PromptsAndResources({ snapshot }: { snapshot: SnapshotDetail }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section className="grid gap-2">
        <h3 className="text-sm font-semibold">Prompts ({snapshot.prompts.length})</h3>
        <More
          label="Prompts"
          items={snapshot.prompts as Item[]}
          render={(p) => (
            <li key={str(p.name)} className="grid">
              <span className="font-mono text-xs font-medium">{str(p.name)}</span>
              {!!p.description && <span className="text-xs text-muted-foreground">{str(p.description)}</span>}
              {Array.isArray(p.arguments) && p.arguments.length > 0 && (
                <span className="text-xs text-muted-foreground">arguments: {(p.arguments as Item[]).map((a) => str(a.name)).join(", ")}</span>
              )}
            </li>
          )}
        />
      </section>
      <section className="grid gap-2">
        <h3 className="text-sm font-semibold">
          Resources ({snapshot.resources.length}) and templates ({snapshot.resourceTemplates.length})
        </h3>
        <More
          label="Resources"
          items={[...(snapshot.resources as Item[]), ...(snapshot.resourceTemplates as Item[])]}
          render={(r) => (
            <li key={str(r.uri ?? r.uriTemplate)} className="grid">
              <span className="font-mono text-xs break-all">{str(r.uri ?? r.uriTemplate)}</span>
              <span className="text-xs text-muted-foreground">
                {str(r.name)}
                {r.mimeType ? ` · ${str(r.mimeType)}` : ""}
              </span>
            </li>
          )}
        />
      </section>
    </div>
  );
}
