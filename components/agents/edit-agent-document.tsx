"use client";

import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Save, Send, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { ErrorState } from "@/components/ui/states";
import { AgentSkeleton, AgentTitle } from "@/components/agents/agent-overview";
import { splitRefusal } from "@/components/agents/api-errors";
import { CimdEditor } from "@/components/agents/editor/cimd-editor";
import { documentText, starterDocument } from "@/components/agents/editor/cimd-fields";
import { useCimdText } from "@/components/agents/editor/use-cimd-text";
import { SubmitBar, checkSummary } from "@/components/agents/submit-bar";
import { errorMessage } from "@/lib/client/api";
import { formatRelative } from "@/lib/client/format";
import { useAgentQuery, useAgentReviewQuery, useDiscardDraftMutation, useSaveDraftMutation, useSubmitVersionMutation, type AgentDetail, type CimdDocument } from "@/lib/client/agents";

/** Agents > Edit: the draft if there is one, else the published (or latest submitted) document. */
export function EditAgentDocument({ id }: { id: string }) {
  const query = useAgentQuery(id);
  const agent = query.data;
  // With neither a draft nor a published document, start from the latest submitted one.
  const latestReview = agent && !agent.draft && !agent.document ? agent.versions[0]?.review?.id : undefined;
  const review = useAgentReviewQuery(latestReview);
  if (query.isPending) return <AgentSkeleton label="Loading the document" />;
  if (query.isError) return <ErrorState error={query.error} title="Could not load this agent" onRetry={() => void query.refetch()} />;
  if (latestReview && review.isPending) return <AgentSkeleton label="Loading the document" />;
  const a = query.data;
  if (!a.permissions.canEdit) {
    return (
      <div className="grid gap-6">
        <AgentTitle agent={a} title="Edit the document" />
        <Alert title="You cannot change this agent">
          {a.status === "revoked" || a.status === "deleted" ? "It is revoked: nothing about it can change." : "Only its owners and approvers change an agent's document. An owner can add you."}
        </Alert>
      </div>
    );
  }
  const fromReview = latestReview ? (review.data?.detail ?? null) : null;
  const start: { doc: CimdDocument; from: string } = a.draft
    ? { doc: a.draft.document, from: `your draft, saved ${formatRelative(a.draft.updatedAt)}` }
    : a.document
      ? { doc: a.document, from: `the published version ${a.published?.number ?? ""}`.trim() }
      : fromReview?.document
        ? { doc: fromReview.document, from: `version ${fromReview.version?.number ?? ""}, the latest submitted`.replace(" ,", ",") }
        : { doc: starterDocument(a.kind, a.name), from: "a starter document" };
  // Re-mounted when the starting point changes (a draft discarded, a version published), so the
  // editor starts over; saving a draft again keeps it as it is.
  return <Editor key={`${a.draft ? "draft" : "none"}|${a.published?.id ?? ""}`} agent={a} start={start} />;
}

function Editor({ agent, start }: { agent: AgentDetail; start: { doc: CimdDocument; from: string } }) {
  const router = useRouter();
  const initial = documentText(start.doc);
  const editor = useCimdText(initial, { clientId: agent.clientId, kind: agent.kind, insecureBase: agent.insecureBase, previous: agent.document });
  const save = useSaveDraftMutation(agent.id);
  const discard = useDiscardDraftMutation(agent.id);
  const submit = useSubmitVersionMutation(agent.id);
  const [tried, setTried] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const busy = save.isPending || submit.isPending || discard.isPending;
  const dirty = editor.text !== initial;
  const check = editor.check;

  function onSaveDraft() {
    setRefusal(null);
    if (check.kind !== "checked") {
      setRefusal("A draft must be a JSON object: fix the JSON first.");
      return;
    }
    save.mutate(check.document, {
      onSuccess: () => toast.success("Draft saved. Nothing is served or reviewed until you submit it."),
      onError: (err) => setRefusal(errorMessage(err)),
    });
  }

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    setRefusal(null);
    if (check.kind !== "checked" || !check.result.valid) {
      setRefusal("Fix the problems listed under Checks first, or save a draft.");
      return;
    }
    submit.mutate(
      { document: check.document, discardDraft: true },
      {
        onSuccess: (r) => {
          toast.success(`Version ${r.version.number} of ${agent.name} is in review`);
          router.push(`/agents/${encodeURIComponent(agent.id)}`);
        },
        onError: (err) => {
          const split = splitRefusal(err);
          editor.setServerIssues(split.document);
          setRefusal(split.message ?? (Object.keys(split.fields).length ? Object.entries(split.fields).map(([k, v]) => `${k}: ${v}`).join("; ") : null));
        },
      },
    );
  }

  return (
    <div className="grid gap-6">
      <AgentTitle agent={agent} title={`Edit the document of ${agent.name}`} />
      <p className="-mt-3 text-sm text-muted-foreground">
        Starting from {start.from}. A submitted document is a new version: an approver reviews it before it replaces what is served.
      </p>
      {agent.pending && (
        <Alert tone="info" title={`Version ${agent.pending.number} is already in review`}>
          One version is reviewed at a time: you can save a draft now and submit it once that review is decided or withdrawn.{" "}
          {agent.pending.reviewId && (
            <Link href={`/servers/reviews/${encodeURIComponent(agent.pending.reviewId)}`} className="font-medium underline underline-offset-4">
              Open the review
            </Link>
          )}
        </Alert>
      )}
      <form noValidate onSubmit={onSubmit} aria-label={`Edit the document of ${agent.name}`} className="grid gap-6">
        <CimdEditor
          text={editor.text}
          onTextChange={editor.setText}
          check={check}
          clientId={agent.clientId}
          kind={agent.kind}
          insecureBase={agent.insecureBase}
          showAll={tried}
          serverIssues={editor.serverIssues}
        />
        {refusal && <Alert title="Not saved">{refusal}</Alert>}
        <SubmitBar summary={`${dirty ? "Unsaved changes. " : ""}${checkSummary(check)}`}>
          {agent.draft && (
            <Button variant="destructive-outline" disabled={busy} onClick={() => setConfirmDiscard(true)}>
              <Trash2 aria-hidden />
              Discard draft
            </Button>
          )}
          <Button variant="secondary" disabled={busy} onClick={onSaveDraft}>
            {save.isPending ? <Spinner /> : <Save aria-hidden />}
            Save draft
          </Button>
          {agent.pending ? (
            <Button type="button" disabled title="A version is already in review">
              <Send aria-hidden />
              Submit for review
            </Button>
          ) : (
            <Button type="submit" disabled={busy}>
              {submit.isPending ? <Spinner /> : <Send aria-hidden />}
              Submit for review
            </Button>
          )}
        </SubmitBar>
      </form>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard the draft?"
        description={agent.document ? "The draft is deleted and the editor goes back to the published document." : "The draft is deleted. This cannot be undone."}
        confirmLabel="Discard draft"
        destructive
        pending={discard.isPending}
        onConfirm={() =>
          discard.mutate(undefined, {
            onSuccess: () => toast.success("Draft discarded"),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setConfirmDiscard(false),
          })
        }
      />
    </div>
  );
}
