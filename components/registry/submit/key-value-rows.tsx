"use client";

import { useRef, useState } from "react";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { emptyKeyValue, type KeyValueForm } from "@/lib/registry/build-server-json";

export type ErrorAt = (pointer: string, value: string) => string | undefined;

/** Environment variables of a package or headers of a transport: add/remove rows of name, description and two flags. */
export function KeyValueRows({
  rows,
  onChange,
  noun,
  title,
  owner,
  namePlaceholder,
  pointer,
  errorAt,
}: {
  rows: KeyValueForm[];
  onChange: (rows: KeyValueForm[]) => void;
  /** "environment variable", "header" */
  noun: string;
  title: string;
  /** Whose rows these are, for the buttons' accessible names: "package 1". */
  owner: string;
  namePlaceholder: string;
  /** JSON pointer of the array, e.g. /packages/0/environmentVariables */
  pointer: string;
  errorAt: ErrorAt;
}) {
  const addRef = useRef<HTMLButtonElement>(null);
  // The row just added takes the focus when it mounts.
  const [focusId, setFocusId] = useState<string | null>(null);
  const set = (id: string, patch: Partial<KeyValueForm>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">{title}</legend>
      {rows.length === 0 && <p className="text-xs text-muted-foreground">None. Add one for each {noun} a client has to set.</p>}
      {rows.map((row, i) => (
        <div
          key={row.id}
          role="group"
          aria-label={`${noun} ${i + 1} of ${owner}`}
          className="grid items-start gap-3 rounded-lg border bg-muted/30 p-3 @lg:grid-cols-[minmax(0,11rem)_minmax(0,1fr)] @3xl:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto]"
        >
          <Field label="Name" error={errorAt(`${pointer}/${i}/name`, row.name)}>
            {(p) => (
              <Input
                {...p}
                value={row.name}
                onChange={(e) => set(row.id, { name: e.target.value })}
                placeholder={namePlaceholder}
                spellCheck={false}
                autoComplete="off"
                className="font-mono"
                autoFocus={focusId === row.id}
              />
            )}
          </Field>
          <Field label="Description" error={errorAt(`${pointer}/${i}/description`, row.description)}>
            {(p) => <Input {...p} value={row.description} onChange={(e) => set(row.id, { description: e.target.value })} autoComplete="off" />}
          </Field>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 @lg:col-span-2 @3xl:col-span-1 @3xl:pt-6">
            <Flag label="Required" checked={row.isRequired} onChange={(v) => set(row.id, { isRequired: v })} />
            <Flag label="Secret" checked={row.isSecret} onChange={(v) => set(row.id, { isSecret: v })} />
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Remove ${noun} ${i + 1}${row.name ? ` (${row.name})` : ""} of ${owner}`}
              onClick={() => {
                onChange(rows.filter((r) => r.id !== row.id));
                addRef.current?.focus();
              }}
            >
              <Trash2 aria-hidden />
            </Button>
          </div>
        </div>
      ))}
      <div>
        <Button
          ref={addRef}
          variant="secondary"
          size="sm"
          aria-label={`Add ${noun} to ${owner}`}
          onClick={() => {
            const row = emptyKeyValue();
            setFocusId(row.id);
            onChange([...rows, row]);
          }}
        >
          <Plus aria-hidden />
          Add {noun}
        </Button>
      </div>
    </fieldset>
  );
}

function Flag({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-center gap-2 text-sm">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-4 cursor-pointer rounded border-input accent-primary focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
      />
      {label}
    </label>
  );
}
