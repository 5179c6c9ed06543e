"use client";

import { useId, useMemo, useRef, useState } from "react";
import { ClipboardPaste, FileUp, ListTree, Send } from "lucide-react";
import { Tabs } from "radix-ui";
import { TAB_CLASSES } from "@/components/ui/editor-tabs";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { buildServerJson, emptyServerForm, type ServerForm } from "@/lib/registry/build-server-json";
import type { Issue } from "@/lib/registry/server-json";
import { checkDocument, type DocumentCheck, type DocumentSource } from "./check";
import { ErrorList, SyntaxErrorNotice, ValidNotice, WarningList } from "./issue-list";
import { JsonEditor } from "./json-editor";
import { FormPreview } from "./form-preview";
import { ServerFormFields } from "./server-form";
import { SuccessCard } from "./success-card";
import { UploadZone } from "./upload-zone";
import { useDebounced } from "./use-debounced";
import { issuesOfDetails, useSubmitServerMutation, type SubmitServerResponse } from "./use-submit-server";

type Mode = "paste" | "upload" | "form";

/** The API refused the submission for a reason other than the document's content. */
interface Refusal {
  title: string;
  message: string;
}

/** Servers > Submit: a server.json pasted, uploaded or built with a form, checked as it changes, then submitted for review. */
export function SubmitServer() {
  const [mode, setMode] = useState<Mode>("paste");
  const [text, setText] = useState("");
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const [form, setForm] = useState<ServerForm>(emptyServerForm);
  const [serverIssues, setServerIssues] = useState<Issue[] | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [done, setDone] = useState<SubmitServerResponse | null>(null);
  const submit = useSubmitServerMutation();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const editorId = useId();
  const checksId = useId();

  // The form's document is cheap to build and shown at once; checking waits for a pause in typing.
  const built = useMemo(() => buildServerJson(form), [form]);
  const source: DocumentSource = useMemo(() => (mode === "form" ? { mode, built } : { mode, text }), [mode, built, text]);
  const settled = useDebounced(source, 250);
  const check = useMemo(() => checkDocument(settled), [settled]);
  const checking = settled !== source;

  function changed() {
    setServerIssues(null);
    setRefusal(null);
  }
  const editText = (next: string) => {
    setText(next);
    changed();
  };
  const editForm = (next: ServerForm) => {
    setForm(next);
    changed();
  };

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Check what is on screen now, not the last settled check.
    const now = checkDocument(source);
    if (now.kind !== "checked" || !now.result.valid) return;
    changed();
    submit.mutate(now.document, {
      onSuccess: (result) => setDone(result),
      onError: (err) => {
        const issues = err instanceof ApiClientError && err.status === 422 ? issuesOfDetails(err.details) : [];
        if (issues.length) setServerIssues(issues);
        else setRefusal(refusalOf(err));
      },
    });
  }

  function startOver() {
    setDone(null);
    setText("");
    setLoadedFrom(null);
    setForm(emptyServerForm());
    setMode("paste");
    changed();
    submit.reset();
  }

  const invalid = check.kind !== "checked" || !check.result.valid;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Submit a server version"
        description="Give the registry a server.json: paste it, upload the file, or build one with the form. It is checked as you go; an approver reviews it before it is published."
      />
      {done ? (
        <SuccessCard result={done} onAnother={startOver} />
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label="Submit a server version" className="grid gap-6">
          <Tabs.Root value={mode} onValueChange={(v) => setMode(v as Mode)}>
            <Card className="overflow-hidden">
              <Tabs.List aria-label="How to provide the server.json" className="flex flex-wrap gap-1 border-b bg-muted/60 p-1.5">
                <Tabs.Trigger value="paste" className={TAB_CLASSES}>
                  <ClipboardPaste aria-hidden />
                  Paste JSON
                </Tabs.Trigger>
                <Tabs.Trigger value="upload" className={TAB_CLASSES}>
                  <FileUp aria-hidden />
                  Upload
                </Tabs.Trigger>
                <Tabs.Trigger value="form" className={TAB_CLASSES}>
                  <ListTree aria-hidden />
                  Build with a form
                </Tabs.Trigger>
              </Tabs.List>
              <Tabs.Content value="paste" className="p-5 focus-visible:outline-none">
                <JsonEditor
                  id={editorId}
                  value={text}
                  onChange={(next) => {
                    editText(next);
                    if (next === "") setLoadedFrom(null);
                  }}
                  textareaRef={editorRef}
                  describedBy={checksId}
                  invalid={check.kind === "syntax" || (check.kind === "checked" && !check.result.valid)}
                  loadedFrom={loadedFrom}
                />
              </Tabs.Content>
              <Tabs.Content value="upload" className="p-5 focus-visible:outline-none">
                <UploadZone
                  onLoaded={(loaded, fileName) => {
                    editText(loaded);
                    setLoadedFrom(fileName);
                    setMode("paste");
                    requestAnimationFrame(() => editorRef.current?.focus());
                  }}
                />
              </Tabs.Content>
              <Tabs.Content value="form" className="@container p-5 focus-visible:outline-none">
                <div className="grid gap-8 @5xl:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
                  <ServerFormFields form={form} onChange={editForm} issues={check.kind === "checked" ? check.result.errors : []} />
                  <FormPreview
                    document={built}
                    onEditAsJson={() => {
                      editText(`${JSON.stringify(built, null, 2)}\n`);
                      setLoadedFrom(null);
                      setMode("paste");
                      requestAnimationFrame(() => editorRef.current?.focus());
                    }}
                  />
                </div>
              </Tabs.Content>
            </Card>
          </Tabs.Root>

          <section aria-labelledby={`${checksId}-title`} className="grid gap-3">
            <h2 id={`${checksId}-title`} className="text-base font-semibold">
              Checks
            </h2>
            <div id={checksId} className="grid gap-3">
              <Checks
                check={check}
                serverIssues={serverIssues}
                onGoTo={(offset) => {
                  const el = editorRef.current;
                  if (!el) return;
                  el.focus();
                  el.setSelectionRange(offset, Math.min(offset + 1, el.value.length));
                }}
              />
            </div>
            {refusal && <Alert title={refusal.title}>{refusal.message}</Alert>}
          </section>

          <div className="sticky bottom-0 z-10 -mx-4 flex flex-col gap-3 border-t bg-background/95 px-4 py-3 backdrop-blur sm:mx-0 sm:flex-row sm:items-center sm:justify-between sm:rounded-xl sm:border">
            <p id={`${checksId}-summary`} aria-live="polite" className="text-sm text-muted-foreground">
              {checking ? "Checking…" : summary(check)}
            </p>
            <Button type="submit" disabled={invalid || checking || submit.isPending} aria-describedby={`${checksId}-summary`}>
              {submit.isPending ? <Spinner /> : <Send aria-hidden />}
              Submit for review
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

function Checks({ check, serverIssues, onGoTo }: { check: DocumentCheck; serverIssues: Issue[] | null; onGoTo: (offset: number) => void }) {
  if (serverIssues) return <ErrorList issues={serverIssues} title="The registry refused this document" />;
  if (check.kind === "empty") {
    return <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">Nothing to check yet: paste, upload or build a server.json above.</p>;
  }
  if (check.kind === "syntax") return <SyntaxErrorNotice error={check.error} onGoTo={() => onGoTo(check.error.offset)} />;
  const { errors, warnings } = check.result;
  return (
    <>
      {errors.length > 0 ? <ErrorList issues={errors} /> : <ValidNotice />}
      {warnings.length > 0 && <WarningList issues={warnings} />}
    </>
  );
}

function summary(check: DocumentCheck): string {
  if (check.kind === "empty") return "Add a server.json to submit.";
  if (check.kind === "syntax") return "Fix the JSON syntax to submit.";
  const n = check.result.errors.length;
  if (n > 0) return `Fix ${n === 1 ? "1 problem" : `${n} problems`} to submit.`;
  const w = check.result.warnings.length;
  return w ? `Ready to submit, with ${w === 1 ? "1 warning" : `${w} warnings`} for the reviewer.` : "Ready to submit.";
}

function refusalOf(err: unknown): Refusal {
  const message = errorMessage(err);
  if (err instanceof ApiClientError) {
    if (err.status === 403) return { title: "You may not submit this server", message };
    if (err.status === 409) return { title: "This version already exists", message };
  }
  return { title: "The server version was not submitted", message };
}
