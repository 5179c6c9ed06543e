"use client";

import { useRef, useState } from "react";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/client/cn";

/** An editable list of strings (redirect URIs, contacts): a row each, add and remove. */
export function StringList({
  legend,
  hint,
  noun,
  values,
  onChange,
  errorOf,
  listError,
  placeholder,
  type = "text",
}: {
  legend: string;
  hint?: React.ReactNode;
  /** "redirect URI": names the buttons and rows. */
  noun: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** The message for one row, if any. */
  errorOf: (index: number, value: string) => string | undefined;
  /** A message about the list as a whole (e.g. "is required"). */
  listError?: string;
  placeholder?: string;
  type?: "text" | "url" | "email";
}) {
  const add = useRef<HTMLButtonElement>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      {hint && <p className="-mt-1 text-xs text-muted-foreground">{hint}</p>}
      {values.length === 0 && <p className="text-xs text-muted-foreground">None yet.</p>}
      {values.map((v, i) => {
        const error = errorOf(i, v);
        const id = `${noun.replace(/\W+/g, "-")}-${i}`;
        return (
          <div key={i} className="grid gap-1">
            <div className="flex gap-2">
              <Input
                id={id}
                type={type}
                value={v}
                onChange={(e) => onChange(values.map((x, j) => (j === i ? e.target.value : x)))}
                placeholder={placeholder}
                aria-label={`${noun[0].toUpperCase()}${noun.slice(1)} ${i + 1}`}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                spellCheck={false}
                autoComplete="off"
                autoFocus={focusIndex === i}
                className="font-mono text-xs"
              />
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Remove ${noun} ${i + 1}${v ? ` (${v})` : ""}`}
                onClick={() => {
                  onChange(values.filter((_, j) => j !== i));
                  add.current?.focus();
                }}
              >
                <Trash2 aria-hidden />
              </Button>
            </div>
            {error && (
              <p id={`${id}-error`} className="text-xs text-destructive">
                {error}
              </p>
            )}
          </div>
        );
      })}
      {listError && <p className={cn("text-xs text-destructive")}>{listError}</p>}
      <div>
        <Button
          ref={add}
          variant="secondary"
          size="sm"
          onClick={() => {
            setFocusIndex(values.length);
            onChange([...values, ""]);
          }}
        >
          <Plus aria-hidden />
          Add {noun}
        </Button>
      </div>
    </fieldset>
  );
}
