import Link from "next/link";
import { ArrowRight, KeyRound, Link2, TriangleAlert } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { DocumentDiff } from "@/components/registry/review/document-diff";
import { EnvironmentBadge, KindBadge } from "@/components/agents/agent-badges";
import { pointerOf } from "@/components/agents/editor/cimd-fields";
import { ChangeLine, ChangePanel } from "@/components/agents/review/change-panel";
import { cn } from "@/lib/client/cn";
import { formatDate } from "@/lib/client/format";
import { sortedJson } from "@/lib/registry/json-diff";
import type { AgentReviewDetail as Detail } from "@/lib/client/agents";

// Imported from lib/cimd/validate.ts by value would pull the validator into the review page for
// one number; the limit is part of the contract (docs/agents.md).
const MAX_BYTES = 5120;

/**
 * A review of an agent version: who the agent is, what changed against the published version
 * (keys and redirect URIs called out above the diff), the warnings, and the exact bytes that
 * will be served with their SHA-256.
 */
export function AgentReviewDetail({ detail }: { detail: Detail }) {
  const { agent, version, previous, changes } = detail;
  const keyChanges = changes.keys.added.length + changes.keys.removed.length + (changes.jwksUri ? 1 : 0);
  const redirectChanges = changes.redirects.added.length + changes.redirects.removed.length;
  const hostedKeys = detail.hostedJwks?.keys;
  return (
    <div className="grid gap-6">
      <Card>
        <CardContent className="grid gap-3 pt-5 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
          <div className="grid min-w-0 gap-1">
            <Link href={`/agents/${encodeURIComponent(agent.id)}`} className="w-fit font-medium hover:underline">
              {agent.name}
            </Link>
            <code className="font-mono text-xs break-all text-muted-foreground" aria-label="client_id">
              {agent.clientId}
            </code>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <KindBadge kind={agent.kind} />
            <EnvironmentBadge environment={agent.environment} />
          </div>
        </CardContent>
      </Card>

      <div className="grid gap-4 md:grid-cols-2">
        <ChangePanel
          title="Key changes"
          icon={KeyRound}
          count={keyChanges}
          first={!previous}
          none="The same keys as the published version."
          description="Authorization servers may treat a key change as a reason to revoke the agent's tokens. Check that each new key belongs to the agent."
        >
          {changes.keys.added.map((k) => (
            <ChangeLine key={`+${k.thumbprint}`} kind="added" label={k.kid ?? "(no kid)"} detail={`thumbprint ${k.thumbprint}`} />
          ))}
          {changes.keys.removed.map((k) => (
            <ChangeLine key={`-${k.thumbprint}`} kind="removed" label={k.kid ?? "(no kid)"} detail={`thumbprint ${k.thumbprint}`} />
          ))}
          {changes.jwksUri && (
            <li className="grid gap-0.5 text-sm">
              <span className="font-medium">jwks_uri</span>
              <span className="flex flex-wrap items-center gap-1.5 font-mono text-xs break-all">
                <span className="text-red-700 dark:text-red-300">{changes.jwksUri.from ?? "(none)"}</span>
                <ArrowRight aria-label="becomes" className="size-3.5 shrink-0" />
                <span className="text-emerald-700 dark:text-emerald-300">{changes.jwksUri.to ?? "(none)"}</span>
              </span>
            </li>
          )}
        </ChangePanel>
        <ChangePanel
          title="Redirect URI changes"
          icon={Link2}
          count={redirectChanges}
          first={!previous}
          none="The same redirect URIs as the published version."
          description="Authorization servers send people's authorization codes only to these. Check each new one is the agent's own."
        >
          {changes.redirects.added.map((u) => (
            <ChangeLine key={`+${u}`} kind="added" label={u} />
          ))}
          {changes.redirects.removed.map((u) => (
            <ChangeLine key={`-${u}`} kind="removed" label={u} />
          ))}
        </ChangePanel>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="self-start">
          <CardHeader>
            <CardTitle>{previous ? `Changes since v${previous.number}` : "The document"}</CardTitle>
            <CardDescription>
              {previous
                ? `Compared with v${previous.number}, the published version${previous.publishedAt ? ` (since ${formatDate(previous.publishedAt)})` : ""}.`
                : "The agent's first version: nothing is published yet, so everything is new."}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DocumentDiff before={previous?.document ?? null} after={detail.document} beforeLabel={previous ? `v${previous.number}` : "nothing"} afterLabel={`v${version.number}`} />
          </CardContent>
        </Card>
        <div className="grid content-start gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Warnings</CardTitle>
              <CardDescription>Allowed by the rules, but worth a look.</CardDescription>
            </CardHeader>
            <CardContent>
              {detail.warnings.length === 0 ? (
                <p className="text-sm text-muted-foreground">None.</p>
              ) : (
                <ul className="grid gap-2" aria-label="Warnings">
                  {detail.warnings.map((w, i) => (
                    <li key={i} className="flex gap-2 text-sm">
                      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-300" />
                      <span>
                        <code className="font-mono text-xs">{pointerOf(w.field) || "/"}</code> {w.message}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Bytes to be served</CardTitle>
              <CardDescription>Exactly what the client_id answers once this is approved; the approval&apos;s audit event records this digest.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3 text-sm">
              <div className="grid gap-1">
                <span className="text-xs font-medium text-muted-foreground uppercase">SHA-256</span>
                <code className="font-mono text-xs break-all" aria-label="SHA-256 of the canonical bytes">
                  {version.sha256}
                </code>
                <div>
                  <CopyButton value={version.sha256} label="Copy SHA-256" />
                </div>
              </div>
              <div className="grid gap-1">
                <span className="text-xs font-medium text-muted-foreground uppercase">Size</span>
                <span className={cn("font-mono text-xs", version.size > MAX_BYTES && "text-destructive")}>
                  {version.size} / {MAX_BYTES} bytes
                </span>
              </div>
              <details>
                <summary className="cursor-pointer font-medium">Canonical bytes</summary>
                <pre className="mt-2 max-h-48 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs break-all whitespace-pre-wrap">{detail.canonical}</pre>
              </details>
              {hostedKeys && (
                <details>
                  <summary className="cursor-pointer font-medium">Hosted key set ({hostedKeys.length} key{hostedKeys.length === 1 ? "" : "s"})</summary>
                  <pre className="mt-2 max-h-48 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs">{sortedJson(detail.hostedJwks)}</pre>
                </details>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
