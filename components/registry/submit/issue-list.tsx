import { CircleCheck, CircleX } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/client/cn";
import type { Issue } from "@/lib/registry/server-json";
import type { JsonSyntaxError } from "./parse-json";

/** One issue: the member's JSON pointer as code, then the validator's sentence about it. */
function IssueItem({ issue }: { issue: Issue }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 sm:grid sm:grid-cols-[auto_minmax(0,1fr)]">
      <code className="justify-self-start rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all text-foreground">{issue.pointer || "/"}</code>
      <span>{issue.pointer ? issue.message : `The document ${issue.message}`}</span>
    </li>
  );
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Errors that block the submission (from the browser's check or the registry's 422). */
export function ErrorList({ issues, title, id }: { issues: Issue[]; title?: string; id?: string }) {
  return (
    <div id={id} className="grid gap-2 rounded-lg border border-destructive/40 bg-destructive/5 px-3.5 py-3 text-sm">
      {/* red-700/red-300 on the tinted box: text-destructive there is below 4.5:1 */}
      <p className="flex items-center gap-2 font-medium text-red-700 dark:text-red-300">
        <CircleX aria-hidden className="size-4 shrink-0" />
        {title ?? `${count(issues.length, "problem", "problems")} to fix before submitting`}
      </p>
      <ul className="grid gap-1.5 pl-6" aria-label="Problems">
        {issues.map((issue, i) => (
          <IssueItem key={`${issue.pointer}-${i}`} issue={issue} />
        ))}
      </ul>
    </div>
  );
}

/** Rules the schema states only in prose: the reviewer weighs them, they never block. */
export function WarningList({ issues }: { issues: Issue[] }) {
  return (
    <Alert tone="warning" title={`${count(issues.length, "warning", "warnings")} for the reviewer`}>
      <p>These do not stop you from submitting. The reviewer sees them next to the version and may ask you to fix them.</p>
      <ul className="mt-2 grid gap-1.5" aria-label="Warnings">
        {issues.map((issue, i) => (
          <IssueItem key={`${issue.pointer}-${i}`} issue={issue} />
        ))}
      </ul>
    </Alert>
  );
}

/** After switching to the JSON view: puts the caret on the offending character. */
export function focusOffset(textarea: React.RefObject<HTMLTextAreaElement | null>, offset: number) {
  requestAnimationFrame(() => {
    const el = textarea.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(offset, Math.min(offset + 1, el.value.length));
  });
}

export function SyntaxErrorNotice({ error, onGoTo }: { error: JsonSyntaxError; onGoTo?: () => void }) {
  return (
    <div className="grid gap-2 rounded-lg border border-destructive/40 bg-destructive/5 px-3.5 py-3 text-sm">
      <p className="flex items-center gap-2 font-medium text-red-700 dark:text-red-300">
        <CircleX aria-hidden className="size-4 shrink-0" />
        This is not valid JSON
      </p>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 pl-6">
        <span>
          <strong className="font-medium">
            Line {error.line}, column {error.column}:
          </strong>{" "}
          {error.message}.
        </span>
        {onGoTo && (
          <Button variant="link" size="sm" onClick={onGoTo}>
            Go to line {error.line}
          </Button>
        )}
      </div>
    </div>
  );
}

export function ValidNotice({ className }: { className?: string }) {
  return (
    <p className={cn("flex items-center gap-2 rounded-lg border bg-muted/40 px-3.5 py-3 text-sm font-medium", className)}>
      <CircleCheck aria-hidden className="size-4 shrink-0 text-primary" />
      The server.json is valid and ready to submit.
    </p>
  );
}
