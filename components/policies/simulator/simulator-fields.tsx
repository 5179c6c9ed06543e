"use client";

import { useDeferredValue, useId, useMemo, useState } from "react";
import { Search, UserRound } from "lucide-react";
import { useCan } from "@/components/shell/actor-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { useDebounced } from "@/components/registry/submit/use-debounced";
import { errorMessage } from "@/lib/client/api";
import { rowsOf } from "@/lib/client/list-query";
import { useAgentsQuery } from "@/lib/client/agents";
import { useUsersQuery } from "@/lib/client/users";
import { usePolicyGroupsQuery, usePolicyTargetsQuery, type SimulateInput } from "@/lib/client/policies";
import { ChipInput } from "../editor/chip-input";

// The simulator's inputs: who (a person picked or typed), which agent, which server, which
// scopes; and the request they make, debounced so typing does not send a request per key.

export interface SimulatorState {
  sub: string;
  email: string;
  groups: string[];
  acr: string;
  /** Seconds since the person signed in ("" when unknown). */
  authAge: string;
  clientId: string;
  server: string;
  scopes: string[];
  environment: string;
}

export const emptySimulator = (over: Partial<SimulatorState> = {}): SimulatorState => ({
  sub: "",
  email: "",
  groups: [],
  acr: "",
  authAge: "",
  clientId: "",
  server: "",
  scopes: [],
  environment: "",
  ...over,
});

/** The request for the current inputs, or null while something it needs is missing. */
export function requestOf(s: SimulatorState, versionId?: string): SimulateInput | null {
  if (!s.clientId.trim() || !s.sub.trim() || !s.server) return null;
  const age = s.authAge.trim() === "" ? null : Number(s.authAge);
  return {
    client_id: s.clientId.trim(),
    subject: {
      sub: s.sub.trim(),
      email: s.email.trim() || null,
      groups: s.groups,
      acr: s.acr.trim() || null,
      // Whole seconds, a minute at a time, so the request (and its cache entry) stays the same while nothing changes.
      auth_time: age === null || !Number.isFinite(age) ? null : Math.max(0, Math.floor(Date.now() / 60_000) * 60 - Math.floor(age)),
    },
    server: s.server,
    scopes: s.scopes,
    environment: s.environment || null,
    versionId: versionId || undefined,
  };
}

/** The request, once the inputs have been still for a moment. */
export function useDebouncedRequest(s: SimulatorState, versionId?: string, ms = 350): SimulateInput | null {
  const settled = useDebounced(s, ms);
  return useMemo(() => requestOf(settled, versionId), [settled, versionId]);
}

const ENVIRONMENTS = [
  { value: "__registered__", label: "Unknown (or as registered here)" },
  { value: "production", label: "production" },
  { value: "staging", label: "staging" },
  { value: "dev", label: "dev" },
];

/** A person from the console's users (users.read), filling the subject; others type it. */
function UserSearch({ onPick }: { onPick: (u: { email: string; name: string }) => void }) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const users = useUsersQuery({ q }, { enabled: q.length > 0 });
  const rows = rowsOf(users).filter((u) => u.kind === "human" && u.email);
  const id = useId();
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        Find a person
      </label>
      <div className="relative">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input id={id} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or e-mail" className="pl-9" autoComplete="off" />
        {users.isFetching && (
          <span className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground">
            <Spinner label="Searching" />
          </span>
        )}
      </div>
      {q && (
        <div className="max-h-40 overflow-y-auto rounded-md border">
          {users.isError ? (
            <p role="alert" className="p-2.5 text-sm text-destructive">
              {errorMessage(users.error)}
            </p>
          ) : rows.length === 0 ? (
            <p className="p-2.5 text-sm text-muted-foreground">{users.isPending ? "Searching…" : "Nobody matches."}</p>
          ) : (
            <ul aria-label="People" className="divide-y">
              {rows.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    onClick={() => {
                      onPick({ email: u.email!, name: u.name });
                      setSearch("");
                    }}
                    className="flex w-full cursor-pointer items-center gap-2 px-2.5 py-2 text-left text-sm hover:bg-muted/50 focus-visible:bg-muted/50 focus-visible:outline-none"
                  >
                    <UserRound aria-hidden className="size-4 shrink-0 text-muted-foreground" />
                    <span className="grid min-w-0">
                      <span className="truncate font-medium">{u.name}</span>
                      <span className="truncate text-xs text-muted-foreground">{u.email}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="text-xs text-muted-foreground">Picking a person fills in their e-mail; the sub defaults to it (change it when policies name the identity provider&apos;s sub).</p>
    </div>
  );
}

/** Who is asking, and through which agent. */
export function SubjectAndAgentFields({ value, onChange }: { value: SimulatorState; onChange: (patch: Partial<SimulatorState>) => void }) {
  const can = useCan();
  const groups = usePolicyGroupsQuery().data?.groups ?? [];
  const agents = rowsOf(useAgentsQuery({})).filter((a) => a.status !== "deleted");
  const agentOptions = agents.map((a) => ({ value: a.clientId, label: a.name, description: a.clientId }));
  const known = agentOptions.some((o) => o.value === value.clientId);
  return (
    <div className="grid gap-5">
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-semibold">The person</legend>
        {can("users.read") && <UserSearch onPick={(u) => onChange({ email: u.email, sub: u.email })} />}
        <div className="grid items-start gap-3 @lg:grid-cols-2">
          <Field label="Subject (sub)" hint="As the identity provider's ID token says it.">
            {(p) => <Input {...p} value={value.sub} onChange={(e) => onChange({ sub: e.target.value })} placeholder="e.g. 00u1abcd or alice@example.com" spellCheck={false} autoComplete="off" className="font-mono text-xs" />}
          </Field>
          <Field label="E-mail" hint="Optional. Policies may name people by e-mail.">
            {(p) => <Input {...p} type="email" value={value.email} onChange={(e) => onChange({ email: e.target.value })} placeholder="e.g. alice@example.com" spellCheck={false} autoComplete="off" />}
          </Field>
        </div>
        <ChipInput label="Groups" noun="group" values={value.groups} onChange={(groups) => onChange({ groups })} suggestions={groups} quickPicks={groups.slice(0, 6)} quickPicksLabel="Groups policies name" hint="The groups claim of the person's ID token." placeholder="e.g. finance" />
        <details className="rounded-md border px-3 py-2 text-sm">
          <summary className="cursor-pointer font-medium">Authentication strength (for step-up)</summary>
          <div className="mt-3 grid items-start gap-3 @lg:grid-cols-2">
            <Field label="acr" hint="Optional. The ID token's acr.">
              {(p) => <Input {...p} value={value.acr} onChange={(e) => onChange({ acr: e.target.value })} spellCheck={false} autoComplete="off" className="font-mono text-xs" />}
            </Field>
            <Field label="Signed in (seconds ago)" hint="Optional. Sets auth_time.">
              {(p) => <Input {...p} type="number" min={0} inputMode="numeric" value={value.authAge} onChange={(e) => onChange({ authAge: e.target.value })} />}
            </Field>
          </div>
        </details>
      </fieldset>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-semibold">The agent</legend>
        <div className="grid items-start gap-3 @lg:grid-cols-2">
          <Field label="Registered agent" hint="Or type any client_id beside it.">
            {(p) => <Select {...p} value={known ? value.clientId : undefined} placeholder={agents.length ? "Choose an agent" : "No agents registered"} onValueChange={(clientId) => onChange({ clientId })} options={agentOptions} />}
          </Field>
          <Field label="client_id">
            {(p) => <Input {...p} value={value.clientId} onChange={(e) => onChange({ clientId: e.target.value })} placeholder="https://agent.example.com/client.json" spellCheck={false} autoComplete="off" className="font-mono text-xs" />}
          </Field>
        </div>
        <Field label="Agent environment" hint="For an agent registered elsewhere; a Portcullis agent is always evaluated in the environment it is registered for.">
          {(p) => <Select {...p} value={value.environment || "__registered__"} onValueChange={(v) => onChange({ environment: v === "__registered__" ? "" : v })} options={ENVIRONMENTS} />}
        </Field>
      </fieldset>
    </div>
  );
}

/** The scopes asked for, with the ones the server's tools are known to need one click away. */
export function ScopeFields({ server, value, onChange }: { server: string; value: string[]; onChange: (v: string[]) => void }) {
  const targets = usePolicyTargetsQuery(server);
  return (
    <ChipInput
      label="Requested scopes"
      noun="requested scope"
      values={value}
      onChange={onChange}
      separators={/[\s,]/}
      quickPicks={targets.data?.scopes}
      quickPicksLabel="Known from the server's tools"
      hint="None asks for everything the matching policies grant."
      placeholder="e.g. ledger:read"
    />
  );
}
