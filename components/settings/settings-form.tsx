"use client";

import { useRef, useState } from "react";
import { RotateCcw, Save } from "lucide-react";
import { toast } from "sonner";
import { formatSetting, humanizeMessage, rangeOf, SETTING_GROUPS, SETTING_META } from "@/lib/client/settings-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { focusFirstInvalid } from "@/lib/client/form";
import { useSettingsQuery, useUpdateSettingsMutation, type SettingsJson } from "@/lib/client/settings";
import { settingsProblems, settingsShape, type SettingKey, type Settings } from "@/lib/settings/schema";

const KEYS = Object.keys(settingsShape) as SettingKey[];
type Draft = Record<SettingKey, string>;

/** A setting as the form holds it: text settings' null is the empty string. */
const asText = (v: Settings[SettingKey]): string => (v === null ? "" : String(v));
const toDraft = (s: Settings): Draft => Object.fromEntries(KEYS.map((k) => [k, asText(s[k])])) as Draft;

/** The draft as settings, with a message for every field that does not validate. */
function parseDraft(draft: Draft, current: Settings): { values: Settings; errors: Partial<Record<SettingKey, string>> } {
  const values = { ...current } as Record<SettingKey, unknown>;
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const key of KEYS) {
    const raw = draft[key].trim();
    if (SETTING_META[key].text) {
      const parsed = settingsShape[key].safeParse(raw === "" ? null : raw);
      if (parsed.success) values[key] = parsed.data;
      else errors[key] = parsed.error.issues[0]?.message ?? "is not valid";
      continue;
    }
    const numeric = !SETTING_META[key].choices;
    if (numeric && !/^\d+$/.test(raw)) {
      errors[key] = raw === "" ? "is required" : "must be a whole number";
      continue;
    }
    const parsed = settingsShape[key].safeParse(numeric ? Number(raw) : raw);
    if (parsed.success) values[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "is not valid";
  }
  if (Object.keys(errors).length === 0) {
    for (const p of settingsProblems(values as Settings)) errors[p.field as SettingKey] ??= p.message;
  }
  return { values: values as Settings, errors };
}

/** Admin > Settings: every run-time setting on one form, grouped, saved together after confirming. */
export function SettingsForm() {
  const settings = useSettingsQuery();
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Settings"
        description="Limits and intervals that apply to the whole installation. Every change is recorded in the audit log."
      />
      {settings.isPending ? (
        <div role="status" className="grid gap-6">
          <span className="sr-only">Loading settings…</span>
          {SETTING_GROUPS.map((g) => (
            <Skeleton key={g.id} className="h-48 rounded-xl" />
          ))}
        </div>
      ) : settings.isError ? (
        <Card>
          <ErrorState error={settings.error} title="Could not load settings" onRetry={() => void settings.refetch()} />
        </Card>
      ) : (
        // Keyed on the loaded values: a save (or someone else's, on refetch) starts a fresh draft.
        <SettingsEditor key={JSON.stringify(settings.data.settings)} data={settings.data} />
      )}
    </div>
  );
}

function SettingsEditor({ data }: { data: SettingsJson }) {
  const { settings: current, defaults } = data;
  const [draft, setDraft] = useState<Draft>(() => toDraft(current));
  const [errors, setErrors] = useState<Partial<Record<SettingKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ patch: Partial<Settings> } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const update = useUpdateSettingsMutation();

  const changed = KEYS.filter((k) => draft[k].trim() !== asText(current[k]));

  function set(key: SettingKey, value: string) {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => {
      const { [key]: _drop, ...rest } = e;
      void _drop;
      return rest;
    });
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setFormError(null);
    const { values, errors: found } = parseDraft(draft, current);
    if (Object.keys(found).length) {
      setErrors(found);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    const patch = Object.fromEntries(KEYS.filter((k) => values[k] !== current[k]).map((k) => [k, values[k]])) as Partial<Settings>;
    if (Object.keys(patch).length === 0) {
      toast.info("Nothing to save: every setting is as stored");
      return;
    }
    setConfirming({ patch });
  }

  function save(patch: Partial<Settings>) {
    update.mutate(patch, {
      onSuccess: () => {
        toast.success(`Saved ${Object.keys(patch).length === 1 ? "1 setting" : `${Object.keys(patch).length} settings`}`);
        setConfirming(null);
      },
      onError: (err) => {
        setConfirming(null);
        const fields = err instanceof ApiClientError ? err.fieldErrors : {};
        const known = Object.fromEntries(Object.entries(fields).filter(([k]) => Object.hasOwn(SETTING_META, k)));
        if (Object.keys(known).length) {
          setErrors(known);
          focusFirstInvalid(formRef.current);
        } else setFormError(errorMessage(err));
      },
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-6" aria-label="Settings">
      {formError && <Alert title="The settings were not saved">{formError}</Alert>}
      {SETTING_GROUPS.map((group) => (
        <Card key={group.id} role="group" aria-labelledby={`settings-${group.id}`}>
          <CardHeader>
            <CardTitle id={`settings-${group.id}`}>{group.title}</CardTitle>
            <CardDescription>{group.description}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-x-8 gap-y-6 md:grid-cols-2">
            {group.keys.map((key) => (
              <SettingField
                key={key}
                settingKey={key}
                value={draft[key]}
                stored={current[key]}
                defaultValue={defaults[key]}
                error={errors[key]}
                onChange={(v) => set(key, v)}
              />
            ))}
          </CardContent>
        </Card>
      ))}

      <div className="sticky bottom-0 z-10 -mx-4 flex flex-col gap-3 border-t bg-background/95 px-4 py-3 backdrop-blur sm:mx-0 sm:flex-row sm:items-center sm:justify-between sm:rounded-xl sm:border">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {changed.length === 0 ? "No unsaved changes" : changed.length === 1 ? "1 unsaved change" : `${changed.length} unsaved changes`}
        </p>
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <Button
            variant="secondary"
            disabled={changed.length === 0 || update.isPending}
            onClick={() => {
              setDraft(toDraft(current));
              setErrors({});
              setFormError(null);
            }}
          >
            Discard changes
          </Button>
          <Button type="submit" disabled={update.isPending}>
            <Save aria-hidden />
            Save changes
          </Button>
        </div>
      </div>

      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title="Save these changes?"
        description={
          <span className="grid gap-2">
            <span>They apply at once to the whole installation.</span>
            <span className="grid gap-1.5 rounded-lg border bg-muted/50 p-3">
              {confirming &&
                (Object.keys(confirming.patch) as SettingKey[]).map((k) => (
                  <span key={k} className="grid gap-0.5">
                    <span className="font-medium text-foreground">{SETTING_META[k].label}</span>
                    <span>
                      {formatSetting(k, current[k])} <span aria-hidden>→</span>
                      <span className="sr-only">to</span> <strong className="font-medium text-foreground">{formatSetting(k, confirming.patch[k]!)}</strong>
                    </span>
                  </span>
                ))}
            </span>
          </span>
        }
        confirmLabel="Save changes"
        pending={update.isPending}
        onConfirm={() => confirming && save(confirming.patch)}
      />
    </form>
  );
}

function SettingField({
  settingKey,
  value,
  stored,
  defaultValue,
  error,
  onChange,
}: {
  settingKey: SettingKey;
  value: string;
  stored: Settings[SettingKey];
  defaultValue: Settings[SettingKey];
  error?: string;
  onChange: (value: string) => void;
}) {
  const meta = SETTING_META[settingKey];
  const { min, max } = rangeOf(settingKey);
  const isDefault = value.trim() === asText(defaultValue);
  const isChanged = value.trim() !== asText(stored);
  const hint = (
    <>
      {meta.description}{" "}
      <span className="whitespace-nowrap">
        Default: {formatSetting(settingKey, defaultValue)}
        {!meta.choices && !meta.text && min !== undefined && max !== undefined ? ` (${min}–${max})` : ""}.
      </span>
    </>
  );
  return (
    <div className="grid content-start gap-2">
      <Field label={meta.label} hint={hint} error={error ? humanizeMessage(error) : undefined}>
        {(p) =>
          meta.text ? (
            <Input {...p} name={settingKey} type="text" value={value} placeholder={meta.text.placeholder} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
          ) : meta.choices ? (
            <Select
              {...p}
              value={value}
              onValueChange={onChange}
              options={Object.entries(meta.choices).map(([v, label]) => ({ value: v, label }))}
            />
          ) : (
            <div className="flex items-center gap-2">
              <Input
                {...p}
                name={settingKey}
                type="number"
                inputMode="numeric"
                min={min}
                max={max}
                step={1}
                value={value}
                onChange={(e) => onChange(e.target.value)}
                className="w-32"
              />
              <span className="text-sm text-muted-foreground">{meta.unit}</span>
            </div>
          )
        }
      </Field>
      <div className="flex min-h-6 flex-wrap items-center gap-2 text-xs">
        {isChanged && <span className="font-medium text-amber-700 dark:text-amber-300">Changed, not saved</span>}
        {!isDefault && (
          <Button
            variant="link"
            size="sm"
            className="text-xs"
            onClick={() => onChange(asText(defaultValue))}
            aria-label={`Reset ${meta.label.toLowerCase()} to its default, ${formatSetting(settingKey, defaultValue)}`}
          >
            <RotateCcw aria-hidden className="size-3!" />
            Reset to default
          </Button>
        )}
      </div>
    </div>
  );
}
