"use client";

import Link from "next/link";
import { useState } from "react";
import { FlaskConical } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { cn } from "@/lib/client/cn";
import { useSimulateQuery, type PolicyDocument, type SimulateResult } from "@/lib/client/policies";
import { EVERYONE } from "@/lib/xaa/schema";
import { DecisionBanner, ExplanationList } from "./decision-view";
import { emptySimulator, ScopeFields, SubjectAndAgentFields, useDebouncedRequest, type SimulatorState } from "./simulator-fields";

/** What differs between the two answers, in one line: the point of the comparison. */
function Delta({ now, next, versionNumber }: { now?: SimulateResult; next?: SimulateResult; versionNumber: number }) {
  if (!now || !next) return null;
  const word = (r: SimulateResult) => (r.decision === "allow" ? "Allowed" : "Denied");
  let text: string;
  let widens = false;
  if (now.decision !== next.decision) {
    text = `Version ${versionNumber} changes the answer: ${word(now)} → ${word(next)}.`;
    widens = next.decision === "allow";
  } else {
    const added = next.scopes.filter((s) => !now.scopes.includes(s));
    const removed = now.scopes.filter((s) => !next.scopes.includes(s));
    const parts = [
      added.length ? `grants ${added.join(" ")} as well` : null,
      removed.length ? `no longer grants ${removed.join(" ")}` : null,
      now.decision === "allow" && now.ttl !== next.ttl ? `token lifetime ${now.ttl} s → ${next.ttl} s` : null,
    ].filter(Boolean);
    text = parts.length ? `Same decision; version ${versionNumber} ${parts.join(", ")}.` : `Same answer for this request with version ${versionNumber}.`;
    widens = added.length > 0 || next.ttl > now.ttl;
  }
  return (
    <p role="status" className={cn("rounded-lg border px-3.5 py-2.5 text-sm font-medium @xl:col-span-2", widens ? "border-amber-300 bg-amber-50/70 dark:border-amber-500/40 dark:bg-amber-500/10" : "bg-muted/40")}>
      {text}
    </p>
  );
}

function Outcome({ title, query }: { title: string; query: ReturnType<typeof useSimulateQuery> }) {
  return (
    <section aria-label={title} className="grid content-start gap-3">
      <h3 className="text-sm font-semibold">{title}</h3>
      {query.isError && !query.data ? (
        <ErrorState error={query.error} title="Could not evaluate" onRetry={() => void query.refetch()} className="rounded-lg border py-6" />
      ) : !query.data ? (
        <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">{query.isFetching ? "Evaluating…" : "Waiting for the request."}</p>
      ) : (
        <>
          <DecisionBanner result={query.data} busy={query.isFetching} compact />
          <details className="rounded-md border text-sm">
            <summary className="cursor-pointer px-3 py-2 font-medium">How each policy decided ({query.data.explanation.length})</summary>
            <ExplanationList result={query.data} caption={`${title}: each policy`} />
          </details>
        </>
      )}
    </section>
  );
}

/**
 * "What would this change do": one request, answered by the active policies and with this
 * version in place of its policy's active one, side by side. Starts from the version's own
 * agent, group, server and scopes.
 */
export function ReviewSimulator({ doc, versionId, versionNumber, hasActive }: { doc: PolicyDocument; versionId: string; versionNumber: number; hasActive: boolean }) {
  const [state, setState] = useState<SimulatorState>(() =>
    emptySimulator({
      sub: doc.subjects.include.users[0] ?? "simulated-user",
      email: doc.subjects.include.users.find((u) => u.includes("@")) ?? "",
      groups: doc.subjects.include.groups.filter((g) => g !== EVERYONE).slice(0, 1),
      clientId: doc.agents[0] ?? "",
      server: doc.target.server,
      // What the version grants without a step-up; add the others to see the step-up refusal.
      scopes: doc.scopes.filter((s) => !doc.conditions.stepUp.scopes.includes(s)),
    }),
  );
  const patch = (p: Partial<SimulatorState>) => setState((s) => ({ ...s, ...p }));
  const now = useSimulateQuery(useDebouncedRequest(state));
  const withVersion = useSimulateQuery(useDebouncedRequest(state, versionId));
  return (
    <Card className="@container">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <FlaskConical aria-hidden className="size-4 text-muted-foreground" />
          What would this change do?
        </CardTitle>
        <CardDescription>
          One token exchange at <code className="font-mono">{doc.target.server}</code>, answered {hasActive ? "by the policies in effect now" : "without this policy"} and with version {versionNumber}. Change the
          person, agent or scopes to try other cases; nothing is issued or recorded.{" "}
          <Link href={`/policies/simulator?versionId=${encodeURIComponent(versionId)}&server=${encodeURIComponent(doc.target.server)}`} className="underline underline-offset-4">
            Open in the simulator
          </Link>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6 @4xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="grid content-start gap-5">
          <SubjectAndAgentFields value={state} onChange={patch} />
          <ScopeFields server={state.server} value={state.scopes} onChange={(scopes) => patch({ scopes })} />
        </div>
        {!state.sub.trim() || !state.clientId.trim() ? (
          <EmptyState icon={FlaskConical} title="Give a subject and an agent" description="The simulator needs both to evaluate the request." />
        ) : (
          <div className="@container">
            <div className="grid content-start gap-5 @xl:grid-cols-2">
              <Delta now={now.data} next={withVersion.data} versionNumber={versionNumber} />
              <Outcome title="Now" query={now} />
              <Outcome title={`With version ${versionNumber}`} query={withVersion} />
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
