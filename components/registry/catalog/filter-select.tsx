"use client";

import { Select } from "@/components/ui/select";

// A toolbar filter: "All" plus the choices; the empty value means no filter.

const ALL = "__all__";

export function FilterSelect({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[] }) {
  return (
    <Select
      size="sm"
      aria-label={label}
      value={value || ALL}
      onValueChange={(v) => onChange(v === ALL ? "" : v)}
      options={[{ value: ALL, label: `${label}: all` }, ...options.map((o) => ({ value: o.value, label: `${label}: ${o.label}` }))]}
      className="w-auto min-w-36"
    />
  );
}
