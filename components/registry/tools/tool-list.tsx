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

// The tools a snapshot records: annotations, task support, scopes, schemas. Every string is the
// server's and is shown as text, invisible characters revealed.

const HINTS: [key: string, label: string][] = [
  ["readOnlyHint", "read-only"],
  ["destructiveHint", "destructive"],
  ["idempotentHint", "idempotent"],
  ["openWorldHint", "open-world"],
];

// MCP's defaults when a hint is absent: not read-only; destructive and not idempotent (those two
// only mean something for a tool that is not read-only); open-world.
const DEFAULTS: Record<string, string> = { readOnlyHint: "no", destructiveHint: "yes", idempotentHint: "no", openWorldHint: "yes" };

function Annotations({ tool }: { tool: SnapshotTool }) {
  const a = (tool.annotations && typeof tool.annotations === "object" ? tool.annotations : {}) as Record<string, unknown>;
  const declared = HINTS.filter(([k]) => typeof a[k] === "boolean");
  const readOnly = a.readOnlyHint === true;
  const undeclared = HINTS.filter(([k]) => typeof a[k] !== "boolean" && !(readOnly && (k === "destructiveHint" || k === "idempotentHint")));
  const task = (tool.execution as { taskSupport?: string } | undefined)?.taskSupport;
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {declared.map(([k, label]) => (
        <Badge key={k} tone={k === "destructiveHint" && a[k] ? "danger" : a[k] ? "primary" : "neutral"}>
          {a[k] ? label : `not ${label}`}
        </Badge>
      ))}
      <Badge tone={task === "required" ? "info" : "neutral"}>tasks: {typeof task === "string" ? task : "not declared"}</Badge>
      {undeclared.length > 0 && (
        <span className="text-xs text-muted-foreground">
          Not declared, so MCP&apos;s defaults apply: {undeclared.map(([k, label]) => `${label} ${DEFAULTS[k]}`).join(" · ")}
        </span>
      )}
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
      {!scopes.scopes.length && <span>none</span>}
      {scopes.scopes.map((s) => (
        <code key={s} className="rounded bg-muted px-1.5 py-0.5">
          {revealInvisible(s)}
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
  const open = new Map<string, number>();
  for (const f of snapshot.findings) if (f.kind === "tool" && f.item && !f.acknowledgement) open.set(f.item, (open.get(f.item) ?? 0) + 1);
  return (
    <ul className="grid gap-3" aria-label="Tools">
      {(snapshot.tools as SnapshotTool[]).map((t) => (
        <li key={String(t.name)} className="grid gap-2 rounded-lg border p-3">
          <div className="flex flex-wrap items-baseline gap-2">
            <span className="font-mono text-sm font-semibold">{revealInvisible(String(t.name))}</span>
            {typeof t.title === "string" && <span className="text-sm text-muted-foreground">{revealInvisible(t.title)}</span>}
            {open.has(String(t.name)) && (
              <Badge tone="danger">
                {open.get(String(t.name))} open finding{open.get(String(t.name)) === 1 ? "" : "s"}
              </Badge>
            )}
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
