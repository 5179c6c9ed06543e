"use client";

import Link from "next/link";
import { useState } from "react";
import { FlaskConical, Grid3x3 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { rowsOf } from "@/lib/client/list-query";
import { usePoliciesQuery, useSimulateQuery } from "@/lib/client/policies";
import { ServerRadioList } from "../editor/target-fields";
import { DecisionBanner, ExplanationList } from "./decision-view";
import { emptySimulator, ScopeFields, SubjectAndAgentFields, useDebouncedRequest, type SimulatorState } from "./simulator-fields";

const ACTIVE = "__active__";

/** The pending policy versions one can simulate with, as select options. */
function useVersionOptions(current: string | undefined) {
  const pending = rowsOf(usePoliciesQuery({ state: "pending" }, { pageSize: 100 }));
  const options = [
    { value: ACTIVE, label: "Active policies only", description: "What the decision point answers now" },
    ...pending.filter((p) => p.pending).map((p) => ({ value: p.pending!.versionId, label: `${p.name}, v${p.pending!.number} (in review)`, description: "In place of its active version" })),
  ];
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: `Version ${current}`, description: "Named in the address" });
  return options;
}

/**
 * Policies > Simulator: a person, an agent, a server and scopes in; the decision, the granted
 * scopes, the ID-JAG lifetime and each policy's part in it out, re-evaluated as the inputs
 * change. Against the active policies, or with a version under review in place of its policy's.
 */
export function PolicySimulator({ initial }: { initial: { versionId?: string; server?: string; clientId?: string } }) {
  const [state, setState] = useState<SimulatorState>(() => emptySimulator({ server: initial.server ?? "", clientId: initial.clientId ?? "" }));
  const [versionId, setVersionId] = useState(initial.versionId ?? "");
  const versions = useVersionOptions(versionId || undefined);
  const request = useDebouncedRequest(state, versionId);
  const result = useSimulateQuery(request);
  const patch = (p: Partial<SimulatorState>) => setState((s) => ({ ...s, ...p }));
  const missing = [!state.sub.trim() && "a subject", !state.clientId.trim() && "an agent", !state.server && "a server"].filter(Boolean) as string[];

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Policy simulator"
        description="Ask what the decision point would answer a token exchange, without issuing anything: who the person is, which agent acts for them, at which server, for which scopes. Nothing you do here is recorded as a decision."
        actions={
          <>
            <Link href="/policies" className={buttonClasses("secondary")}>
              Policies
            </Link>
            <Link href={`/policies/matrix${state.server ? `?server=${encodeURIComponent(state.server)}` : ""}`} className={buttonClasses("secondary")}>
              <Grid3x3 aria-hidden className="size-4" />
              Matrix
            </Link>
          </>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
        <Card className="@container">
          <CardHeader>
            <CardTitle>The request</CardTitle>
            <CardDescription>The answer follows as you type.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <Field label="Evaluate with" hint="A version under review is evaluated in place of its policy's active version.">
              {(p) => <Select {...p} value={versionId || ACTIVE} onValueChange={(v) => setVersionId(v === ACTIVE ? "" : v)} options={versions} />}
            </Field>
            <SubjectAndAgentFields value={state} onChange={patch} />
            <ServerRadioList legend="Server" hint="The approved catalog server the agent wants a token for." value={state.server} onChange={(server) => patch({ server, scopes: [] })} />
            {state.server && <ScopeFields server={state.server} value={state.scopes} onChange={(scopes) => patch({ scopes })} />}
          </CardContent>
        </Card>

        <section aria-labelledby="simulator-result" aria-live="polite" className="grid gap-4 lg:sticky lg:top-4">
          <h2 id="simulator-result" className="text-base font-semibold">
            The decision
          </h2>
          {!request ? (
            <Card>
              <EmptyState icon={FlaskConical} title="Waiting for the request" description={missing.length ? `Give ${missing.join(", ").replace(/, ([^,]*)$/, " and $1")} to see the decision.` : "Evaluating…"} />
            </Card>
          ) : result.isError && !result.data ? (
            <Card>
              <ErrorState error={result.error} title="Could not evaluate this request" onRetry={() => void result.refetch()} />
            </Card>
          ) : !result.data ? (
            <Card>
              <EmptyState icon={FlaskConical} title="Evaluating…" />
            </Card>
          ) : (
            <>
              {result.isError && <Alert title="The latest change could not be evaluated">The decision shown is for the previous inputs.</Alert>}
              <DecisionBanner result={result.data} busy={result.isFetching} />
              <Card className="overflow-hidden">
                <CardHeader>
                  <CardTitle>Each policy</CardTitle>
                  <CardDescription>Every policy toward this server, whether it matched this request, and why. Deny overrides allow; no match is a deny.</CardDescription>
                </CardHeader>
                <ExplanationList result={result.data} />
              </Card>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
