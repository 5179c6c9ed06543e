"use client";

import { PickerResults, PickerSearch } from "@/components/ui/picker";
import { useDeferredValue, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { ApiClientError, errorMessage } from "@/lib/client/api";
import { rowsOf } from "@/lib/client/list-query";
import { useServersQuery } from "@/lib/client/servers";
import type { PolicyTargets } from "@/lib/client/policies";
import { fieldSentence } from "./policy-draft";

/** One approved catalog server, chosen from a searchable list of radio buttons. */
export function ServerRadioList({ value, onChange, error, legend = "Target server", hint }: { value: string; onChange: (name: string) => void; error?: string; legend?: string; hint?: string }) {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const servers = useServersQuery({ q, status: "approved", sort: "name" });
  const rows = rowsOf(servers);
  const id = useId();
  const listed = rows.some((s) => s.name === value);
  return (
    <fieldset className="grid gap-2" aria-describedby={`${id}-hint`}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <p id={`${id}-hint`} className={error ? "-mt-1 text-xs text-destructive" : "-mt-1 text-xs text-muted-foreground"}>
        {error ? fieldSentence(legend, error) : (hint ?? "An approved server in the catalog. Its authorization server's issuer is the audience of the tokens this policy allows.")}
      </p>
      <PickerSearch value={search} onChange={setSearch} label="Search approved servers" busy={servers.isFetching} />
      <PickerResults
        error={servers.isError ? servers.error : null}
        empty={rows.length === 0 && !value ? (servers.isPending ? "Loading servers…" : q ? "No approved server matches." : "The catalog has no approved servers yet.") : null}
        listLabel="Approved servers"
      >
            {value && !listed && (
              <li>
                <label className="flex cursor-pointer items-center gap-2.5 px-3 py-2 text-sm hover:bg-muted/50">
                  <input type="radio" name={`${id}-server`} checked onChange={() => onChange(value)} className="size-4 cursor-pointer accent-primary" />
                  <span className="truncate font-mono">{value}</span>
                </label>
              </li>
            )}
            {rows.map((s) => (
              <li key={s.id}>
                <label className="flex cursor-pointer items-center gap-2.5 px-3 py-2 text-sm hover:bg-muted/50 has-[:focus-visible]:bg-muted/50">
                  <input type="radio" name={`${id}-server`} checked={s.name === value} onChange={() => onChange(s.name)} className="size-4 cursor-pointer accent-primary" />
                  <span className="grid min-w-0">
                    <span className="truncate font-medium">{s.title ?? s.name}</span>
                    {s.title && <span className="truncate font-mono text-xs text-muted-foreground">{s.name}</span>}
                  </span>
                </label>
              </li>
            ))}
      </PickerResults>
    </fieldset>
  );
}

/** The audience and resource of the chosen server: recorded values are fixed, the rest typed. */
export function AudienceResource({
  targets,
  audience,
  resource,
  onAudience,
  onResource,
  errors,
}: {
  targets: { data?: PolicyTargets; isPending: boolean; isError: boolean; error: unknown; isFetching: boolean };
  audience: string;
  resource: string;
  onAudience: (v: string) => void;
  onResource: (v: string | undefined) => void;
  errors: { audience?: string; resource?: string };
}) {
  const t = targets.data;
  if (targets.isError) {
    const gone = targets.error instanceof ApiClientError && targets.error.status === 404;
    return (
      <Alert title={gone ? "This server is not an approved catalog server" : "Could not load the server's details"}>
        {gone ? "Choose another server: a policy can only target one the catalog serves." : errorMessage(targets.error)}
      </Alert>
    );
  }
  if (!t) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        <Spinner /> Loading the server&apos;s authorization details…
      </p>
    );
  }
  return (
    <div className="grid gap-4">
      {t.drifted && (
        <Alert tone="warning" title={`${t.server.name}'s tools changed since it was approved`}>
          Allow policies toward it are suspended (they grant nothing) until its new tool snapshot is approved.
        </Alert>
      )}
      <Field
        label="Audience"
        error={errors.audience}
        hint={
          t.audience
            ? `The issuer recorded for ${t.server.name}'s authorization server. Reviewers change it on the server page.`
            : `No issuer is recorded for ${t.server.name}: type the issuer of the authorization server in front of it (https).`
        }
      >
        {(p) => (
          <Input
            {...p}
            value={t.audience ?? audience}
            readOnly={!!t.audience}
            onChange={(e) => onAudience(e.target.value)}
            placeholder="https://auth.example.com"
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs read-only:bg-muted"
          />
        )}
      </Field>
      {t.resources.length > 0 ? (
        <fieldset className="grid gap-2">
          <legend className="mb-1.5 text-sm font-medium">Resource</legend>
          <p className={errors.resource ? "-mt-1 text-xs text-destructive" : "-mt-1 text-xs text-muted-foreground"}>
            {errors.resource ? fieldSentence("Resource", errors.resource) : "The MCP endpoint (its RFC 9728 resource identifier): the server's streamable-http remotes."}
          </p>
          {t.resources.map((r) => (
            <label key={r} className="flex cursor-pointer items-center gap-2.5 rounded-md border px-3 py-2 text-sm has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring">
              <input type="radio" name="policy-resource" checked={(resource || t.resources[0]) === r} onChange={() => onResource(r)} className="size-4 cursor-pointer accent-primary" />
              <span className="font-mono text-xs break-all">{r}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <Field label="Resource" error={errors.resource} hint={`${t.server.name} lists no streamable-http remote: type the resource identifier of its MCP endpoint.`}>
          {(p) => <Input {...p} value={resource} onChange={(e) => onResource(e.target.value || undefined)} placeholder="https://mcp.example.com/mcp" spellCheck={false} autoComplete="off" className="font-mono text-xs" />}
        </Field>
      )}
    </div>
  );
}
