"use client";

import { Filter, X } from "lucide-react";
import { KNOWN_ACTIONS } from "@/components/audit/describe";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AuditFilters } from "@/lib/client/query-keys";

/** Action and actor filters; applied on submit so typing does not fire a query per key. */
export function AuditFiltersForm({ filters, onChange }: { filters: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const active = Boolean(filters.action || filters.actor || filters.targetId);
  const target = filters.targetId ? { targetType: filters.targetType, targetId: filters.targetId } : {};
  return (
    <form
      // Re-mounts with new defaults when the filters change from elsewhere (URL, row buttons).
      key={`${filters.action ?? ""}|${filters.actor ?? ""}|${filters.targetId ?? ""}`}
      role="search"
      aria-label="Filter audit events"
      className="grid gap-3 rounded-xl border bg-card p-4 shadow-xs sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        onChange({
          action: String(form.get("action") ?? "").trim() || undefined,
          actor: String(form.get("actor") ?? "").trim() || undefined,
          ...target,
        });
      }}
    >
      <Field label="Action">
        {(p) => (
          <>
            <Input
              {...p}
              name="action"
              defaultValue={filters.action ?? ""}
              placeholder="e.g. user.create"
              list="audit-actions"
              spellCheck={false}
              autoComplete="off"
            />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="Actor">
        {(p) => (
          <Input
            {...p}
            name="actor"
            defaultValue={filters.actor ?? ""}
            placeholder="E-mail, account name or id"
            spellCheck={false}
            autoComplete="off"
          />
        )}
      </Field>
      {filters.targetId && (
        <p className="flex flex-wrap items-center gap-2 text-sm sm:col-span-3">
          Only events of {filters.targetType ?? "record"} <code className="font-mono text-xs">{filters.targetId}</code>
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange({ action: filters.action, actor: filters.actor })}>
            <X aria-hidden />
            Show all records
          </Button>
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="secondary">
          <Filter aria-hidden />
          Apply
        </Button>
        {active && (
          <Button type="button" variant="ghost" onClick={() => onChange({})}>
            <X aria-hidden />
            Clear
          </Button>
        )}
      </div>
    </form>
  );
}
