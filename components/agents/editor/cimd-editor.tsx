"use client";

import { useId, useRef, useState } from "react";
import { CircleCheck } from "lucide-react";
import { FormJsonTabList } from "@/components/ui/editor-tabs";
import { Tabs } from "radix-ui";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { ErrorList, focusOffset, SyntaxErrorNotice, WarningList } from "@/components/registry/submit/issue-list";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/client/cn";
import type { AgentKind, CimdDocument, CimdIssue } from "@/lib/client/agents";
import { documentText, pointerOf } from "./cimd-fields";
import { CimdFormView } from "./cimd-form-view";
import { MAX_CIMD_BYTES, type CimdCheck } from "./check";
import { JsonCodeEditor } from "./json-code-editor";

const asIssues = (list: readonly CimdIssue[]) => list.map((i) => ({ pointer: pointerOf(i.field), message: i.message }));

/**
 * The Client ID Metadata Document editor of New and Edit: a form and the JSON itself, two views of
 * one text, checked on every keystroke by the validator the API runs (lib/cimd/validate.ts).
 */
export function CimdEditor({
  text,
  onTextChange,
  check,
  clientId,
  kind,
  insecureBase,
  showAll,
  serverIssues,
}: {
  text: string;
  onTextChange: (text: string) => void;
  check: CimdCheck;
  clientId: string;
  kind: AgentKind;
  insecureBase: boolean;
  /** A submit was tried: mark empty fields too. */
  showAll: boolean;
  /** The API's 422 for the document, until the text changes. */
  serverIssues: CimdIssue[] | null;
}) {
  const [view, setView] = useState<"form" | "json">("form");
  const jsonId = useId();
  const checksId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const errors = check.kind === "checked" ? check.result.errors : [];
  const invalid = check.kind === "syntax" || check.kind === "not-object" || errors.length > 0;

  return (
    <div className="grid gap-4">
      {insecureBase && <InsecureBaseNotice />}
      <Tabs.Root value={view} onValueChange={(v) => setView(v as "form" | "json")}>
        <Card className="overflow-hidden">
          <FormJsonTabList label="How to edit the document">
            <SizeMeter check={check} />
          </FormJsonTabList>
          <Tabs.Content value="form" className="p-5 focus-visible:outline-none">
            {check.kind === "checked" || check.kind === "empty" ? (
              <CimdFormView
                doc={check.kind === "checked" ? check.document : {}}
                onChange={(doc: CimdDocument) => onTextChange(documentText(doc))}
                issues={serverIssues ? [...serverIssues, ...errors] : errors}
                showAll={showAll || !!serverIssues}
                kind={kind}
                clientId={clientId}
              />
            ) : (
              <Alert tone="warning" title="The form needs a JSON object">
                {check.kind === "syntax"
                  ? `The JSON has a syntax error at line ${check.error.line}, column ${check.error.column}. Fix it in the Advanced view to go on with the form.`
                  : "The document must be a JSON object ({ … }). Fix it in the Advanced view to go on with the form."}
              </Alert>
            )}
          </Tabs.Content>
          <Tabs.Content value="json" className="grid gap-2 p-5 focus-visible:outline-none">
            <Label htmlFor={jsonId}>Client ID Metadata Document</Label>
            <p className="text-xs text-muted-foreground">
              The JSON served at the client_id. Leave <code className="font-mono">client_id</code> out and the console fills it in. Members the form does not know are kept.
            </p>
            <JsonCodeEditor id={jsonId} value={text} onChange={onTextChange} invalid={invalid} describedBy={checksId} textareaRef={textarea} />
          </Tabs.Content>
        </Card>
      </Tabs.Root>

      <section aria-labelledby={`${checksId}-title`} className="grid gap-3">
        <h2 id={`${checksId}-title`} className="text-base font-semibold">
          Checks
        </h2>
        <div id={checksId} className="grid gap-3">
          {serverIssues ? (
            <ErrorList issues={asIssues(serverIssues)} title="Portcullis refused this document" />
          ) : check.kind === "empty" ? (
            <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">The document is empty: fill in the form or write the JSON.</p>
          ) : check.kind === "syntax" ? (
            <SyntaxErrorNotice
              error={check.error}
              onGoTo={() => {
                setView("json");
                focusOffset(textarea, check.error.offset);
              }}
            />
          ) : check.kind === "not-object" ? (
            <ErrorList issues={[{ pointer: "", message: "must be a JSON object" }]} />
          ) : (
            <>
              {errors.length > 0 ? (
                <ErrorList issues={asIssues(errors)} />
              ) : (
                <p className="flex items-center gap-2 rounded-lg border bg-muted/40 px-3.5 py-3 text-sm font-medium">
                  <CircleCheck aria-hidden className="size-4 shrink-0 text-primary" />
                  The document follows every rule and is ready for review.
                </p>
              )}
              {check.result.warnings.length > 0 && <WarningList issues={asIssues(check.result.warnings)} />}
            </>
          )}
        </div>
      </section>
    </div>
  );
}

/** "N / 5120 bytes" of the canonical serialization (what is served), with a bar. */
function SizeMeter({ check }: { check: CimdCheck }) {
  const size = check.kind === "checked" ? check.result.size : null;
  const ratio = size === null ? 0 : Math.min(size / MAX_CIMD_BYTES, 1);
  const over = size !== null && size > MAX_CIMD_BYTES;
  return (
    <div className="flex items-center gap-2 px-2 text-xs text-muted-foreground" title="The size of the served bytes: compact JSON, keys sorted">
      <span aria-hidden className="h-1.5 w-20 overflow-hidden rounded-full bg-border">
        <span
          className={cn("block h-full rounded-full", over ? "bg-destructive" : ratio > 0.8 ? "bg-amber-500" : "bg-primary")}
          style={{ width: `${Math.max(ratio * 100, size ? 2 : 0)}%` }}
        />
      </span>
      <span className={cn("font-mono tabular-nums", over && "font-medium text-destructive")} aria-label={size === null ? "Size unknown until the JSON parses" : `Size ${size} of ${MAX_CIMD_BYTES} bytes`}>
        {size === null ? "—" : size} / {MAX_CIMD_BYTES} bytes
      </span>
    </div>
  );
}

/** PUBLIC_BASE_URL is not https: the client_ids work here, and nowhere that matters. */
export function InsecureBaseNotice({ className }: { className?: string }) {
  return (
    <Alert tone="warning" title="Development only: this Portcullis is not served over https" className={className}>
      Its client_ids start with <code className="font-mono">http://</code>, and authorization servers will refuse them. Set PUBLIC_BASE_URL to an https URL before
      registering agents for real use.
    </Alert>
  );
}
