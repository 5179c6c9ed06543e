import { ExternalLink } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { sortedJson } from "@/lib/registry/json-diff";
import type { AgentDetail } from "@/lib/client/agents";

/** The published document: readable, and the exact bytes authorization servers get. */
export function DocumentCard({ agent }: { agent: AgentDetail }) {
  if (!agent.document || !agent.canonical) return null;
  const served = agent.status === "published";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Published document{agent.published ? ` (v${agent.published.number})` : ""}</CardTitle>
        <CardDescription>
          {served ? "Served at the client_id, byte for byte as below." : "The last approved document. It is no longer served."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <pre aria-label="Published document" className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed">
          {sortedJson(agent.document)}
        </pre>
        <details>
          <summary className="cursor-pointer text-sm font-medium">The served bytes ({new TextEncoder().encode(agent.canonical).length} bytes)</summary>
          <pre className="mt-2 max-h-48 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs break-all whitespace-pre-wrap">{agent.canonical}</pre>
          <div className="mt-2">
            <CopyButton value={agent.canonical} label="Copy the bytes" />
          </div>
        </details>
        {served && (
          <a href={agent.clientId} target="_blank" rel="noreferrer" className="inline-flex w-fit items-center gap-1 text-sm text-primary underline-offset-4 hover:underline">
            Open the served document
            <ExternalLink aria-hidden className="size-3.5" />
          </a>
        )}
      </CardContent>
    </Card>
  );
}
