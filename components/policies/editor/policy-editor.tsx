"use client";

import { useId, useRef, useState } from "react";
import { CircleCheck } from "lucide-react";
import { FormJsonTabList } from "@/components/ui/editor-tabs";
import { Tabs } from "radix-ui";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { ErrorList, focusOffset, SyntaxErrorNotice } from "@/components/registry/submit/issue-list";
import { JsonCodeEditor } from "@/components/agents/editor/json-code-editor";
import { PolicySentence } from "../policy-sentence";
import { draftText, fieldSentence, labelOf, starterDraft, type Draft, type DraftCheck } from "./policy-draft";
import { PolicyForm } from "./policy-form";

/** Every problem, named by its field (the JSON path the Advanced view shows). */
export function problemsOf(errors: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ pointer: field, message: fieldSentence(labelOf(field), message) }));
}

/**
 * The policy editor of New and Edit: a form and the JSON itself, two views of one text, checked
 * on every keystroke with the schema the API applies (lib/xaa/schema.ts).
 */
export function PolicyEditor({
  text,
  onTextChange,
  check,
  showAll,
  serverErrors,
}: {
  text: string;
  onTextChange: (text: string) => void;
  check: DraftCheck;
  /** A submit was tried: mark empty fields too. */
  showAll: boolean;
  /** The API's 422 by field, until the text changes. */
  serverErrors: Record<string, string> | null;
}) {
  const [view, setView] = useState<"form" | "json">("form");
  const jsonId = useId();
  const checksId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const localErrors = check.kind === "checked" ? check.errors : {};
  const errors = serverErrors ? { ...localErrors, ...serverErrors } : localErrors;
  const invalid = check.kind === "syntax" || check.kind === "not-object" || Object.keys(errors).length > 0;
  const draft: Draft = check.kind === "checked" ? check.draft : starterDraft();

  return (
    <div className="grid gap-4">
      <Tabs.Root value={view} onValueChange={(v) => setView(v as "form" | "json")}>
        <Card className="overflow-hidden">
          <FormJsonTabList label="How to edit the policy" />
          <Tabs.Content value="form" className="p-5 focus-visible:outline-none">
            {check.kind === "checked" || check.kind === "empty" ? (
              <PolicyForm draft={draft} onChange={(d) => onTextChange(draftText(d))} errors={errors} showAll={showAll || !!serverErrors} />
            ) : (
              <Alert tone="warning" title="The form needs a JSON object">
                {check.kind === "syntax"
                  ? `The JSON has a syntax error at line ${check.error.line}, column ${check.error.column}. Fix it in the Advanced view to go on with the form.`
                  : "The policy must be a JSON object ({ … }). Fix it in the Advanced view to go on with the form."}
              </Alert>
            )}
          </Tabs.Content>
          <Tabs.Content value="json" className="grid gap-2 p-5 focus-visible:outline-none">
            <Label htmlFor={jsonId}>Policy JSON</Label>
            <p id={`${jsonId}-hint`} className="text-xs text-muted-foreground">
              The same policy as the form, as the API takes it (POST /api/v1/policies). Edits here show in the form and the other way round.
            </p>
            <JsonCodeEditor id={jsonId} value={text} onChange={onTextChange} invalid={invalid} describedBy={`${jsonId}-hint ${checksId}`} textareaRef={textarea} rows={22} />
          </Tabs.Content>
        </Card>
      </Tabs.Root>

      <section aria-labelledby={`${checksId}-title`} className="grid gap-3">
        <h2 id={`${checksId}-title`} className="text-base font-semibold">
          Checks
        </h2>
        <div id={checksId} className="grid gap-3">
          {check.kind === "empty" ? (
            <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">The policy is empty: fill in the form or write the JSON.</p>
          ) : check.kind === "syntax" ? (
            <SyntaxErrorNotice
              error={check.error}
              onGoTo={() => {
                setView("json");
                focusOffset(textarea, check.error.offset);
              }}
            />
          ) : check.kind === "not-object" ? (
            <ErrorList issues={[{ pointer: "", message: "The policy must be a JSON object" }]} />
          ) : Object.keys(errors).length > 0 ? (
            <ErrorList issues={problemsOf(errors)} title={serverErrors ? "Portcullis refused this policy" : undefined} />
          ) : (
            <p className="flex items-center gap-2 rounded-lg border bg-muted/40 px-3.5 py-3 text-sm font-medium">
              <CircleCheck aria-hidden className="size-4 shrink-0 text-primary" />
              The policy follows every rule and is ready for review.
            </p>
          )}
          {check.kind === "checked" && check.input && (
            <div className="grid gap-1.5 rounded-lg border bg-card px-3.5 py-3 text-sm">
              <span className="text-xs font-medium text-muted-foreground uppercase">In words</span>
              <PolicySentence doc={{ ...check.input, target: { ...check.input.target, resource: check.input.target.resource ?? "" } }} />
            </div>
          )}
        </div>
      </section>
    </div>
  );
}
