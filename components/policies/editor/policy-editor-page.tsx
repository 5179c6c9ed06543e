"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { ArrowLeft, CircleCheck, FlaskConical, Send } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { ErrorState } from "@/components/ui/states";
import { SubmitBar } from "@/components/agents/submit-bar";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import {
  useAddPolicyVersionMutation,
  useCreatePolicyMutation,
  usePolicyQuery,
  usePolicyReviewQuery,
  type PolicyDetail,
  type PolicyDocument,
  type SubmittedPolicy,
} from "@/lib/client/policies";
import { checkDraft, draftOf, draftText, starterDraft, type DraftCheck } from "./policy-draft";
import { PolicyEditor } from "./policy-editor";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function summaryOf(check: DraftCheck, blocked: string | null): string {
  if (blocked) return blocked;
  if (check.kind === "empty") return "Write the policy to submit it.";
  if (check.kind === "syntax") return "Fix the JSON syntax to submit.";
  if (check.kind === "not-object") return "The policy must be a JSON object.";
  const n = Object.keys(check.errors).length;
  return n ? `Fix ${count(n, "problem", "problems")} to submit for review.` : "Ready for review: submitting opens a review, and nothing changes until someone else approves it.";
}

/** The 422's field errors keyed as the form keys them ("target.audience", "agents.0"). */
function refusalFields(err: unknown): Record<string, string> | null {
  if (!(err instanceof ApiClientError) || err.status !== 422) return null;
  const fields = err.fieldErrors;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k.replace(/^body\./, "").replace(/\[(\d+)\]/g, ".$1").replace(/\//g, ".")] = v;
  return Object.keys(out).length ? out : null;
}

function useSubmitFlow(start: string, mutate: (input: NonNullable<Extract<DraftCheck, { kind: "checked" }>["input"]>) => Promise<SubmittedPolicy>) {
  const [text, setText] = useState(start);
  const check = useMemo(() => checkDraft(text), [text]);
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string> | null>(null);
  const [refusal, setRefusal] = useState<React.ReactNode>(null);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<SubmittedPolicy | null>(null);
  const focusFirstInvalid = () => requestAnimationFrame(() => document.querySelector<HTMLElement>('form[data-policy-editor] [aria-invalid="true"]')?.focus());

  function changeText(next: string) {
    setText(next);
    setServerErrors(null);
  }

  async function submit() {
    setTried(true);
    setRefusal(null);
    if (check.kind !== "checked" || !check.input) {
      setRefusal("Fix the problems listed under Checks first.");
      focusFirstInvalid();
      return;
    }
    setPending(true);
    try {
      setResult(await mutate(check.input));
    } catch (err) {
      const fields = refusalFields(err);
      if (fields) {
        setServerErrors(fields);
        setRefusal("Portcullis refused some of its fields: the messages are next to them and under Checks.");
        focusFirstInvalid();
      } else setRefusal(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return { text, changeText, check, tried, serverErrors, refusal, pending, result, submit };
}

/** What a submission shows instead of the editor: the version, its review, and where to find it. */
function Submitted({ result, name }: { result: SubmittedPolicy; name: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card>
      <CardContent className="flex flex-col items-start gap-4 p-6 sm:flex-row">
        <span className="flex size-11 shrink-0 items-center justify-center rounded-full bg-accent">
          <CircleCheck aria-hidden className="size-6 text-accent-foreground" />
        </span>
        <div className="grid min-w-0 gap-3">
          <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold break-words outline-none">
            Version {result.version.number} of “{name}” is in review
          </h2>
          <div className="grid gap-1 text-sm text-muted-foreground">
            <p>Nothing changes at the decision point until someone other than you approves it{result.version.number > 1 ? "; the active version stays in effect until then" : ""}.</p>
            <p>
              Approvers find it in the review queue under “Policy versions”, and on the policy page. Its review id is <code className="font-mono text-foreground">{result.review.id}</code>.
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link href={`/servers/reviews/${encodeURIComponent(result.review.id)}`} className={buttonClasses("primary")}>
              Open the review
            </Link>
            <Link href={`/policies/${encodeURIComponent(result.id)}`} className={buttonClasses("secondary")}>
              Open the policy
            </Link>
            <Link href={`/policies/simulator?versionId=${encodeURIComponent(result.version.id)}`} className={buttonClasses("secondary")}>
              <FlaskConical aria-hidden />
              Simulate this version
            </Link>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function EditorForm({ flow, label, blocked }: { flow: ReturnType<typeof useSubmitFlow>; label: string; blocked: string | null }) {
  return (
    <form
      data-policy-editor
      noValidate
      aria-label={label}
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) void flow.submit();
      }}
    >
      <PolicyEditor text={flow.text} onTextChange={flow.changeText} check={flow.check} showAll={flow.tried} serverErrors={flow.serverErrors} />
      {flow.refusal && <Alert title="The policy was not submitted">{flow.refusal}</Alert>}
      <SubmitBar summary={summaryOf(flow.check, blocked)}>
        <Button type="submit" disabled={flow.pending || !!blocked}>
          {flow.pending ? <Spinner /> : <Send aria-hidden />}
          Submit for review
        </Button>
      </SubmitBar>
    </form>
  );
}

/** Policies > New: the first version of a policy, submitted for review. */
export function NewPolicy() {
  const create = useCreatePolicyMutation();
  const flow = useSubmitFlow(draftText(starterDraft()), (input) => create.mutateAsync(input));
  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <BackLink href="/policies" label="All policies" />
        <PageHeader
          title="New policy"
          description="Say which agents may act for which people, at which server, with which scopes and under which conditions. This is version 1: it takes effect only once someone other than you approves it."
        />
      </div>
      {flow.result ? <Submitted result={flow.result} name={flow.check.kind === "checked" ? String(flow.check.draft.name ?? "") : ""} /> : <EditorForm flow={flow} label="New policy" blocked={null} />}
    </div>
  );
}

/** Policies > Edit: a new version of the policy, from its active version (or its latest). */
export function EditPolicy({ id }: { id: string }) {
  const query = usePolicyQuery(id);
  const p = query.data;
  // With neither an active nor a pending version (the first was rejected or withdrawn), start
  // from the latest one, read through its review.
  const latestReview = p && !p.active && !p.pending ? (p.versions[0]?.reviewId ?? undefined) : undefined;
  const review = usePolicyReviewQuery(latestReview);
  if (query.isPending || (latestReview && review.isPending)) return <EditorSkeleton />;
  if (query.isError) return <ErrorState error={query.error} title="Could not load this policy" onRetry={() => void query.refetch()} />;
  const policy = query.data;
  const from = policy.active ?? policy.pending ?? review.data?.detail?.version ?? null;
  return <EditView key={from?.id ?? "none"} policy={policy} start={from ? { doc: from.document, number: from.number } : null} />;
}

function EditView({ policy, start }: { policy: PolicyDetail; start: { doc: PolicyDocument; number: number } | null }) {
  const add = useAddPolicyVersionMutation(policy.id);
  const flow = useSubmitFlow(draftText(start ? draftOf(start.doc) : starterDraft()), (input) => add.mutateAsync(input));
  const next = Math.max(0, ...policy.versions.map((v) => v.number)) + 1;
  const pending = policy.pending;
  const blocked = pending && !flow.result ? `Version ${pending.number} is waiting for review: submit a new version once it is decided or withdrawn.` : null;
  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <BackLink href={`/policies/${encodeURIComponent(policy.id)}`} label={policy.name} />
        <PageHeader
          title={`Edit ${policy.name}`}
          description={
            policy.active
              ? `Your changes become version ${next}, which someone other than you reviews. Version ${policy.active.number} stays in effect until it is approved.`
              : `Your changes become version ${next}, which someone other than you reviews. Nothing is in effect until a version is approved.`
          }
        />
      </div>
      {start && !flow.result && <p className="text-sm text-muted-foreground">Starting from version {start.number}.</p>}
      {pending && !flow.result && (
        <Alert tone="info" title={`Version ${pending.number} is waiting for review`}>
          Only one version of a policy is reviewed at a time.{" "}
          {pending.reviewId && (
            <Link href={`/servers/reviews/${encodeURIComponent(pending.reviewId)}`} className="font-medium underline underline-offset-4">
              Open its review
            </Link>
          )}
        </Alert>
      )}
      {flow.result ? <Submitted result={flow.result} name={policy.name} /> : <EditorForm flow={flow} label={`Edit ${policy.name}`} blocked={blocked} />}
    </div>
  );
}

function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <Link href={href} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft aria-hidden className="size-4" />
      {label}
    </Link>
  );
}

function EditorSkeleton() {
  return (
    <div className="grid gap-4" aria-busy="true" aria-label="Loading the policy">
      <Skeleton className="h-8 w-72" />
      <Skeleton className="h-96 w-full" />
    </div>
  );
}
