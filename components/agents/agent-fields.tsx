"use client";

import { Bot, Cpu } from "lucide-react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/client/cn";
import type { AgentEnvironment, AgentKind } from "@/lib/client/agents";
import { ServerPicker, type PickedServer } from "./server-picker";

// The agent's own fields (not its document): who it is for people, and what it may reach.

export interface AgentFieldValues {
  name: string;
  environment: AgentEnvironment | "";
  purpose: string;
  ownerTeam: string;
  servers: PickedServer[];
}

export const ENVIRONMENT_OPTIONS = [
  { value: "production", label: "production" },
  { value: "staging", label: "staging" },
  { value: "dev", label: "dev" },
];

export const KIND_OPTIONS: { value: AgentKind; label: string; description: string; icon: typeof Bot }[] = [
  { value: "interactive", label: "Interactive", description: "Acts for a signed-in person: authorization code with PKCE, back to its redirect URIs.", icon: Bot },
  { value: "headless", label: "Headless", description: "Machine to machine: client credentials, signed with its own key (private_key_jwt). No redirect URIs.", icon: Cpu },
];

/** The slug rule of docs/agents.md: [a-z0-9-], 3–63 characters, a letter or digit at both ends. */
export function slugProblem(slug: string): string | undefined {
  if (!slug) return "is required";
  if (slug.length < 3 || slug.length > 63) return "must be 3 to 63 characters";
  if (!/^[a-z0-9-]+$/.test(slug)) return "may hold only lower-case letters, digits and dashes";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(slug)) return "must start and end with a letter or digit";
  return undefined;
}

/** A slug suggested from the name: lower case, dashes for anything else. */
export function slugFrom(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** `children` (the slug and kind, on registration) go between the name and the purpose. */
export function AgentFields({
  value,
  onChange,
  errors,
  children,
}: {
  value: AgentFieldValues;
  onChange: (patch: Partial<AgentFieldValues>) => void;
  errors: Record<string, string>;
  children?: React.ReactNode;
}) {
  return (
    <div className="@container grid gap-4">
      <div className="grid items-start gap-4 @xl:grid-cols-2">
        <Field label="Name" hint="For people, in the console and in reviews." error={errors.name}>
          {(p) => <Input {...p} value={value.name} onChange={(e) => onChange({ name: e.target.value })} maxLength={200} autoComplete="off" />}
        </Field>
        <Field label="Environment" hint="Where it runs." error={errors.environment}>
          {(p) => <Select {...p} value={value.environment || undefined} placeholder="Choose an environment" onValueChange={(v) => onChange({ environment: v as AgentEnvironment })} options={ENVIRONMENT_OPTIONS} />}
        </Field>
      </div>
      {children}
      <Field label="Purpose" hint="What it does and for whom: reviewers read this first." error={errors.purpose}>
        {(p) => <Textarea {...p} value={value.purpose} onChange={(e) => onChange({ purpose: e.target.value })} rows={2} maxLength={2000} className="min-h-16" />}
      </Field>
      <Field label="Owner team" hint="Optional. The team answerable for it." error={errors.ownerTeam}>
        {(p) => <Input {...p} value={value.ownerTeam} onChange={(e) => onChange({ ownerTeam: e.target.value })} maxLength={120} placeholder="e.g. Finance automation" autoComplete="off" />}
      </Field>
      <ServerPicker value={value.servers} onChange={(servers) => onChange({ servers })} error={errors.servers} />
    </div>
  );
}

/** Interactive or headless, as two large radio cards. */
export function KindRadio({ value, onChange, error }: { value: AgentKind; onChange: (kind: AgentKind) => void; error?: string }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1.5 text-sm font-medium">Kind</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {KIND_OPTIONS.map((k) => (
          <label
            key={k.value}
            className={cn(
              "flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-muted/40",
              "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring",
              value === k.value && "border-primary/60 bg-accent/50",
            )}
          >
            <input type="radio" name="agent-kind" value={k.value} checked={value === k.value} onChange={() => onChange(k.value)} className="mt-1 size-4 accent-primary" />
            <span className="grid gap-0.5">
              <span className="flex items-center gap-1.5 font-medium">
                <k.icon aria-hidden className="size-4 text-muted-foreground" />
                {k.label}
              </span>
              <span className="text-xs text-muted-foreground">{k.description}</span>
            </span>
          </label>
        ))}
      </div>
      {error && <p className="text-xs text-destructive">{error}</p>}
    </fieldset>
  );
}
