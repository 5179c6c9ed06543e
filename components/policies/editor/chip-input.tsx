"use client";

import { useId, useRef, useState } from "react";
import { Plus, X } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/client/cn";
import { fieldSentence } from "./policy-draft";

/**
 * A list of short strings as chips (groups, users, scopes, environments): type and press Enter
 * (or a separator) to add, Backspace in the empty box removes the last, each chip has its own
 * remove button. Suggestions come from a datalist; quick picks are one-click buttons.
 */
export function ChipInput({
  label,
  noun,
  hint,
  error,
  itemError,
  values,
  onChange,
  suggestions = [],
  quickPicks,
  quickPicksLabel = "Suggestions",
  placeholder,
  mono = true,
  separators = /[\n,]/,
  disabled,
  describe,
}: {
  label: string;
  /** "group": names the chips' remove buttons. */
  noun: string;
  hint?: React.ReactNode;
  /** A message about the list as a whole. */
  error?: string;
  /** The message for one chip, if any. */
  itemError?: (index: number) => string | undefined;
  values: string[];
  onChange: (values: string[]) => void;
  suggestions?: string[];
  quickPicks?: string[];
  quickPicksLabel?: string;
  placeholder?: string;
  mono?: boolean;
  /** What else ends an entry besides Enter (scopes: white space too). */
  separators?: RegExp;
  disabled?: boolean;
  /** A chip's extra text (e.g. an agent's name beside its client_id). */
  describe?: (value: string) => React.ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const chipErrors = values.map((_, i) => itemError?.(i)).map((m, i) => (m ? { i, m } : null)).filter((x): x is { i: number; m: string } => !!x);
  const messageId = `${id}-message`;
  const offered = suggestions.filter((s) => !values.includes(s));
  const picks = (quickPicks ?? []).filter((s) => !values.includes(s));

  function add(raw: string) {
    const items = raw
      .split(separators)
      .map((s) => s.trim())
      .filter(Boolean);
    const next = [...values];
    for (const item of items) if (!next.includes(item)) next.push(item);
    if (next.length !== values.length) onChange(next);
    setText("");
  }

  function remove(index: number) {
    onChange(values.filter((_, i) => i !== index));
    input.current?.focus();
  }

  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {values.length > 0 && (
        <ul aria-label={label} className="flex flex-wrap gap-1.5">
          {values.map((v, i) => {
            const bad = !!itemError?.(i);
            return (
              <li key={`${v}-${i}`}>
                <Badge tone={bad ? "danger" : "primary"} className={cn("max-w-full py-1 pr-1 whitespace-normal", mono && "font-mono")}>
                  <span className="break-all">{v}</span>
                  {describe && <span className="font-sans text-muted-foreground">{describe(v)}</span>}
                  <button
                    type="button"
                    onClick={() => remove(i)}
                    disabled={disabled}
                    aria-label={`Remove ${noun} ${v}`}
                    className="shrink-0 cursor-pointer rounded-full p-0.5 hover:bg-primary/15 focus-visible:outline-2 focus-visible:outline-ring"
                  >
                    <X aria-hidden />
                  </button>
                </Badge>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex gap-2">
        <Input
          ref={input}
          id={id}
          value={text}
          disabled={disabled}
          list={offered.length ? `${id}-suggestions` : undefined}
          onChange={(e) => {
            const v = e.target.value;
            if (separators.test(v)) add(v);
            else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add(text);
            } else if (e.key === "Backspace" && text === "" && values.length) {
              e.preventDefault();
              onChange(values.slice(0, -1));
            }
          }}
          onBlur={() => text.trim() && add(text)}
          placeholder={placeholder}
          aria-invalid={error || chipErrors.length ? true : undefined}
          aria-describedby={error || hint || chipErrors.length ? messageId : undefined}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          className={cn(mono && "font-mono text-xs")}
        />
        <Button variant="secondary" onClick={() => add(text)} disabled={disabled || !text.trim()} aria-label={`Add ${noun}`}>
          <Plus aria-hidden />
          Add
        </Button>
        {offered.length > 0 && (
          <datalist id={`${id}-suggestions`}>
            {offered.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        )}
      </div>
      {picks.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5 text-xs">
          <span className="text-muted-foreground">{quickPicksLabel}:</span>
          {picks.map((s) => (
            <button
              key={s}
              type="button"
              disabled={disabled}
              onClick={() => onChange([...values, s])}
              aria-label={`Add ${noun} ${s}`}
              className={cn(
                "inline-flex cursor-pointer items-center gap-1 rounded-full border border-dashed px-2 py-0.5 hover:border-primary/50 hover:bg-accent/50",
                "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring",
                mono && "font-mono",
              )}
            >
              <Plus aria-hidden className="size-3" />
              {s}
            </button>
          ))}
        </div>
      )}
      {(error || chipErrors.length > 0 || hint) && (
        <div id={messageId} className="grid gap-0.5 text-xs">
          {error && <p className="text-destructive">{fieldSentence(label, error)}</p>}
          {chipErrors.map(({ i, m }) => (
            <p key={i} className="text-destructive">
              <code className="font-mono">{values[i]}</code> {m}
            </p>
          ))}
          {!error && !chipErrors.length && hint && <p className="text-muted-foreground">{hint}</p>}
        </div>
      )}
    </div>
  );
}
