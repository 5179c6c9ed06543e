"use client";

import { useEffect } from "react";
import { Ban, Check } from "lucide-react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/client/cn";
import { usePolicyGroupsQuery, usePolicyTargetsQuery } from "@/lib/client/policies";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, EVERYONE, MAX_TOKEN_LIFETIME_SECONDS } from "@/lib/xaa/schema";
import { AgentPicker } from "./agent-picker";
import { ChipInput } from "./chip-input";
import { at, errorUnder, fieldSentence, fromLocalInput, list, num, str, toLocalInput, withPath, type Draft } from "./policy-draft";
import { AudienceResource, ServerRadioList } from "./target-fields";

const ENVIRONMENTS = ["production", "staging", "dev"];

/**
 * The policy as a form. Each control reads its member from the draft and writes it back through
 * `onChange`; errors sit next to their field once it has a value, or everywhere once a submit
 * was tried (`showAll`).
 */
export function PolicyForm({ draft, onChange, errors, showAll }: { draft: Draft; onChange: (d: Draft) => void; errors: Record<string, string>; showAll: boolean }) {
  const set = (path: string, value: unknown) => onChange(withPath(draft, path, value));
  const err = (key: string, filled: boolean) => (filled || showAll ? errorUnder(errors, key) : undefined);
  const exact = (key: string, filled: boolean) => (filled || showAll ? errors[key] : undefined);
  const itemErr = (key: string) => (i: number) => errors[`${key}.${i}`];

  const effect = str(draft, "effect") === "deny" ? "deny" : "allow";
  const server = str(draft, "target.server");
  const audience = str(draft, "target.audience");
  const resource = str(draft, "target.resource");
  const scopes = list(draft, "scopes");
  const stepUpScopes = list(draft, "conditions.stepUp.scopes");
  const groups = usePolicyGroupsQuery().data?.groups ?? [];
  const targets = usePolicyTargetsQuery(server);
  const t = targets.data;

  // A recorded issuer is the audience; the first remote is the resource until another is chosen.
  useEffect(() => {
    if (!t || t.server.name !== server) return;
    let next = draft;
    if (t.audience && audience !== t.audience) next = withPath(next, "target.audience", t.audience);
    if (t.resources.length && !t.resources.includes(resource)) next = withPath(next, "target.resource", t.resources[0]);
    if (next !== draft) onChange(next);
  }, [t, server, audience, resource, draft, onChange]);

  const include = (k: "groups" | "users") => list(draft, `subjects.include.${k}`);
  const exclude = (k: "groups" | "users") => list(draft, `subjects.exclude.${k}`);
  const includeError = showAll || include("groups").length || include("users").length ? errors["subjects.include"] : undefined;

  return (
    <div className="@container grid content-start gap-8">
      <section aria-labelledby="policy-about" className="grid gap-4">
        <h3 id="policy-about" className="text-sm font-semibold">
          The policy
        </h3>
        <Field label="Name" hint="For people: the list, reviews and decision explanations show it." error={err("name", !!str(draft, "name"))}>
          {(p) => <Input {...p} value={str(draft, "name")} onChange={(e) => set("name", e.target.value)} maxLength={200} autoComplete="off" placeholder="Finance agents may read the ledger" />}
        </Field>
        <Field label="Description" hint="Optional. Why this policy exists: reviewers read it first." error={err("description", !!str(draft, "description"))}>
          {(p) => <Textarea {...p} value={str(draft, "description")} onChange={(e) => set("description", e.target.value)} rows={2} maxLength={2000} className="min-h-16" />}
        </Field>
        <fieldset className="grid gap-2">
          <legend className="mb-1.5 text-sm font-medium">Effect</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(
              [
                { value: "allow", label: "Allow", icon: Check, text: "Grants its scopes when everything matches. Without any allow, every request is denied." },
                { value: "deny", label: "Deny", icon: Ban, text: "Removes its scopes (all of its server's, when it lists none), whatever any allow says." },
              ] as const
            ).map((o) => (
              <label
                key={o.value}
                className={cn(
                  "flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-muted/40",
                  "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring",
                  effect === o.value && (o.value === "allow" ? "border-emerald-600/50 bg-emerald-50/60 dark:bg-emerald-500/10" : "border-red-600/50 bg-red-50/60 dark:bg-red-500/10"),
                )}
              >
                <input
                  type="radio"
                  name="policy-effect"
                  value={o.value}
                  checked={effect === o.value}
                  // A deny has no step-up (it denies whatever the authentication): switching clears it.
                  onChange={() => onChange(withPath(withPath(draft, "effect", o.value), "conditions.stepUp", o.value === "deny" ? { scopes: [], acr: null, maxAgeSeconds: null } : at(draft, "conditions.stepUp")))}
                  className="mt-1 size-4 accent-primary"
                />
                <span className="grid gap-0.5">
                  <span className="flex items-center gap-1.5 font-medium">
                    <o.icon aria-hidden className="size-4 text-muted-foreground" />
                    {o.label}
                  </span>
                  <span className="text-xs text-muted-foreground">{o.text}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.effect && <p className="text-xs text-destructive">{fieldSentence("Effect", errors.effect)}</p>}
        </fieldset>
      </section>

      <section aria-labelledby="policy-who" className="grid gap-4">
        <h3 id="policy-who" className="text-sm font-semibold">
          Which agents, acting for whom
        </h3>
        <AgentPicker value={list(draft, "agents")} onChange={(v) => set("agents", v)} error={exact("agents", list(draft, "agents").length > 0)} itemError={itemErr("agents")} />
        <fieldset className="grid gap-4 rounded-lg border p-4">
          <legend className="px-1 text-sm font-medium">Acting for</legend>
          {includeError && <p className="-mt-2 text-xs text-destructive">{fieldSentence("Subjects (acting for)", includeError)}</p>}
          <div className="grid items-start gap-4 @2xl:grid-cols-2">
            <ChipInput
              label="Groups"
              noun="group"
              values={include("groups")}
              onChange={(v) => set("subjects.include.groups", v)}
              suggestions={[EVERYONE, ...groups]}
              quickPicks={include("groups").length ? undefined : [EVERYONE]}
              quickPicksLabel="Everyone"
              itemError={itemErr("subjects.include.groups")}
              hint={<>Group names from the identity provider&apos;s ID token. <code className="font-mono">*</code> means everyone.</>}
              placeholder="e.g. finance"
            />
            <ChipInput
              label="Users"
              noun="user"
              values={include("users")}
              onChange={(v) => set("subjects.include.users", v)}
              itemError={itemErr("subjects.include.users")}
              hint="By e-mail (any case) or by the ID token's sub (exact)."
              placeholder="e.g. alice@example.com"
            />
          </div>
        </fieldset>
        <fieldset className="grid gap-4 rounded-lg border p-4">
          <legend className="px-1 text-sm font-medium">Except</legend>
          <p className="-mt-2 text-xs text-muted-foreground">Optional. Nobody listed here is matched, whatever their other groups.</p>
          <div className="grid items-start gap-4 @2xl:grid-cols-2">
            <ChipInput label="Excluded groups" noun="excluded group" values={exclude("groups")} onChange={(v) => set("subjects.exclude.groups", v)} suggestions={groups} itemError={itemErr("subjects.exclude.groups")} placeholder="e.g. contractors" />
            <ChipInput label="Excluded users" noun="excluded user" values={exclude("users")} onChange={(v) => set("subjects.exclude.users", v)} itemError={itemErr("subjects.exclude.users")} placeholder="e.g. bob@example.com" />
          </div>
        </fieldset>
      </section>

      <section aria-labelledby="policy-where" className="grid gap-4">
        <h3 id="policy-where" className="text-sm font-semibold">
          At which server, with which scopes
        </h3>
        <ServerRadioList value={server} onChange={(name) => onChange(withPath(withPath(withPath(draft, "target.server", name), "target.audience", ""), "target.resource", undefined))} error={err("target.server", !!server)} />
        {server && (
          <AudienceResource
            targets={targets}
            audience={audience}
            resource={resource}
            onAudience={(v) => set("target.audience", v)}
            onResource={(v) => set("target.resource", v)}
            errors={{ audience: err("target.audience", !!audience), resource: err("target.resource", !!resource) }}
          />
        )}
        <ChipInput
          label="Scopes"
          noun="scope"
          values={scopes}
          onChange={(v) => {
            // Step-up scopes must stay among the policy's scopes.
            const kept = stepUpScopes.filter((s) => v.includes(s));
            onChange(withPath(withPath(draft, "scopes", v), "conditions.stepUp.scopes", kept));
          }}
          separators={/[\s,]/}
          quickPicks={t?.scopes}
          quickPicksLabel={`Known from ${server || "the server"}'s tools`}
          error={exact("scopes", scopes.length > 0)}
          itemError={itemErr("scopes")}
          hint={effect === "allow" ? "What the agent may get. Press Enter or space after each." : "What this policy removes; none listed removes every scope of the server."}
          placeholder="e.g. ledger:read"
        />
      </section>

      <section aria-labelledby="policy-conditions" className="grid gap-4">
        <h3 id="policy-conditions" className="text-sm font-semibold">
          Conditions
        </h3>
        <div className="grid items-start gap-4 @xl:grid-cols-2">
          <Field label="Valid from" hint="Optional. In your time zone; stored as an instant." error={err("conditions.validFrom", true)}>
            {(p) => <Input {...p} type="datetime-local" value={toLocalInput(str(draft, "conditions.validFrom") || null)} onChange={(e) => set("conditions.validFrom", fromLocalInput(e.target.value))} />}
          </Field>
          <Field label="Valid until" hint="Optional. Nothing is granted from this moment on." error={err("conditions.validUntil", true)}>
            {(p) => <Input {...p} type="datetime-local" value={toLocalInput(str(draft, "conditions.validUntil") || null)} onChange={(e) => set("conditions.validUntil", fromLocalInput(e.target.value))} />}
          </Field>
        </div>
        <ChipInput
          label="Environments"
          noun="environment"
          values={list(draft, "conditions.environments")}
          onChange={(v) => set("conditions.environments", v)}
          quickPicks={ENVIRONMENTS}
          quickPicksLabel="Agent environments"
          mono={false}
          itemError={itemErr("conditions.environments")}
          error={exact("conditions.environments", true)}
          hint="Optional. Only agents registered for these environments match; none listed means any."
          placeholder="e.g. production"
        />
        {effect === "deny" ? (
          <p className="rounded-lg border border-dashed px-3.5 py-3 text-sm text-muted-foreground">
            A deny policy has no token lifetime and no step-up: it refuses its scopes whatever the authentication.
          </p>
        ) : (
          <>
            <Field
              label="Max token lifetime (seconds)"
              hint={`How long an ID-JAG issued under this policy may live: ${DEFAULT_TOKEN_LIFETIME_SECONDS} by default, at most ${MAX_TOKEN_LIFETIME_SECONDS}. The shortest of the granting policies applies.`}
              error={err("conditions.maxTokenLifetimeSeconds", true)}
              className="max-w-sm"
            >
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={30}
                  max={MAX_TOKEN_LIFETIME_SECONDS}
                  step={1}
                  value={num(draft, "conditions.maxTokenLifetimeSeconds") ?? ""}
                  placeholder={String(DEFAULT_TOKEN_LIFETIME_SECONDS)}
                  onChange={(e) => set("conditions.maxTokenLifetimeSeconds", e.target.value === "" ? undefined : Number(e.target.value))}
                />
              )}
            </Field>
            <fieldset className="grid gap-4 rounded-lg border p-4">
              <legend className="px-1 text-sm font-medium">Step-up authentication</legend>
              <p className="-mt-2 text-xs text-muted-foreground">
                Optional. These scopes are granted only to a person who signed in strongly enough (the ID token&apos;s acr) or recently enough; otherwise the request is refused
                with insufficient_user_authentication.
              </p>
              {(showAll || stepUpScopes.length > 0) && errors["conditions.stepUp"] && <p className="text-xs text-destructive">{fieldSentence("Step-up", errors["conditions.stepUp"])}</p>}
              <fieldset className="grid gap-2">
                <legend className="mb-1 text-sm font-medium">Scopes that need a step-up</legend>
                {scopes.length === 0 ? (
                  <p className="text-xs text-muted-foreground">Add the policy&apos;s scopes first.</p>
                ) : (
                  <div className="flex flex-wrap gap-2">
                    {scopes.map((s) => (
                      <label key={s} className="flex cursor-pointer items-center gap-2 rounded-md border px-2.5 py-1.5 text-sm has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring">
                        <input
                          type="checkbox"
                          checked={stepUpScopes.includes(s)}
                          onChange={(e) => set("conditions.stepUp.scopes", e.target.checked ? [...stepUpScopes, s] : stepUpScopes.filter((x) => x !== s))}
                          className="size-4 cursor-pointer accent-primary"
                        />
                        <span className="font-mono text-xs">{s}</span>
                      </label>
                    ))}
                  </div>
                )}
                {errorUnder(errors, "conditions.stepUp.scopes") && <p className="text-xs text-destructive">{fieldSentence("Step-up scopes", errorUnder(errors, "conditions.stepUp.scopes")!)}</p>}
              </fieldset>
              <div className="grid items-start gap-4 @xl:grid-cols-2">
                <Field label="Required acr" hint="Optional. The authentication context class the ID token must carry." error={err("conditions.stepUp.acr", true)}>
                  {(p) => <Input {...p} value={str(draft, "conditions.stepUp.acr")} onChange={(e) => set("conditions.stepUp.acr", e.target.value === "" ? null : e.target.value)} placeholder="e.g. phr" spellCheck={false} autoComplete="off" className="font-mono text-xs" />}
                </Field>
                <Field label="Max age (seconds)" hint="Optional. How recent the sign-in must be (the ID token's auth_time)." error={err("conditions.stepUp.maxAgeSeconds", true)}>
                  {(p) => (
                    <Input
                      {...p}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      step={1}
                      value={num(draft, "conditions.stepUp.maxAgeSeconds") ?? ""}
                      onChange={(e) => set("conditions.stepUp.maxAgeSeconds", e.target.value === "" ? null : Number(e.target.value))}
                      placeholder="e.g. 600"
                    />
                  )}
                </Field>
              </div>
            </fieldset>
          </>
        )}
      </section>
    </div>
  );
}
