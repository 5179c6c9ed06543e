import type { CimdCheck } from "./editor/check";

/** The sticky foot of the New and Edit pages: where the document stands, and the buttons. */
export function SubmitBar({ summary, children }: { summary: string; children: React.ReactNode }) {
  return (
    <div className="sticky bottom-0 z-10 -mx-4 flex flex-col gap-3 border-t bg-background/95 px-4 py-3 backdrop-blur sm:mx-0 sm:flex-row sm:items-center sm:justify-between sm:rounded-xl sm:border">
      <p aria-live="polite" className="text-sm text-muted-foreground">
        {summary}
      </p>
      <div className="flex flex-col-reverse gap-2 sm:flex-row">{children}</div>
    </div>
  );
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function checkSummary(check: CimdCheck, otherProblems = 0): string {
  if (check.kind === "empty") return "Write the document to submit it.";
  if (check.kind === "syntax") return "Fix the JSON syntax to submit (a draft needs valid JSON too).";
  if (check.kind === "not-object") return "The document must be a JSON object.";
  const n = check.result.errors.length + otherProblems;
  if (n > 0) return `Fix ${count(n, "problem", "problems")} to submit for review; a draft can be saved as it is.`;
  const w = check.result.warnings.length;
  return w ? `Ready for review, with ${count(w, "warning", "warnings")} for the reviewer.` : "Ready for review.";
}
