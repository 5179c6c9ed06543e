import { CircleX } from "lucide-react";

// The editor's problems, laid out as the shared ErrorList (components/registry/submit/issue-list)
// but in red-700/red-300: text-destructive on its tinted box measures 4.2:1 on the page
// background, under WCAG's 4.5:1 (axe, e2e/policies.spec.ts).

export function ProblemList({ issues, title }: { issues: { pointer: string; message: string }[]; title?: string }) {
  return (
    <div className="grid gap-2 rounded-lg border border-destructive/40 bg-destructive/5 px-3.5 py-3 text-sm">
      <p className="flex items-center gap-2 font-medium text-red-700 dark:text-red-300">
        <CircleX aria-hidden className="size-4 shrink-0" />
        {title ?? `${issues.length} problem${issues.length === 1 ? "" : "s"} to fix before submitting`}
      </p>
      <ul className="grid gap-1.5 pl-6" aria-label="Problems">
        {issues.map((issue, i) => (
          <li key={`${issue.pointer}-${i}`} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 sm:grid sm:grid-cols-[auto_minmax(0,1fr)]">
            <code className="justify-self-start rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all text-foreground">{issue.pointer || "/"}</code>
            <span>{issue.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
