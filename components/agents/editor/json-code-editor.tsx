"use client";

import { useMemo, useRef } from "react";
import { cn } from "@/lib/client/cn";
import { tokenizeJson, type TokenKind } from "./json-tokens";

const COLOURS: Record<TokenKind, string | undefined> = {
  key: "text-sky-700 dark:text-sky-300",
  string: "text-emerald-700 dark:text-emerald-300",
  number: "text-amber-700 dark:text-amber-300",
  literal: "text-violet-700 dark:text-violet-300",
  punctuation: "text-muted-foreground",
  plain: undefined,
};

// The textarea and the <pre> behind it share every metric that places a character; the textarea's
// own text is transparent, so what shows is the coloured copy, with the caret and the selection.
const METRICS = "m-0 px-3 py-2.5 font-mono text-[13px] leading-relaxed whitespace-pre [tab-size:2]";

/**
 * A JSON textarea with syntax colouring: an overlay <pre> of escaped spans (React text, never
 * HTML) that scrolls with the textarea.
 */
export function JsonCodeEditor({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  textareaRef,
  rows = 18,
  className,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  invalid?: boolean;
  describedBy?: string;
  textareaRef?: React.RefObject<HTMLTextAreaElement | null>;
  rows?: number;
  className?: string;
}) {
  const pre = useRef<HTMLPreElement>(null);
  const tokens = useMemo(() => tokenizeJson(value), [value]);
  return (
    <div
      className={cn(
        "relative overflow-hidden rounded-md border border-input bg-card shadow-xs transition-colors",
        "focus-within:border-ring focus-within:outline-2 focus-within:outline-ring/40",
        invalid && "border-destructive focus-within:outline-destructive/40",
        className,
      )}
    >
      <pre ref={pre} aria-hidden className={cn(METRICS, "pointer-events-none absolute inset-0 overflow-hidden text-foreground")}>
        {tokens.map((t, i) => (
          <span key={i} className={COLOURS[t.kind]}>
            {t.text}
          </span>
        ))}
        {/* A final newline in the textarea opens a line the <pre> must have too. */}
        {"\n"}
      </pre>
      <textarea
        ref={textareaRef}
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (!pre.current) return;
          pre.current.scrollTop = e.currentTarget.scrollTop;
          pre.current.scrollLeft = e.currentTarget.scrollLeft;
        }}
        rows={rows}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={cn(
          METRICS,
          "relative block min-h-56 w-full resize-y overflow-auto border-0 bg-transparent text-transparent caret-foreground outline-none",
          "selection:bg-primary/25 selection:text-transparent",
        )}
      />
    </div>
  );
}
