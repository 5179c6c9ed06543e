"use client";

import { useId, useMemo, useState } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/lib/client/cn";
import { installSnippets, type SnippetClient } from "@/lib/registry/install-snippets";
import type { ServerJson } from "@/lib/registry/server-json";
import type { ServerVersionDetail } from "@/lib/client/servers";

const CLIENT_LABELS: Record<SnippetClient, string> = { vscode: "VS Code", "claude-desktop": "Claude Desktop", "claude-code": "Claude Code" };

/** How to install one version: per package and remote, a snippet for each client, with copy. */
export function InstallSnippets({ version }: { version: ServerVersionDetail }) {
  const targets = useMemo(() => installSnippets(version.document as unknown as ServerJson).targets, [version.document]);
  const [target, setTarget] = useState(0);
  const [client, setClient] = useState<SnippetClient>("vscode");
  const tabsId = useId();
  const t = targets[Math.min(target, targets.length - 1)];
  const snippet = t?.snippets.find((s) => s.client === client) ?? t?.snippets[0];
  const clients = t?.snippets.map((s) => s.client) ?? [];

  function onKey(e: React.KeyboardEvent, i: number) {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    e.preventDefault();
    const next = (i + (e.key === "ArrowRight" ? 1 : clients.length - 1)) % clients.length;
    setClient(clients[next]);
    document.getElementById(`${tabsId}-${clients[next]}`)?.focus();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Install {version.version}</CardTitle>
        <CardDescription>
          {version.state === "approved" && version.status !== "deleted"
            ? "Paste into the client’s configuration. Secrets are never filled in: the client asks for them."
            : "This version is not approved: clients following the registry will not offer it."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {targets.length === 0 ? (
          <p className="text-sm text-muted-foreground">This version lists no packages or remotes, so there is nothing to install.</p>
        ) : (
          <>
            {targets.length > 1 && (
              <div className="flex flex-wrap gap-2" role="group" aria-label="Package or remote">
                {targets.map((x, i) => (
                  <button
                    key={`${x.kind}-${x.index}`}
                    type="button"
                    aria-pressed={i === target}
                    onClick={() => setTarget(i)}
                    className={cn("rounded-md border px-2.5 py-1 text-xs", i === target ? "border-primary bg-accent text-accent-foreground" : "hover:bg-muted")}
                  >
                    {x.label}
                  </button>
                ))}
              </div>
            )}
            <div role="tablist" aria-label="Client" className="flex gap-1 border-b">
              {clients.map((c, i) => (
                <button
                  key={c}
                  id={`${tabsId}-${c}`}
                  role="tab"
                  type="button"
                  aria-selected={c === snippet?.client}
                  aria-controls={`${tabsId}-panel`}
                  tabIndex={c === snippet?.client ? 0 : -1}
                  onClick={() => setClient(c)}
                  onKeyDown={(e) => onKey(e, i)}
                  className={cn(
                    "-mb-px border-b-2 px-3 py-2 text-sm",
                    c === snippet?.client ? "border-primary font-medium text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
                  )}
                >
                  {CLIENT_LABELS[c]}
                </button>
              ))}
            </div>
            {snippet && (
              <div id={`${tabsId}-panel`} role="tabpanel" aria-labelledby={`${tabsId}-${snippet.client}`} className="grid gap-2">
                <div className="flex items-center justify-between gap-2">
                  <span className="text-xs text-muted-foreground">{snippet.title}</span>
                  <CopyButton value={snippet.text} label="Copy" size="sm" variant="secondary" />
                </div>
                <pre className="max-h-80 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed">{snippet.text}</pre>
                {snippet.note && <p className="text-xs text-muted-foreground">{snippet.note}</p>}
              </div>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
